"""Analysis of a survey's answers, column by column with NumPy.

``SurveyTable`` holds the submitted answers as columns: an int array of option indexes per
single-choice question (-1 not answered), a 0/1 matrix per multiple-choice question, a float
array (NaN not answered) per number question and a list per text or date question, and per
question an ``asked`` mask (False for respondents a condition hid the question from; None when
everyone was asked), so "not asked" is counted apart from "did not answer". Every
figure is computed from these arrays, so 100,000 responses × 40 questions take well under a
second once loaded (see benchmarks/survey_analysis.py). ``build_table`` is the reference
way to build them from answer dicts; ``tables.py`` streams, stores and keeps them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from itertools import chain, repeat
from typing import Any

import numpy as np

from hjulet.lib import survey_stats

from .models import CHOICE_TYPES, NUMBER_TYPES, Question, QuestionType


@dataclass
class Column:
    name: str
    type: str
    options: list[str] = field(default_factory=list)  # choice values, in order
    codes: np.ndarray | None = None  # single choice
    matrix: np.ndarray | None = None  # multiple choice (bool, respondents × options)
    answered: np.ndarray | None = None  # multiple choice, text, date (bool)
    numbers: np.ndarray | None = None  # integer, decimal (float, NaN not answered)
    texts: list[Any] | None = None  # text and date answers (None not answered)
    asked: np.ndarray | None = None  # bool: shown the question (None: everyone was)

    @classmethod
    def array_fields(cls) -> list[str]:
        """The fields that hold one array per respondent (taken, joined and stored alike)."""
        return [f.name for f in fields(cls) if f.name not in ("name", "type", "options", "texts")]

    def take(self, mask: np.ndarray) -> "Column":
        arrays = {
            name: None if getattr(self, name) is None else getattr(self, name)[mask]
            for name in self.array_fields()
        }
        return Column(
            name=self.name,
            type=self.type,
            options=self.options,
            texts=None
            if self.texts is None
            else [self.texts[i] for i in np.flatnonzero(mask).tolist()],
            **arrays,
        )


@dataclass
class SurveyTable:
    n: int
    columns: dict[str, Column]
    county: np.ndarray  # county code per response ('' unknown)
    sector: np.ndarray  # sector code per response
    response_ids: np.ndarray

    def segment(
        self, *, counties: Sequence[str] = (), sectors: Sequence[str] = ()
    ) -> "SurveyTable":
        mask = np.ones(self.n, dtype=bool)
        if counties:
            mask &= np.isin(self.county, list(counties))
        if sectors:
            mask &= np.isin(self.sector, list(sectors))
        if mask.all():
            return self
        return SurveyTable(
            n=int(mask.sum()),
            columns={name: column.take(mask) for name, column in self.columns.items()},
            county=self.county[mask],
            sector=self.sector[mask],
            response_ids=self.response_ids[mask],
        )


def column_specs(questions: Iterable[Question]) -> list[tuple[str, str, list[str]]]:
    """(name, column type, option values) for every question that has a value: a number
    calculation is analysed as a decimal number, other calculations and times as text. A
    value two choices share (allowed in XLSForm) is one option."""
    return [
        (
            q.name,
            q.column_type,
            list(dict.fromkeys(c.name for c in q.choices.all())) if q.type in CHOICE_TYPES else [],
        )
        for q in questions
        if q.takes_answer
    ]


def _len_or_zero(value: Sequence[str] | None) -> int:
    return len(value) if value else 0


def asked_masks(
    names: Iterable[str], not_asked: Sequence[Sequence[str] | None], n: int
) -> dict[str, np.ndarray]:
    """Response.not_asked as stored (one list of question names per response, in the
    table's order) → {name: bool mask, False where not asked}, only for the questions some
    respondent was not asked (the others are asked by everyone: no mask). The time taken
    grows with the number of names listed, not with responses × questions."""
    index = {name: i for i, name in enumerate(names)}
    lengths = np.fromiter(map(_len_or_zero, not_asked), np.int64, count=len(not_asked))
    rows = np.repeat(np.arange(len(not_asked), dtype=np.int64), lengths)
    listed = np.fromiter(
        map(index.get, chain.from_iterable(filter(None, not_asked)), repeat(-1)),
        np.int64,
        count=int(lengths.sum()),
    )
    masks: dict[str, np.ndarray] = {}
    by_index = list(index)
    for i in np.unique(listed[listed >= 0]):
        mask = np.ones(n, dtype=bool)
        mask[rows[listed == i]] = False
        masks[by_index[i]] = mask
    return masks


def build_table(
    specs: list[tuple[str, str, list[str]]],
    answers: Sequence[dict[str, Any]],
    county: Sequence[str],
    sector: Sequence[str],
    response_ids: Sequence[int],
    not_asked: Sequence[Sequence[str] | None] | None = None,
) -> SurveyTable:
    """Answers as stored (one dict per response) → columns; ``not_asked`` (Response.not_asked
    per response) gives each column its ``asked`` mask."""
    n = len(answers)
    asked = asked_masks((spec[0] for spec in specs), not_asked or (), n)
    columns: dict[str, Column] = {}
    for name, kind, options in specs:
        values = [a.get(name) for a in answers]
        column = Column(name=name, type=kind, options=options, asked=asked.get(name))
        if kind == QuestionType.SELECT_MULTIPLE:
            index = {option: i for i, option in enumerate(options)}
            rows = [row for row, chosen in enumerate(values) if chosen for _ in chosen]
            cols = [index.get(option, -1) for chosen in values if chosen for option in chosen]
            matrix = np.zeros((n, len(options) + 1), dtype=bool)  # last column: unknown values
            matrix[rows, cols] = True
            column.matrix = np.ascontiguousarray(matrix[:, : len(options)])
            column.answered = column.matrix.any(axis=1)
        elif kind in CHOICE_TYPES:
            index = {option: i for i, option in enumerate(options)}
            column.codes = np.fromiter(map(index.get, values, repeat(-1)), np.int32, count=n)
        elif kind in NUMBER_TYPES:
            column.numbers = np.array(
                [np.nan if v is None else v for v in values], dtype=np.float64
            )
        else:
            column.texts = values
            column.answered = np.fromiter((v not in (None, "") for v in values), bool, count=n)
        columns[name] = column
    return SurveyTable(
        n=n,
        columns=columns,
        county=np.asarray(county, dtype=object).astype(str),
        sector=np.asarray(sector, dtype=object).astype(str),
        response_ids=np.asarray(response_ids, dtype=np.int64),
    )


@dataclass
class QuestionResult:
    name: str
    type: str
    n_answered: int
    n_missing: int  # asked and did not answer
    shares: survey_stats.Shares | None = None
    numbers: survey_stats.NumberSummary | None = None
    options: list[str] = field(default_factory=list)
    n_not_asked: int = 0  # a condition hid the question from them


def analyse_column(column: Column) -> QuestionResult:
    asked = column.asked
    if column.matrix is not None or column.codes is not None:
        shares = (
            survey_stats.multiple_choice(column.matrix, column.answered, asked)
            if column.matrix is not None
            else survey_stats.single_choice(column.codes, len(column.options), asked)
        )
        return QuestionResult(
            column.name,
            column.type,
            shares.n_answered,
            shares.n_missing,
            shares=shares,
            options=column.options,
            n_not_asked=shares.n_not_asked,
        )
    if column.numbers is not None:
        summary = survey_stats.numbers(column.numbers, asked)
        return QuestionResult(
            column.name,
            column.type,
            summary.n_answered,
            summary.n_missing,
            numbers=summary,
            n_not_asked=summary.n_not_asked,
        )
    n = len(column.answered)
    shown = np.ones(n, dtype=bool) if asked is None else asked
    answered = int((column.answered & shown).sum())
    n_shown = int(shown.sum())
    return QuestionResult(
        column.name, column.type, answered, n_shown - answered, n_not_asked=n - n_shown
    )


def analyse(table: SurveyTable) -> dict[str, QuestionResult]:
    """Every question's figures: n answered, asked but not answered, and not asked; shares
    with Wilson 95 % intervals (per option for multiple choice, with its denominator), and
    number summaries."""
    return {name: analyse_column(column) for name, column in table.columns.items()}


def crosstab(table: SurveyTable, row: str, col: str) -> survey_stats.CrossTab:
    """Two single-choice questions against each other, with chi-square or Fisher's test."""
    a, b = table.columns[row], table.columns[col]
    if a.codes is None or b.codes is None:
        raise ValueError("cross-tabulation needs two single-choice questions")
    return survey_stats.crosstab(_asked_codes(a), _asked_codes(b), len(a.options), len(b.options))


def _asked_codes(column: Column) -> np.ndarray:
    """Single-choice codes with anyone not asked as not answered (-1)."""
    if column.asked is None:
        return column.codes
    return np.where(column.asked, column.codes, -1)
