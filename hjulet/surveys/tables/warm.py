"""The tables kept warm in this process (``_warm``), bounded by ``SURVEY_TABLE_CACHE_MB``,
least recently used dropped first."""

import dataclasses
import datetime
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import router

from ..analysis import SurveyTable
from ..models import Response, Survey
from .stored import _array_fields


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
