"""What reading an XLSForm gives: the questions and choices it specifies and the problems
found, by sheet and row."""

from dataclasses import dataclass, field

from ..models import QuestionType


@dataclass
class Problem:
    sheet: str
    row: int
    feature: str
    reason: str


@dataclass
class ChoiceSpec:
    name: str
    label_sv: str
    label_en: str = ""
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class QuestionSpec:
    row: int
    name: str
    type: str
    label_sv: str
    label_en: str = ""
    hint_sv: str = ""
    hint_en: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message_sv: str = ""
    constraint_message_en: str = ""
    choice_filter: str = ""
    calculation: str = ""
    appearance: str = ""
    group: str = ""  # name of the enclosing group
    choices: list[ChoiceSpec] = field(default_factory=list)


@dataclass
class ParsedForm:
    title: str = ""
    form_id: str = ""
    version: str = ""
    languages: list[str] = field(default_factory=lambda: ["sv"])
    questions: list[QuestionSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)
    allow_choice_duplicates: bool = False
    sheet_titles: dict[str, str] = field(default_factory=dict)  # "survey" → "Blad1"

    @property
    def ok(self) -> bool:
        return not self.problems

    def _count(self, *types: str) -> int:
        return sum(1 for q in self.questions if q.type in types)

    @property
    def question_count(self) -> int:
        """Questions the respondent answers (not groups, notes or calculations)."""
        return len(self.questions) - self._count(
            QuestionType.GROUP, QuestionType.NOTE, QuestionType.CALCULATE
        )

    @property
    def group_count(self) -> int:
        return self._count(QuestionType.GROUP)

    @property
    def note_count(self) -> int:
        return self._count(QuestionType.NOTE)

    @property
    def calculation_count(self) -> int:
        return self._count(QuestionType.CALCULATE)

    def problem(self, sheet: str, row: int, feature: str, reason: str) -> None:
        self.problems.append(Problem(sheet, row, feature, reason))
