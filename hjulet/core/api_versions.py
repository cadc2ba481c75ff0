"""Every update through the API names the version it was based on, so a concurrent edit is
never silently overwritten: ``version`` in the body, or ``If-Match`` with the ETag that the
object's GET returned (``W/"<version>"``). Neither: 428 Precondition Required. A stale
version: 409 Conflict (body) or 412 Precondition Failed (If-Match)."""

import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Schema

from .schemas import ErrorOut
from .services import MISSING_VERSION, MissingVersion

ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,18})"\s*$')

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description=(
            'The ETag of the object as you read it (`W/"<version>"` or `"<version>"`), '
            "instead of `version` in the body. A stale one is refused with 412."
        ),
    ),
]


VERSION_ERRORS = {409: ErrorOut, 412: ErrorOut, 428: ErrorOut}


def etag(version: int) -> str:
    return f'W/"{version}"'


def expected_version(
    request: HttpRequest, body_version: int | None, if_match: str | None
) -> int | MissingVersion:
    """The version an update was based on, from ``If-Match`` or the body's ``version``;
    else MISSING_VERSION, which the service refuses (428) after its permission check."""
    if if_match is not None:
        match = ETAG.match(if_match)
        if match is None:
            raise ValidationError(
                _('If-Match must be the ETag of the object as you read it, like W/"3".'),
                code="if_match",
            )
        version = int(match.group(1))
        if body_version is not None and body_version != version:
            raise ValidationError(
                _("The version in the body and in If-Match differ; send one of them."),
                code="if_match",
            )
        request.hjulet_if_match = True
        return version
    if body_version is None:
        return MISSING_VERSION
    return body_version


def patch_fields(
    request: HttpRequest, payload: Schema, if_match: str | None
) -> tuple[dict[str, Any], int | MissingVersion]:
    """What a PATCH changes: the fields the client sent (without ``version``), and the
    version the change was based on (``expected_version``)."""
    fields = payload.dict(exclude_unset=True)
    return fields, expected_version(request, fields.pop("version", None), if_match)
