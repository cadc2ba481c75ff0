"""Two people edit the same entry: the second, stale edit is refused with the Swedish
conflict message, and the first edit is kept. Shared by every app's conflict tests."""

import html
import re

from django.test import Client
from django.utils import translation
from django.utils.translation import gettext


def conflict_message_sv() -> str:
    with translation.override("sv"):
        message = gettext(
            "Someone else changed this while you were editing. Reload the page to see "
            "their changes, then make yours again."
        )
    assert message.startswith("Någon annan"), "the conflict message has no Swedish translation"
    return message


def version_in_form(client: Client, url: str, name: str = "version") -> str:
    """The version a person's edit form carries, read from the page they were shown."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    page = response.content.decode()
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="(\d+)"', page)
    assert match, f"the form at {url} carries no {name!r}"
    return match.group(1)


def second_stale_edit_is_refused(
    first: Client,
    second: Client,
    url: str,
    first_data: dict,
    second_data: dict,
    version_name: str = "version",
) -> None:
    """Both open the edit form; the first saves; the second, sent from the old page, gets a
    400 with the conflict message. The caller checks that the first edit is what is saved."""
    version_first = version_in_form(first, url, version_name)
    version_second = version_in_form(second, url, version_name)
    assert version_first == version_second
    saved = first.post(url, {**first_data, version_name: version_first})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    refused = second.post(url, {**second_data, version_name: version_second})
    assert refused.status_code == 400, f"the stale edit answered {refused.status_code}"
    assert conflict_message_sv() in html.unescape(refused.content.decode())
    # Reloaded, the second person's form carries the new version and can be saved.
    assert int(version_in_form(second, url, version_name)) > int(version_second)
