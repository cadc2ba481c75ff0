"""Every initiative's facet values in memory: the list's filters and facet counts without
SQL.

Counting the eight facets of a broad filter (a fifth of 100,000 initiatives) in SQL is some
110 ms of the database's own work, one semi-join per facet, and under load that was the
slowest part of the site (docs/benchmarks.md, issue 21). Search engines keep each
document's facet values as columns in memory for this; so does ``FacetIndex``. It is read
once per process and generation of what it holds (``core.freshness.kept_in_process``,
``SCOPE``): a filter is
then a boolean mask over the initiatives and a facet's counts one ``numpy.unique`` of the
values under the mask, a few milliseconds for any filter at 100,000 initiatives, and some
10 MB of memory a process at that scale.

The filters mean exactly what ``lists.filter_initiatives`` makes of them in SQL (values
within one facet are OR, facets are AND); the tests hold the two to the same answers.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connection

from hjulet.accounts.models import Organisation
from hjulet.core import freshness
from hjulet.core.models import County, Municipality, Term, in_english
from hjulet.lib import countries

from ..models import Initiative, Method, Partnership, PartnershipStatus

if TYPE_CHECKING:
    from .lists import InitiativeFilters

#: The value of the country facet that stands for every country but Sweden.
INTERNATIONAL = "international"
#: The name the index is kept under in each process.
KEPT_AS = "knowledge:facet-index"
#: The index's own content generation (``core.freshness.watch``, in the app's ``ready``):
#: it moves on writes to what the index holds (initiatives with their tags, partners and
#: methods, methods, organisations' sectors, terms), not on a survey's responses.
SCOPE = "knowledge:facets"
WATCHED_MODELS = (
    "knowledge.initiative",
    "knowledge.method",
    "accounts.organisation",
    "core.term",
    "core.vocabulary",
)


_MUNICIPALITY_COUNTIES: dict[str, str] = {}


def county_of_municipality() -> dict[str, str]:
    """Municipality code → county code (SCB reference data: a municipality never changes
    county), read once per process."""
    if not _MUNICIPALITY_COUNTIES:
        _MUNICIPALITY_COUNTIES.update(Municipality.objects.values_list("code", "county_id"))
    return _MUNICIPALITY_COUNTIES


def _values(grouped: str | None) -> np.ndarray:
    """The numbers of a comma-separated text as an array."""
    if not grouped:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(grouped, dtype=np.int64, sep=",")


def _joined(expression: str) -> str:
    """SQL aggregating ``expression`` of every row into one comma-separated text. Read as one
    text and parsed by numpy, 200,000 pairs cost some 30 ms; fetched as rows, they cost
    ten times that in the database driver's Python objects."""
    if connection.vendor == "postgresql":
        return f"string_agg({expression}, ',')"
    return f"group_concat({expression}, ',')"


def _pair(first: str, second: str) -> str:
    """SQL for two columns as one text, "first,second"."""
    return f"CAST({first} AS TEXT) || ',' || CAST({second} AS TEXT)"


@dataclass(frozen=True)
class Tags:
    """A facet an initiative may have several values of (tags, methods, partners' sectors):
    one (initiative's position, value) pair for each, the values numbered by primary key."""

    positions: np.ndarray
    values: np.ndarray

    def having(self, wanted: Sequence[int], size: int) -> np.ndarray:
        """The mask of the initiatives with at least one of ``wanted``."""
        mask = np.zeros(size, dtype=bool)
        mask[self.positions[np.isin(self.values, list(wanted))]] = True
        return mask

    def counts(self, mask: np.ndarray) -> dict[int, int]:
        return _counted(self.values[mask[self.positions]])


def _counted(values: np.ndarray) -> dict[int, int]:
    found, counts = np.unique(values[values >= 0], return_counts=True)
    return dict(zip(found.tolist(), counts.tolist(), strict=True))


