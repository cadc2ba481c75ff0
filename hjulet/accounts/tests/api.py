"""The API as a program calls it in tests: with a person's own token, sending JSON."""

import json
from typing import Any

from hjulet.accounts import services


def bearer(user, **headers: str) -> dict[str, str]:
    """The request headers of a program holding ``user``'s own API token (a new one each
    call), with ``headers`` beside it (say ``HTTP_ACCEPT_LANGUAGE``)."""
    _token, secret = services.api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", **headers}


def send(client, method: str, url: str, payload: Any = None, **headers):
    """``client``'s ``method`` (``"post"``, ``"put"``, ``"patch"``, ``"delete"``) of
    ``url`` with ``payload`` as a JSON body (no payload: an empty object)."""
    return getattr(client, method)(
        url,
        data=json.dumps({} if payload is None else payload),
        content_type="application/json",
        **headers,
    )
