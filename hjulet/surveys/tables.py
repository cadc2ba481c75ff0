"""A survey's submitted answers as columns (``analysis.SurveyTable``), loaded fast and kept.

Building the columns from the stored answers (one JSON object per response) is what costs:
100,000 responses × 40 questions took 6 s and 879 MB when every answer became a Python dict
first. Here the table is

1. **streamed** from the database when it must be built: the answers are read 2,000 rows at
   a time as JSON text (``values_list`` with a cast, no model instances), parsed by orjson
   and written straight into preallocated NumPy arrays (``TableBuilder``); no chunk's dicts
   outlive the chunk;
2. **stored** once built, as one compressed row (``SurveyTableSnapshot``: every array of
   every column, ``encode``/``decode``), so another process or a restart reads one row
   instead of every response;
3. **kept warm** in the process (``_warm``, bounded by ``SURVEY_TABLE_CACHE_MB``).

Each read checks the database cheaply (the snapshot's generation, the count of submitted
responses: index-only) and appends what was submitted since (a few rows, read and parsed
alone), so a new response shows at once without a reload. The count is the safety net:
when the submitted responses are not exactly the table's plus the new ones (a response
deleted behind the services' back, a stale snapshot) the table is rebuilt. An erasure
(``services.response_erase``) calls ``remove``, which takes the response out of the stored
and the warm table in its transaction, so erased answers live on in no stored copy; a
service that changes stored answers in place would call ``forget`` (the snapshot is deleted
and rebuilt on the next read).

Per-response fields besides the answers are read in ``_ROW_FIELDS`` and handed to
``TableBuilder.add``: ``Response.not_asked`` becomes each column's ``asked`` mask (through
``analysis.asked_masks``, a chunk at a time). ``encode``/``decode``, ``concatenate`` and
``Column.take`` handle every array field of ``Column`` by name.
"""

import dataclasses
import datetime
import gc
import hashlib
import sys
import threading
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np
import orjson
from django.conf import settings
from django.db import IntegrityError, router, transaction
from django.db.models import Max, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .analysis import Column, SurveyTable, asked_masks
from .models import CHOICE_TYPES, NUMBER_TYPES, QuestionType, Response, Survey, SurveyTableSnapshot

# Of the stored snapshot (2: with the asked masks): a change makes every one be rebuilt.
FORMAT = 2
CHUNK = 2000  # responses read and parsed at a time
# Responses submitted this long before the newest one the table holds are read again on
# each check (those already in the table are skipped): a transaction that set its
# submission time earlier but committed later is still found without a rebuild.
MARGIN = datetime.timedelta(minutes=2)
_ROW_FIELDS = ("pk", "json", "county_code", "sector_code", "not_asked_json")

Spec = tuple[str, str, list[str]]


# --- building from answers --------------------------------------------------------------