@dataclass(frozen=True)
class Coded:
    """A facet with at most one value an initiative, given by a code (a municipality, a
    county, a country): each initiative's code as its number in ``codes``, -1 for none."""

    numbers: np.ndarray
    codes: tuple[str, ...]

    def having(self, wanted: Sequence[str]) -> np.ndarray:
        chosen = set(wanted)
        return np.isin(self.numbers, [n for n, code in enumerate(self.codes) if code in chosen])

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        return {self.codes[n]: count for n, count in _counted(self.numbers[mask]).items()}


@dataclass(frozen=True)
class Label:
    """How a facet shows one value: its code (or slug) and its label in each language."""

    value: str
    sv: str
    en: str = ""

    @property
    def text(self) -> str:
        return (self.en or self.sv) if in_english() else self.sv


@dataclass(frozen=True)
class FacetIndex:
    """The facet values of every initiative, at one content generation. ``ids`` holds the
    initiatives' primary keys in order; every other array is by position in it."""

    ids: np.ndarray
    challenge: Tags
    target_group: Tags
    sdg: Tags
    sector: Tags
    method: Tags
    stage: np.ndarray
    municipality: Coded
    county: Coded
    country: Coded
    #: Term code → the ids of the terms with that code (the filters name terms by code, in
    #: whichever vocabulary, as ``filter_initiatives`` does); method slug → id.
    term_ids: dict[str, list[int]]
    method_ids: dict[str, int]
    #: What the facets show of each value, in the order they show them: terms by id (by
    #: position), counties by code (by name), methods by id (by title).
    term_labels: dict[int, Label]
    county_labels: dict[str, Label]
    method_labels: dict[int, Label]
    #: Each order the list asks for (its fields, ``lists.SORTS``) as the initiatives'
    #: positions in that order, read on first use.
    orders: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, compare=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    def everything(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def of_ids(self, ids: Sequence[int]) -> np.ndarray:
        """The mask of the initiatives in ``ids`` (ids not in the index are passed over)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[_positions(self.ids, np.asarray(ids, dtype=np.int64))[0]] = True
        return mask

    def matching(self, filters: "InitiativeFilters") -> np.ndarray:
        """The mask of the initiatives that every filter of ``filters`` lets through (the
        text query aside)."""
        mask = self.everything()
        if filters.county:
            mask &= self.county.having(filters.county)
        if filters.municipality:
            mask &= self.municipality.having(filters.municipality)
        if filters.country:
            mask &= self._in_countries(filters.country)
        for name in ("challenge", "target_group", "sdg", "sector"):
            if codes := getattr(filters, name):
                mask &= getattr(self, name).having(self._terms(codes), self.size)
        if filters.stage:
            mask &= np.isin(self.stage, self._terms(filters.stage))
        if filters.method:
            wanted = [self.method_ids[slug] for slug in filters.method if slug in self.method_ids]
            mask &= self.method.having(wanted, self.size)
        return mask

    def ordered_ids(self, mask: np.ndarray, order: Sequence[str]) -> "IdArray":
        """The ids of the initiatives under ``mask`` in ``order`` (``order_by`` fields).

        A filtered page in SQL walks the order's index until it has a page of matches: for a
        rare combination of filters that is most of the index (30 ms at 100,000
        initiatives); here it is one pass over an array."""
        positions = self.positions_in(order)
        return IdArray(self.ids[positions[mask[positions]]])

    def positions_in(self, order: Sequence[str]) -> np.ndarray:
        """Every initiative's position in ``ids``, in ``order``: read once per index."""
        key = tuple(order)
        if key not in self.orders:
            self.orders[key] = _read_order(self.ids, key)
        return self.orders[key]

    def _terms(self, codes: Sequence[str]) -> list[int]:
        return [pk for code in codes for pk in self.term_ids.get(code, ())]

    def _in_countries(self, values: Sequence[str]) -> np.ndarray:
        mask = self.country.having([value.upper() for value in values if value != INTERNATIONAL])
        if INTERNATIONAL in values:
            mask |= ~self.country.having([countries.SWEDEN])
        return mask

    def counts(self, mask: np.ndarray) -> dict[str, dict[Any, int]]:
        """{facet: {key: how many initiatives under ``mask`` have it}}; keys are term and
        method ids, county and country codes."""
        return {
            "challenge": self.challenge.counts(mask),
            "target_group": self.target_group.counts(mask),
            "sdg": self.sdg.counts(mask),
            "stage": _counted(self.stage[mask]),
            "county": self.county.counts(mask),
            "country": self.country.counts(mask),
            "sector": self.sector.counts(mask),
            "method": self.method.counts(mask),
        }


class IdArray(Sequence[int]):
    """Ids held as an array: a page's slice of them becomes a list of Python ints, the rest
    stays in the array (a broad filter holds tens of thousands)."""

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return self.ids[index].tolist()
        return int(self.ids[index])


def facet_index() -> FacetIndex:
    """The index at the current generation of what it holds, read once per process and
    generation."""
    return freshness.kept_in_process(KEPT_AS, read_index, scope=SCOPE)


def read_index() -> FacetIndex:
    """Every initiative's facet values from the database, and the labels of the values:
    ten queries, each reading a narrow index or table once (some 0.3 s at 100,000
    initiatives, docs/benchmarks.md)."""
    ids, stage, municipality = _initiatives()
    county = _counties_of(municipality)
    return FacetIndex(
        ids=ids,
        challenge=_tags(ids, Initiative.challenges.through._meta.db_table, "term_id"),
        target_group=_tags(ids, Initiative.target_groups.through._meta.db_table, "term_id"),
        sdg=_tags(ids, Initiative.sdgs.through._meta.db_table, "term_id"),
        sector=_sector_tags(ids),
        method=_tags(ids, Initiative.methods.through._meta.db_table, "method_id"),
        stage=stage,
        municipality=municipality,
        county=county,
        country=_countries(ids),
        **_terms(),
        county_labels={
            code: Label(code, name)
            for code, name in County.objects.order_by("name").values_list("code", "name")
        },
        **_methods(),
    )


def _quoted(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _initiatives() -> tuple[np.ndarray, np.ndarray, Coded]:
    """The initiatives' ids in order, with their stages and municipalities: read by
    municipality (the (municipality, stage) index holds all three), each municipality's
    (id, stage) pairs as one text."""
    sql = (
        f"SELECT municipality_id, {_joined(_pair('id', 'COALESCE(stage_id, -1)'))}"
        f" FROM {_quoted(Initiative)}"
        " GROUP BY municipality_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        groups = [(code or "", _values(grouped).reshape(-1, 2)) for code, grouped in cursor]
    codes = tuple(sorted({code for code, _pairs in groups if code}))
    number = {code: n for n, code in enumerate(codes)}
    if not groups:
        return np.zeros(0, np.int64), np.zeros(0, np.int32), Coded(np.zeros(0, np.int32), ())
    pairs = np.concatenate([pairs for _code, pairs in groups])
    numbers = np.concatenate(
        [np.full(len(pairs), number.get(code, -1), dtype=np.int32) for code, pairs in groups]
    )
    order = np.argsort(pairs[:, 0], kind="stable")
    stage = pairs[order, 1].astype(np.int32)
    return pairs[order, 0], stage, Coded(numbers[order], codes)


def _counties_of(municipality: Coded) -> Coded:
    """Each initiative's county, by its municipality's (SCB reference data)."""
    county_of = county_of_municipality()
    codes = tuple(sorted(set(county_of.values())))
    number = {code: n for n, code in enumerate(codes)}
    # The county's number of each municipality's number, and -1 (no place) for -1.
    lookup = np.array(
        [number.get(county_of.get(code, ""), -1) for code in municipality.codes] + [-1],
        dtype=np.int32,
    )
    return Coded(lookup[municipality.numbers], codes)


def _countries(ids: np.ndarray) -> Coded:
    """Each initiative's country: Sweden but for the international examples, which are read
    by country through its index."""
    sql = (
        f"SELECT country, {_joined('CAST(id AS TEXT)')} FROM {_quoted(Initiative)}"
        " WHERE country <> %s GROUP BY country"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [countries.SWEDEN])
        abroad = [(code, _values(grouped)) for code, grouped in cursor]
    codes = tuple(sorted({countries.SWEDEN, *(code for code, _ids in abroad)}))
    numbers = np.full(len(ids), codes.index(countries.SWEDEN), dtype=np.int32)
    for code, found in abroad:
        numbers[_positions(ids, found)[0]] = codes.index(code)
    return Coded(numbers, codes)


def _read_order(ids: np.ndarray, order: tuple[str, ...]) -> np.ndarray:
    """The positions in ``ids`` of every initiative in ``order`` (one that is not in ``ids``,
    written since they were read, is left out)."""
    query = Initiative.objects.order_by(*order).values_list("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        in_order = np.fromiter((row[0] for row in cursor), dtype=np.int64)  # no list of rows
    return _positions(ids, in_order)[0].astype(np.int32)


def _pairs(sql: str, params: Sequence[Any] = ()) -> tuple[np.ndarray, np.ndarray]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs = _values(cursor.fetchone()[0]).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def _positions(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions in ``ids`` of those of ``wanted`` found there, and which were found
    (a row written since ``ids`` was read is passed over)."""
    if not len(ids):
        return np.zeros(0, np.int64), np.zeros(len(wanted), bool)
    positions = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    found = ids[positions] == wanted
    return positions[found], found


def _positioned(ids: np.ndarray, initiatives: np.ndarray, values: np.ndarray) -> Tags:
    positions, found = _positions(ids, initiatives)
    return Tags(positions.astype(np.int32), values[found].astype(np.int32))


def _tags(ids: np.ndarray, table: str, column: str) -> Tags:
    quoted = connection.ops.quote_name(table)
    initiatives, values = _pairs(f"SELECT {_joined(_pair('initiative_id', column))} FROM {quoted}")
    return _positioned(ids, initiatives, values)


def _sector_tags(ids: np.ndarray) -> Tags:
    """Each initiative's accepted partners' sectors, each sector once: the partnerships and
    the organisations' sectors are read apart and joined here (a join with DISTINCT in
    SQL sorts every partnership)."""
    initiatives, organisations = _pairs(
        f"SELECT {_joined(_pair('initiative_id', 'organisation_id'))}"
        f" FROM {_quoted(Partnership)} WHERE status = %s",
        [PartnershipStatus.ACCEPTED.value],
    )
    with_sector, sectors = _pairs(
        f"SELECT {_joined(_pair('id', 'sector_id'))}"
        f" FROM {_quoted(Organisation)} WHERE sector_id IS NOT NULL"
    )
    order = np.argsort(with_sector)
    at, known = _positions(with_sector[order], organisations)
    # Each (initiative, sector) once, as one number each: sector ids are small.
    width = int(sectors.max(initial=0)) + 1
    pairs = np.unique(initiatives[known] * width + sectors[order][at])
    return _positioned(ids, pairs // width, pairs % width)


def _terms() -> dict[str, Any]:
    """The terms' ids by code and labels by id (in the facets' order): one query."""
    term_ids: dict[str, list[int]] = {}
    term_labels: dict[int, Label] = {}
    rows = Term.objects.order_by("position", "pk").values_list("pk", "code", "label_sv", "label_en")
    for pk, code, sv, en in rows:
        term_ids.setdefault(code, []).append(pk)
        term_labels[pk] = Label(code, sv, en)
    return {"term_ids": term_ids, "term_labels": term_labels}


def _methods() -> dict[str, Any]:
    """The methods' ids by slug and labels by id (by title): one query."""
    labels = {
        pk: Label(slug, title)
        for pk, slug, title in Method.objects.values_list("pk", "slug", "title")
    }
    return {
        "method_ids": {label.value: pk for pk, label in labels.items()},
        "method_labels": labels,
    }
