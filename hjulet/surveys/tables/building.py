"""Building the columns from stored answers, a chunk of responses at a time."""

import sys
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np
import orjson

from ..analysis import Column, SurveyTable, asked_masks
from ..models import CHOICE_TYPES, NUMBER_TYPES, QuestionType

Spec = tuple[str, str, list[str]]


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