class TableBuilder:
    """Columns filled chunk by chunk into preallocated arrays (grown when more rows come
    than expected). The result equals ``analysis.build_table`` over the same answers."""

    def __init__(self, specs: Sequence[Spec], expected: int = 0) -> None:
        self.specs = list(specs)
        self.n = 0
        self.capacity = max(expected, 16)
        self.index = [{o: i for i, o in enumerate(options)} for _n, _k, options in self.specs]
        self.arrays: list[np.ndarray | None] = []
        self.texts: list[list[Any] | None] = []
        for _name, kind, options in self.specs:
            self.texts.append([] if self._is_text(kind) else None)
            self.arrays.append(self._empty(kind, len(options), self.capacity))
        self.ids = np.empty(self.capacity, dtype=np.int64)
        self.asked: list[np.ndarray | None] = [None] * len(self.specs)  # until one is not
        self.county: list[str] = []
        self.sector: list[str] = []
        names = [name for name, _kind, _options in self.specs]
        self.names = names
        self.position = {name: i for i, name in enumerate(names)}
        self.defaults = dict.fromkeys(names)
        getter = itemgetter(*names) if names else None
        # itemgetter of one name gives the value, not a 1-tuple
        self.getter = (lambda a: (a[names[0]],)) if len(names) == 1 else getter

    @staticmethod
    def _is_text(kind: str) -> bool:
        return kind not in CHOICE_TYPES and kind not in NUMBER_TYPES

    @staticmethod
    def _empty(kind: str, k: int, rows: int) -> np.ndarray | None:
        if kind == QuestionType.SELECT_MULTIPLE:
            return np.zeros((rows, k), dtype=bool)
        if kind in CHOICE_TYPES:
            return np.full(rows, -1, dtype=np.int32)
        if kind in NUMBER_TYPES:
            return np.full(rows, np.nan, dtype=np.float64)
        return np.zeros(rows, dtype=bool)  # answered, for text and date

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * self.capacity)
        for i, array in enumerate(self.arrays):
            grown = self._empty(self.specs[i][1], len(self.specs[i][2]), capacity)
            grown[: self.n] = array[: self.n]
            self.arrays[i] = grown
        for i, asked in enumerate(self.asked):
            if asked is not None:
                self.asked[i] = np.ones(capacity, dtype=bool)
                self.asked[i][: self.n] = asked[: self.n]
        ids = np.empty(capacity, dtype=np.int64)
        ids[: self.n] = self.ids[: self.n]
        self.ids, self.capacity = ids, capacity

    def add(
        self,
        answers: Sequence[dict[str, Any]],
        county: Iterable[str],
        sector: Iterable[str],
        ids: Iterable[int],
        not_asked: Sequence[Sequence[str] | None] = (),
    ) -> None:
        """One chunk of responses (answers and ``not_asked`` as stored, one per response)."""
        size = len(answers)
        start, end = self.n, self.n + size
        if end > self.capacity:
            self._grow(end)
        self.ids[start:end] = np.fromiter(ids, dtype=np.int64, count=size)
        self.county.extend(map(sys.intern, county))  # a few distinct codes: one string each
        self.sector.extend(map(sys.intern, sector))
        masks = asked_masks(self.names, not_asked, size) if not_asked else {}
        for name, mask in masks.items():
            i = self.position[name]
            if self.asked[i] is None:
                self.asked[i] = np.ones(self.capacity, dtype=bool)
            self.asked[i][start:end] = mask
        # Each response's values in question order, then transposed: loops in C (a dict
        # lookup per question and response in Python cost twice as much).
        defaults = self.defaults
        by_question = (
            list(zip(*map(self.getter, ({**defaults, **a} for a in answers)), strict=True))
            if size and self.specs
            else [()] * len(self.specs)
        )
        for i, (_name, kind, options) in enumerate(self.specs):
            array = self.arrays[i]
            values = by_question[i]
            if kind in CHOICE_TYPES and kind != QuestionType.SELECT_MULTIPLE:
                array[start:end] = np.fromiter(
                    map(self.index[i].get, values, repeat(-1)), np.int32, count=size
                )
            elif kind == QuestionType.SELECT_MULTIPLE:
                index, k = self.index[i], len(options)
                chosen = [v if v else () for v in values]
                counts = np.fromiter(map(len, chosen), np.int64, count=size)
                rows = np.repeat(np.arange(size), counts)
                flat = chain.from_iterable(chosen)
                cols = np.fromiter(map(index.get, flat, repeat(k)), np.int64, count=len(rows))
                chunk = np.zeros((size, k + 1), dtype=bool)  # last column: unknown values
                chunk[rows, cols] = True
                array[start:end] = chunk[:, :k]
            elif kind in NUMBER_TYPES:
                array[start:end] = np.array(
                    [np.nan if v is None else v for v in values], dtype=np.float64
                )
            else:
                self.texts[i].extend(values)
                array[start:end] = np.fromiter(
                    (v not in (None, "") for v in values), bool, count=size
                )
        self.n = end

    def table(self) -> SurveyTable:
        """The columns (the builder's own arrays when it was filled exactly: no copy)."""
        n = self.n

        def exact(array: np.ndarray) -> np.ndarray:
            return array if len(array) == n else array[:n].copy()

        columns: dict[str, Column] = {}
        for i, (name, kind, options) in enumerate(self.specs):
            asked = self.asked[i]
            column = Column(
                name=name, type=kind, options=options, asked=None if asked is None else exact(asked)
            )
            array = exact(self.arrays[i])
            if kind == QuestionType.SELECT_MULTIPLE:
                column.matrix = array
                column.answered = column.matrix.any(axis=1)
            elif kind in CHOICE_TYPES:
                column.codes = array
            elif kind in NUMBER_TYPES:
                column.numbers = array
            else:
                column.texts = self.texts[i]
                column.answered = array
            columns[name] = column
        return SurveyTable(
            n=n,
            columns=columns,
            county=np.asarray(self.county, dtype=object).astype(str),
            sector=np.asarray(self.sector, dtype=object).astype(str),
            response_ids=exact(self.ids),
        )


