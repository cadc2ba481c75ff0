"""Reads for surveys: lists, the questionnaire, results (through analysis.py) and codes."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation
from hjulet.core.models import County, Term, Vocabulary
from hjulet.lib.emails import InvalidEmail, canonical_email
from hjulet.regions.permissions import coordinated_codes

from . import analysis, tables
from .models import (
    BlockKind,
    Coding,
    Question,
    QuestionType,
    Report,
    Response,
    Survey,
    SurveyAccess,
    SurveyStatus,
)
from .services import can_manage, can_read_answers, can_see_survey, require_manage


def survey_to_see(actor: Any, slug: str) -> Survey:
    """The survey, for those who may know it (pages and API alike): another organisation's
    draft is not found, anything else they may not see is refused."""
    survey = get_object_or_404(Survey.objects.select_related("organisation"), slug=slug)
    if not can_see_survey(actor, survey):
        if survey.status == SurveyStatus.DRAFT:
            raise Http404
        raise PermissionDenied(_("Only the organisation behind the survey can see it."))
    return survey


def survey_to_manage(actor: Any, slug: str) -> Survey:
    """The survey, for those who build, send and report it (pages and API alike)."""
    survey = survey_to_see(actor, slug)
    require_manage(actor, survey)
    return survey


def survey_with_answers(actor: Any, slug: str) -> Survey:
    """The survey, for those who may read its answers and what is computed from them."""
    survey = survey_to_see(actor, slug)
    if not can_read_answers(actor, survey):
        raise PermissionDenied(
            _(
                "The answers are for the organisation behind the survey and the people it has "
                "given access. Ask its administrators for access."
            )
        )
    return survey


def surveys_for(user: Any, *, counted: bool = True) -> QuerySet[Survey]:
    """Surveys a person can see the workings of (``services.can_see_survey``): all for
    coordinators; their organisations' and those they were given access to; for researchers
    also every survey that is no longer a draft. ``counted`` adds ``n_responses`` (the
    submitted responses: a count over every response, so only where it is shown)."""
    surveys = Survey.objects.select_related("organisation")
    if counted:
        surveys = surveys.annotate(
            n_responses=Count("responses", filter=Q(responses__submitted_at__isnull=False)),
        )
    if not user.is_authenticated:
        return surveys.none()
    hub_codes = coordinated_codes(user)
    if hub_codes is None:
        return surveys
    visible = Q(organisation__in=Membership.objects.filter(user=user).values("organisation"))
    if hub_codes:
        visible |= Q(organisation__municipality__in=sorted(hub_codes))
    email = _verified_email(user)
    if email:
        visible |= Q(pk__in=SurveyAccess.objects.filter(email=email).values("survey"))
    if user.is_researcher:
        visible |= ~Q(status=SurveyStatus.DRAFT)
    return surveys.filter(visible)


def _verified_email(user: Any) -> str:
    if not user.is_email_verified:
        return ""
    try:
        return canonical_email(user.email)
    except InvalidEmail:
        return ""


def published_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(is_published=True).select_related("survey").order_by("-published_at")
    )


PICKER_LIMIT = 50


def picked_organisations(ids: list[str]) -> list[Organisation]:
    """The organisations chosen so far (ids that are not numbers or not found are dropped)."""
    numbers = {int(i) for i in ids if i.isdigit() and len(i) < 12}
    return list(
        Organisation.objects.filter(pk__in=numbers)
        .select_related("municipality", "sector")
        .order_by("name")
    )


def organisations_to_pick(
    *, q: str = "", county: str = "", sector: str = "", arena: str = ""
) -> QuerySet[Organisation]:
    """The organisation picker's matches: by name or municipality, county, sector and the
    members of an arena."""
    found = Organisation.objects.select_related("municipality", "sector").order_by("name")
    if q.strip():
        found = found.filter(
            Q(name__icontains=q.strip()) | Q(municipality__name__icontains=q.strip())
        )
    if county:
        found = found.filter(municipality__county_id=county)
    if sector:
        found = found.filter(sector__code=sector)
    if arena:
        found = found.filter(arenas__pk=arena).distinct()
    return found


def questions_of(survey: Survey) -> list[Question]:
    return list(
        survey.questions.select_related("group")
        .prefetch_related("choices")
        .order_by("position", "pk")
    )


def submitted(survey: Survey) -> QuerySet[Response]:
    return survey.responses.filter(submitted_at__isnull=False)


def load_table(survey: Survey, questions: list[Question] | None = None) -> analysis.SurveyTable:
    """The submitted answers as columns, up to date: stored and kept warm by
    ``tables.load``, which appends what was submitted since and rebuilds (streamed) when
    anything else changed."""
    questions = questions if questions is not None else questions_of(survey)
    return tables.load(survey, analysis.column_specs(questions))


@dataclass
class OptionRow:
    value: str
    label: str
    count: int
    share: float
    low: float
    high: float

    @property
    def percent(self) -> float:
        return 100 * self.share if self.share == self.share else 0.0


@dataclass
class QuestionView:
    question: Question
    result: analysis.QuestionResult
    rows: list[OptionRow]

    @property
    def is_multiple(self) -> bool:
        return self.question.type == "select_multiple"

    @property
    def description(self) -> str:
        """The chart in words, for screen readers and for anyone who cannot see it."""
        parts = "; ".join(f"{row.label} {row.percent:.0f} % ({row.count})" for row in self.rows)
        counts = {
            "n": self.result.n_answered,
            "missing": self.result.n_missing,
            "not_asked": self.result.n_not_asked,
            "multiple": _(", several options could be chosen") if self.is_multiple else "",
            "parts": parts,
        }
        if self.result.n_not_asked:
            return (
                _(
                    "Bar chart of %(n)s answers (%(missing)s did not answer; %(not_asked)s were "
                    "not asked, the question was not shown to them)%(multiple)s: %(parts)s."
                )
                % counts
            )
        return (
            _("Bar chart of %(n)s answers (%(missing)s did not answer)%(multiple)s: %(parts)s.")
            % counts
        )


def question_views(
    questions: list[Question], results: dict[str, analysis.QuestionResult]
) -> list[QuestionView]:
    views = []
    for question in questions:
        result = results.get(question.name)
        if result is None:
            continue
        rows = []
        if result.shares is not None:
            labels = {c.name: c.label for c in question.choices.all()}
            shares = result.shares
            for i, value in enumerate(result.options):
                rows.append(
                    OptionRow(
                        value,
                        labels.get(value, value),
                        int(shares.counts[i]),
                        float(shares.shares[i]),
                        float(shares.low[i]),
                        float(shares.high[i]),
                    )
                )
        views.append(QuestionView(question, result, rows))
    return views


def segment_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "counties": [(c.code, c.name) for c in County.objects.order_by("code")],
        "sectors": [(t.code, t.label) for t in Term.objects.in_vocabulary(Vocabulary.SECTOR)],
    }


def _frequencies(rows: Any) -> list[dict[str, Any]]:
    counts: Counter = Counter()
    by_factor: Counter = Counter()
    for label, factor in rows:
        counts[label] += 1
        by_factor[(label, factor)] += 1
    return [
        {
            "label": label,
            "count": count,
            "facilitating": by_factor[(label, "facilitating")],
            "hindering": by_factor[(label, "hindering")],
        }
        for label, count in counts.most_common()
    ]


def _submitted_codings(survey: Survey) -> QuerySet[Coding]:
    return Coding.objects.filter(response__survey=survey, response__submitted_at__isnull=False)


def code_frequencies(survey: Survey, question: Question | None = None) -> list[dict[str, Any]]:
    """How often each code was given, in all and as facilitating / hindering."""
    codings = _submitted_codings(survey)
    if question is not None:
        codings = codings.filter(question=question)
    return _frequencies(codings.values_list("code__label", "factor"))


def code_frequencies_by_question(
    survey: Survey, question_ids: set[int]
) -> dict[int, list[dict[str, Any]]]:
    """``code_frequencies`` for several questions at once, in one query."""
    rows: dict[int, list[tuple[str, str]]] = {pk: [] for pk in question_ids}
    if question_ids:
        codings = _submitted_codings(survey).filter(question_id__in=question_ids)
        for question_id, label, factor in codings.values_list(
            "question_id", "code__label", "factor"
        ):
            rows[question_id].append((label, factor))
    return {pk: _frequencies(found) for pk, found in rows.items()}


def text_answers(survey: Survey, question: Question) -> list[dict[str, Any]]:
    codings: dict[int, list[Coding]] = {}
    for coding in Coding.objects.filter(question=question).select_related("code"):
        codings.setdefault(coding.response_id, []).append(coding)
    answers = []
    for pk, values in submitted(survey).order_by("pk").values_list("pk", "answers"):
        text = values.get(question.name)
        if text:
            answers.append({"response_id": pk, "text": text, "codings": codings.get(pk, [])})
    return answers


def free_text_answers(
    survey: Survey, questions: list[Question], limit: int = 30
) -> list[dict[str, Any]]:
    """For the results page: the first ``limit`` free-text answers of each text question (of
    submitted responses), each with the codes given to it; ``more`` when there are others.
    One query per text question reads at most ``limit`` + 1 answers (the database picks the
    one key out of the JSON), and one more the codes."""
    text_questions = [q for q in questions if q.type == QuestionType.TEXT]
    found: dict[int, list[dict[str, Any]]] = {}
    more: set[int] = set()
    for question in text_questions:
        rows = list(
            submitted(survey)
            .annotate(free_text=Cast(KeyTextTransform(question.name, "answers"), TextField()))
            .filter(free_text__isnull=False)
            .exclude(free_text="")
            .order_by("pk")
            .values_list("pk", "free_text")[: limit + 1]
        )
        if len(rows) > limit:
            more.add(question.pk)
        found[question.pk] = [
            {"response_id": pk, "text": text, "codings": []} for pk, text in rows[:limit]
        ]
    by_key = {(a["response_id"], pk): a for pk, answers in found.items() for a in answers}
    if by_key:
        codings = Coding.objects.filter(
            question__in=text_questions, response_id__in={pk for pk, _q in by_key}
        ).select_related("code")
        for coding in codings:
            answer = by_key.get((coding.response_id, coding.question_id))
            if answer is not None:
                answer["codings"].append(coding)
    return [{"question": q, "answers": found[q.pk], "more": q.pk in more} for q in text_questions]


def report_blocks(report: Report) -> list[dict[str, Any]]:
    """Each block with what it shows: chart rows come from the survey's current results."""
    survey = report.survey
    blocks = list(report.blocks.select_related("question").order_by("position", "pk"))
    needs_table = any(b.kind == BlockKind.CHART for b in blocks)
    results = {}
    if needs_table:
        questions = questions_of(survey)
        results = analysis.analyse(load_table(survey, questions))
        by_name = {q.name: q for q in questions}
    codes = code_frequencies_by_question(
        survey, {b.question_id for b in blocks if b.kind == BlockKind.CODES and b.question_id}
    )
    out = []
    for block in blocks:
        item: dict[str, Any] = {"block": block}
        if block.kind == BlockKind.CHART and block.question:
            question = by_name[block.question.name]
            item["view"] = question_views([question], results)[0]
        elif block.kind == BlockKind.CODES and block.question:
            item["codes"] = codes[block.question_id]
        out.append(item)
    return out


def can_see_report(user: Any, report: Report) -> bool:
    return report.is_published or can_read_answers(user, report.survey)


__all__ = ["SurveyStatus", "can_manage", "can_read_answers", "can_see_survey"]
