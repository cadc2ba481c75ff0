"""The harvesting API: every open collection, record by record, with a stable id, the time
of its last change and ``changed_since`` so a harvester fetches only what changed since its
last visit. Pages are cursor-based (ordered by change time, then id), so a record that
changes during a harvest moves to the end and is met again rather than skipped."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from hjulet.core.schemas import ErrorOut

from .catalogue import FORMATS
from .collections import COLLECTIONS, Collection

opendata_router = Router(tags=["open data"])
PAGE = 500
MAX_PAGE = 1000
ERRORS = {400: ErrorOut, 404: ErrorOut}


class CollectionOut(Schema):
    slug: str
    title_sv: str
    title_en: str
    count: int
    modified: datetime.datetime | None
    records: str = Field(description="The records, with changed_since for what changed")
    ids: str = Field(
        description="Every current id: what a harvester holds but is not here "
        "was deleted or unpublished"
    )
    downloads: dict[str, str]


class RecordsQuery(Schema):
    changed_since: str = Field(
        "",
        description="ISO 8601 date or date and time (e.g. 2026-12-01T08:00:00+01:00): only "
        "records changed after it. Without a time zone, Swedish time.",
    )
    cursor: str = Field("", description="From the previous page's `next`")
    limit: int = Field(PAGE, ge=1, le=MAX_PAGE)


class RecordsOut(Schema):
    collection: str
    changed_since: datetime.datetime | None
    count: int = Field(description="Records on this and the following pages")
    next: str | None = Field(description="The next page, or null on the last")
    results: list[dict[str, Any]]


class IdsOut(Schema):
    collection: str
    count: int
    ids: list[int]


def _collection(slug: str) -> Collection:
    collection = COLLECTIONS.get(slug)
    if collection is None:
        raise Http404
    return collection


def parse_moment(value: str, field: str) -> datetime.datetime:
    """An ISO 8601 date or date-time; without a zone, in the site's (Swedish) time zone."""
    value = value.strip()
    moment = None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                field: _(
                    "“%(value)s” is not a date and time in ISO 8601 format. Write it as, for "
                    "example, 2026-12-01 or 2026-12-01T08:00:00+01:00."
                )
                % {"value": value[:40]}
            }
        )
    try:
        return _in_range(timezone.make_aware(moment) if timezone.is_naive(moment) else moment)
    except (OverflowError, ValueError):
        raise ValidationError(
            {
                field: _(
                    "“%(value)s” is outside the dates Hjulet can compare. Write a date between "
                    "the years 1900 and 9000."
                )
                % {"value": value[:40]}
            }
        ) from None


def _in_range(moment: datetime.datetime) -> datetime.datetime:
    """The moment in UTC (every database takes that); a ValueError outside 1900–9000, whose
    conversion to another zone could overflow."""
    moment = moment.astimezone(datetime.UTC)
    if not 1900 <= moment.year <= 9000:
        raise ValueError(moment)
    return moment


def _cursor(value: str) -> tuple[datetime.datetime, int]:
    moment, _sep, pk = value.rpartition("~")
    try:
        parsed = parse_datetime(moment)
        number = int(pk)
        if parsed is not None and not timezone.is_naive(parsed):
            parsed = _in_range(parsed)
    except (OverflowError, ValueError):
        parsed = None
    if parsed is None or timezone.is_naive(parsed) or not 0 < number < 2**63:
        raise ValidationError(
            {"cursor": _("The cursor is not valid. Start again from the first page.")}
        )
    return parsed, number


@opendata_router.get("", response=list[CollectionOut], summary="The open collections")
def collections(request: HttpRequest) -> list[dict[str, Any]]:
    base = request.path.rstrip("/")
    return [
        {
            "slug": c.slug,
            "title_sv": c.title_sv,
            "title_en": c.title_en,
            "count": c.public().count(),
            "modified": c.modified(),
            "records": request.build_absolute_uri(f"{base}/{c.slug}"),
            "ids": request.build_absolute_uri(f"{base}/{c.slug}/ids"),
            "downloads": {
                fmt: request.build_absolute_uri(reverse("opendata:download", args=[c.slug, fmt]))
                for fmt, _type, _media in FORMATS
            },
        }
        for c in COLLECTIONS.values()
    ]


@opendata_router.get(
    "/{slug}",
    response={200: RecordsOut, **ERRORS},
    summary="A collection's records, or those changed since a moment",
)
def records(request: HttpRequest, slug: str, query: Query[RecordsQuery]) -> dict[str, Any]:
    collection = _collection(slug)
    found = collection.objects()
    since = None
    if query.changed_since.strip():
        since = parse_moment(query.changed_since, "changed_since")
        found = found.filter(updated_at__gt=since)
    if query.cursor:
        moment, pk = _cursor(query.cursor)
        found = found.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    count = found.count()
    page = list(found[: query.limit])
    next_url = None
    if count > len(page):
        last = page[-1]
        params = {"cursor": f"{last.updated_at.isoformat()}~{last.pk}", "limit": query.limit}
        if query.changed_since.strip():
            params["changed_since"] = query.changed_since.strip()
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
    return {
        "collection": collection.slug,
        "changed_since": since,
        "count": count,
        "next": next_url,
        "results": [collection.record(obj) for obj in page],
    }


@opendata_router.get(
    "/{slug}/ids",
    response={200: IdsOut, 404: ErrorOut},
    summary="Every current id: to learn what was deleted or unpublished",
)
def ids(request: HttpRequest, slug: str) -> dict[str, Any]:
    collection = _collection(slug)
    found = list(collection.public().order_by("pk").values_list("pk", flat=True))
    return {"collection": collection.slug, "count": len(found), "ids": found}