def add_rows(builder: TableBuilder, rows: Sequence[tuple]) -> None:
    """Rows as read (``_ROW_FIELDS``: id, answers as JSON text, county, sector, not asked
    as JSON text)."""
    loads = orjson.loads
    builder.add(
        [(loads(row[1]) if row[1] else None) or {} for row in rows],
        (row[2] for row in rows),
        (row[3] for row in rows),
        (row[0] for row in rows),
        not_asked=[loads(row[4]) if row[4] and row[4] != "[]" else None for row in rows],
    )


# --- joining and storing tables -----------------------------------------------------------


def _array_fields() -> list[str]:
    return Column.array_fields()


def concatenate(first: SurveyTable, second: SurveyTable) -> SurveyTable:
    """``first`` followed by ``second`` (same questions), in response id order."""
    if second.n == 0:
        return first
    order = None
    if first.n and second.n and second.response_ids.min() < first.response_ids[-1]:
        order = np.argsort(np.concatenate([first.response_ids, second.response_ids]), kind="stable")
    columns = {}
    for name, a in first.columns.items():
        b = second.columns[name]
        values: dict[str, Any] = {}
        for field in _array_fields():
            x, y = getattr(a, field), getattr(b, field)
            if x is None and y is None:
                continue
            # only ``asked`` may be absent on one side (everyone there was asked)
            x = np.ones(first.n, dtype=bool) if x is None else x
            y = np.ones(second.n, dtype=bool) if y is None else y
            if x is not None:
                joined = np.concatenate([x, y])
                values[field] = joined if order is None else joined[order]
        if a.texts is not None:
            texts = a.texts + b.texts
            values["texts"] = texts if order is None else [texts[i] for i in order]
        columns[name] = Column(name=name, type=a.type, options=a.options, **values)

    def join(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        joined = np.concatenate([x, y])
        return joined if order is None else joined[order]

    return SurveyTable(
        n=first.n + second.n,
        columns=columns,
        county=join(first.county, second.county),
        sector=join(first.sector, second.sector),
        response_ids=join(first.response_ids, second.response_ids),
    )


MAGIC = b"HJT1"


def encode(table: SurveyTable) -> bytes:
    """Every array of every column, each compressed on its own (no pickles, no copy of the
    whole table in memory): codes as the smallest integers that hold them, text answers as
    one JSON array per column. A header (JSON) names each array, its dtype, shape and
    length."""
    parts: list[tuple[str, np.ndarray]] = [("response_ids", table.response_ids)]
    for key in ("county", "sector"):
        values, index = np.unique(getattr(table, key).astype(str), return_inverse=True)
        parts += [(f"{key}.values", values), (f"{key}.index", index.astype(np.uint32))]
    columns = []
    for position, column in enumerate(table.columns.values()):
        columns.append([column.name, column.type, column.options])
        for field in _array_fields():
            value = getattr(column, field)
            if value is None:
                continue
            if field == "codes" and len(column.options) < 127:
                value = value.astype(np.int8)
            parts.append((f"{position}.{field}", value))
        if column.texts is not None:
            texts = np.frombuffer(orjson.dumps(column.texts), np.uint8)
            parts.append((f"{position}.texts", texts))
    blobs, index_ = [], []
    for key, array in parts:
        blob = zlib.compress(np.ascontiguousarray(array).data, 1)
        blobs.append(blob)
        index_.append([key, array.dtype.str, list(array.shape), len(blob)])
    header = orjson.dumps({"n": table.n, "columns": columns, "arrays": index_})
    return b"".join([MAGIC, len(header).to_bytes(4, "little"), header, *blobs])


def decode(data: bytes) -> SurveyTable:
    if data[:4] != MAGIC:
        raise ValueError("not a stored survey table")
    size = int.from_bytes(data[4:8], "little")
    meta = orjson.loads(data[8 : 8 + size])
    view = memoryview(data)
    offset = 8 + size
    stored: dict[str, np.ndarray] = {}
    for key, dtype, shape, length in meta["arrays"]:
        raw = zlib.decompress(view[offset : offset + length])
        stored[key] = np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape)
        offset += length
    columns = {}
    for position, (name, kind, options) in enumerate(meta["columns"]):
        values: dict[str, Any] = {}
        for field in _array_fields():
            value = stored.get(f"{position}.{field}")
            if value is not None:
                values[field] = value.astype(np.int32) if field == "codes" else value
        texts = stored.get(f"{position}.texts")
        if texts is not None:
            values["texts"] = orjson.loads(texts.tobytes())
        columns[name] = Column(name=name, type=kind, options=options, **values)
    return SurveyTable(
        n=meta["n"],
        columns=columns,
        county=stored["county.values"][stored["county.index"]],
        sector=stored["sector.values"][stored["sector.index"]],
        response_ids=stored["response_ids"],
    )


