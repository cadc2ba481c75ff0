"""Reading a survey's table from the database: built (streamed) when it must be, else the
stored or warm one brought up to date; ``forget`` and ``remove`` for erasures."""

import datetime
import gc
import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import IntegrityError, router, transaction
from django.db.models import Max, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ..analysis import SurveyTable
from ..models import Response, Survey, SurveyTableSnapshot
from .building import Spec, TableBuilder, add_rows
from .stored import _take, concatenate, decode, encode
from .warm import _cached, _Entry, _keep, _lock, _size, _slot, _warm

# Of the stored snapshot (2: with the asked masks): a change makes every one be rebuilt.
FORMAT = 2
CHUNK = 2000  # responses read and parsed at a time
# Responses submitted this long before the newest one the table holds are read again on
# each check (those already in the table are skipped): a transaction that set its
# submission time earlier but committed later is still found without a rebuild.
MARGIN = datetime.timedelta(minutes=2)


_ROW_FIELDS = ("pk", "json", "county_code", "sector_code", "not_asked_json")


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


def forget(survey: Survey) -> None:
    """Drop the stored and the warm table (call inside the transaction that changes
    answers: erasure, edits). Other processes see the snapshot gone and rebuild."""
    SurveyTableSnapshot.objects.filter(survey=survey).delete()
    with _lock:
        _warm.pop(_slot(survey), None)


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
