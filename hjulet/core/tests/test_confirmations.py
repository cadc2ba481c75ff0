"""Destructive actions ask first: every form that removes, revokes, withdraws or cancels sits
in a ``<details class="confirm">`` (templates/_confirm.html), so the first press only opens
the question and a second, explicit button sends the POST. No JavaScript is involved, so the
strict Content-Security-Policy holds and it works without scripts."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from hjulet.accounts.services import api_token_create
from hjulet.arenas import services as arenas
from hjulet.core.tests.permission_world import World

pytestmark = pytest.mark.django_db

# Parts of an address, or hidden fields, that make a POST destructive.
DESTRUCTIVE_PATHS = (
    "/ta-bort/",
    "/aterkalla/",
    "/radera/",
    "/delete/",
    "/atgard/anonymous-off/",
)
DESTRUCTIVE_FIELDS = {("action", "remove"), ("cancel", "1"), ("delete", "1")}


class Forms(HTMLParser):
    """Each POST form's action, hidden fields and whether it is inside details.confirm."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open <details>: is it a confirmation?
        self.forms: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details":
            self.stack.append("confirm" in (attrs.get("class") or "").split())
        elif tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "fields": set(),
                            "confirmed": any(self.stack)}  # fmt: skip
            self.forms.append(self.current)
        elif tag in ("input", "button") and self.current is not None and attrs.get("name"):
            if tag == "input" and attrs.get("type") != "hidden":
                return
            self.current["fields"].add((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "details" and self.stack:
            self.stack.pop()
        elif tag == "form":
            self.current = None


def destructive_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return [
        form
        for form in parser.forms
        if any(part in form["action"] for part in DESTRUCTIVE_PATHS)
        or form["fields"] & DESTRUCTIVE_FIELDS
    ]


def made(world: World, *names: str) -> None:
    """Build the world's objects that the pages list (each is made on first use)."""
    for name in names:
        getattr(world, name)


@pytest.fixture
def world(organisation, org_admin, coordinator, editor) -> World:
    return World(organisation, org_admin)


def test_every_destructive_action_asks_first(as_user, world, org_admin, coordinator):
    initiative = world.initiative
    analysis = world.analysis
    made(world, "element", "measurement", "named_editor", "partner_request", "synonym")
    made(world, "accepted_partnership", "survey_access", "draft_question", "block")
    made(world, "anonymous_survey", "membership")
    api_token_create(actor=org_admin, name="Skriptet")
    arenas.event_register(actor=org_admin, event=world.event)
    impact = f"/initiativ/{initiative.slug}/effekt/"
    pages = {
        org_admin: [
            f"{impact}forandringsteori/",
            f"{impact}indikatorer/{world.measurement.indicator_id}/",
            f"{impact}sroi/{analysis.pk}/",
            reverse("knowledge:initiative-detail", args=[initiative.slug]),
            reverse("accounts:profile"),
            reverse("accounts:organisation-detail", args=[world.org.slug]),
            reverse("surveys:detail", args=[world.open_survey.slug]),
            reverse("surveys:detail", args=[world.draft_survey.slug]),
            reverse("surveys:report-edit", args=[world.report.slug]),
            reverse("arenas:challenge-detail", args=[world.event.challenge.slug]),
        ],
        coordinator: [reverse("core:synonym-list")],
    }
    found = 0
    for user, urls in pages.items():
        client = as_user(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            forms = destructive_forms(response.content.decode())
            assert forms, f"{url}: no destructive action found; the test lost its target"
            unconfirmed = [form["action"] or url for form in forms if not form["confirmed"]]
            assert not unconfirmed, f"{url}: sent without a confirmation: {unconfirmed}"
            found += len(forms)
    assert found >= 15


def test_the_confirmation_names_the_thing_and_is_in_swedish(as_user, world, org_admin):
    made(world, "element")
    html = (
        as_user(org_admin)
        .get(f"/initiativ/{world.initiative.slug}/effekt/forandringsteori/")
        .content.decode()
    )
    confirm = html[html.index('<details class="confirm">') :]
    confirm = confirm[: confirm.index("</details>")]
    assert "Det går inte att ångra. Är du säker?" in confirm
    assert world.element.title in confirm and "Ja, ta bort" in confirm
    assert "<script" not in confirm and "onclick" not in confirm