# --- reading from the database -------------------------------------------------------------


def spec_key(specs: Sequence[Spec]) -> str:
    """Changes when a question that takes an answer, its type or its options change."""
    return hashlib.sha256(repr((FORMAT, list(specs))).encode()).hexdigest()


def _submitted(survey: Survey):
    return Response.objects.filter(survey=survey, submitted_at__isnull=False)


def _rows(responses) -> Any:
    return _as_text(responses).values_list(*_ROW_FIELDS)


def _as_text(responses):
    """The JSON fields as their text, for orjson (no json.loads per value by Django)."""
    return responses.annotate(
        json=Cast("answers", TextField()), not_asked_json=Cast("not_asked", TextField())
    )


def build(survey: Survey, specs: Sequence[Spec]) -> tuple[SurveyTable, datetime.datetime | None]:
    """The whole table, streamed; with the newest submission time seen before reading (the
    delta checks start from it, so nothing submitted during the read is missed)."""
    state = _submitted(survey).aggregate(top=Max("submitted_at"))
    expected = _submitted(survey).count()
    builder = TableBuilder(specs, expected)
    # Millions of short-lived dicts and strings, none in a cycle: the collector's passes
    # over every object of the process would cost more than the parsing itself.
    collecting = gc.isenabled()
    gc.disable()
    try:
        chunk: list[tuple] = []
        for row in _rows(_submitted(survey).order_by("pk")).iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                add_rows(builder, chunk)
                chunk = []
        if chunk:
            add_rows(builder, chunk)
    finally:
        if collecting:
            gc.enable()
    return builder.table(), state["top"]


def _newer(
    survey: Survey, specs: Sequence[Spec], table: SurveyTable, top: datetime.datetime | None
) -> tuple[SurveyTable, datetime.datetime | None]:
    """Responses submitted since ``top`` (less the margin) that the table does not hold."""
    responses = _submitted(survey)
    if top is not None:
        responses = responses.filter(submitted_at__gte=top - MARGIN)
    rows = list(_as_text(responses.order_by("pk")).values_list(*_ROW_FIELDS, "submitted_at"))
    known = table.response_ids
    ids = np.fromiter((row[0] for row in rows), np.int64, count=len(rows))
    if len(known):
        where = np.searchsorted(known, ids).clip(0, len(known) - 1)
        new = known[where] != ids
    else:
        new = np.ones(len(ids), dtype=bool)
    fresh = [row for row, is_new in zip(rows, new, strict=True) if is_new]
    builder = TableBuilder(specs, len(fresh))
    if fresh:
        add_rows(builder, fresh)
    newest = max((row[-1] for row in rows), default=None)
    if top is not None and (newest is None or newest < top):
        newest = top
    return builder.table(), newest


@dataclasses.dataclass
class _Entry:
    key: str
    generation: str
    table: SurveyTable
    top: datetime.datetime | None
    nbytes: int


_warm: OrderedDict[tuple[str, int], _Entry] = OrderedDict()
_lock = threading.Lock()


def _size(table: SurveyTable) -> int:
    total = table.response_ids.nbytes + table.county.nbytes + table.sector.nbytes
    for column in table.columns.values():
        for field in _array_fields():
            value = getattr(column, field)
            if value is not None:
                total += value.nbytes
        if column.texts is not None:
            total += 80 * len(column.texts)  # a pointer and a short string each, roughly
    return total


def _keep(slot: tuple[str, int], entry: _Entry) -> None:
    budget = settings.SURVEY_TABLE_CACHE_MB * 1024 * 1024
    with _lock:
        _warm.pop(slot, None)
        _warm[slot] = entry
        total = sum(e.nbytes for e in _warm.values())
        while len(_warm) > 1 and total > budget:
            _slot, dropped = _warm.popitem(last=False)
            total -= dropped.nbytes


def _cached(slot: tuple[str, int]) -> _Entry | None:
    with _lock:
        entry = _warm.get(slot)
        if entry is not None:
            _warm.move_to_end(slot)
        return entry


def _slot(survey: Survey) -> tuple[str, int]:
    return (router.db_for_read(Response), survey.pk)


def forget(survey: Survey) -> None:
    """Drop the stored and the warm table (call inside the transaction that changes
    answers: erasure, edits). Other processes see the snapshot gone and rebuild."""
    SurveyTableSnapshot.objects.filter(survey=survey).delete()
    with _lock:
        _warm.pop(_slot(survey), None)


def _take(table: SurveyTable, keep: np.ndarray) -> SurveyTable:
    return SurveyTable(
        n=int(keep.sum()),
        columns={name: column.take(keep) for name, column in table.columns.items()},
        county=table.county[keep],
        sector=table.sector[keep],
        response_ids=table.response_ids[keep],
    )


def remove(survey: Survey, response_ids: Sequence[int]) -> None:
    """Take erased responses out of the stored and the warm table (call inside the
    transaction that deletes them), so their answers outlive them in no stored copy. The
    stored table gets a new generation: other processes read it instead of their own."""
    stored = SurveyTableSnapshot.objects.select_for_update().filter(survey=survey).first()
    slot = _slot(survey)
    with _lock:
        entry = _warm.pop(slot, None)
    if stored is None:
        return
    ids = np.asarray(list(response_ids), dtype=np.int64)
    table = decode(bytes(stored.data))
    stored.generation = uuid.uuid4().hex
    stored.data = encode(_take(table, ~np.isin(table.response_ids, ids)))
    stored.n = table.n - int(np.isin(table.response_ids, ids).sum())
    stored.save()
    if entry is not None and entry.generation != stored.generation and entry.key == stored.spec_key:
        pruned = _take(entry.table, ~np.isin(entry.table.response_ids, ids))
        _keep(slot, _Entry(entry.key, stored.generation, pruned, entry.top, _size(pruned)))


def _refresh_rows(stored_n: int) -> int:
    """New responses beyond the stored snapshot before it is written again."""
    return max(500, stored_n // 50)


def _store(survey: Survey, key: str, table: SurveyTable, top: Any, generation: str | None) -> str:
    """Write the snapshot: a new one (new generation), or the same generation brought up to
    date, only if nobody replaced or forgot it meanwhile."""
    data = encode(table)
    alias = router.db_for_write(SurveyTableSnapshot)
    fields = {"spec_key": key, "n": table.n, "top": top, "data": data, "built_at": timezone.now()}
    if generation is not None:
        with transaction.atomic(using=alias):
            SurveyTableSnapshot.objects.filter(survey=survey, generation=generation).update(
                **fields
            )
        return generation
    generation = uuid.uuid4().hex
    try:
        with transaction.atomic(using=alias):
            SurveyTableSnapshot.objects.filter(survey=survey).delete()
            SurveyTableSnapshot.objects.create(survey=survey, generation=generation, **fields)
    except IntegrityError:  # another process stored one at the same moment: theirs stays
        pass
    return generation


def load(survey: Survey, specs: Sequence[Spec]) -> SurveyTable:
    """The survey's submitted answers as columns, up to date with the database."""
    key = spec_key(specs)
    slot = _slot(survey)
    meta = (
        SurveyTableSnapshot.objects.filter(survey=survey)
        .values_list("generation", "spec_key", "n", "top")
        .first()
    )
    if meta is not None and meta[1] == key:
        generation, _key, stored_n, stored_top = meta
        entry = _cached(slot)
        if entry is None or entry.key != key or entry.generation != generation:
            data = (
                SurveyTableSnapshot.objects.filter(survey=survey, generation=generation)
                .values_list("data", flat=True)
                .first()
            )
            if data is not None:
                table = decode(bytes(data))
                entry = _Entry(key, generation, table, stored_top, _size(table))
        if entry is not None and entry.generation == generation:
            for _attempt in range(3):
                newer, top = _newer(survey, specs, entry.table, entry.top)
                count = _submitted(survey).count()
                if count == entry.table.n + newer.n:
                    table = concatenate(entry.table, newer)
                    if newer.n:
                        entry = _Entry(key, generation, table, top, _size(table))
                    if table.n - stored_n >= _refresh_rows(stored_n):
                        _store(survey, key, table, top, generation)
                    _keep(slot, entry)
                    return table
                if count < entry.table.n + newer.n:
                    break  # responses were removed: rebuild
    table, top = build(survey, specs)
    generation = _store(survey, key, table, top, None)
    _keep(slot, _Entry(key, generation, table, top, _size(table)))
    return table


__all__ = ["TableBuilder", "build", "concatenate", "decode", "encode", "forget", "load"]
