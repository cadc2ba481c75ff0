"""Reads for the science shop: who sees which questions, researcher suggestions, the public
knowledge summaries and the coordinators' overview."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hjulet.accounts.models import Role, RoleGrant
from hjulet.core import search
from hjulet.core.permissions import is_signed_in
from hjulet.lib.text import analyse, is_stop_word, iter_words, normalise
from hjulet.regions.permissions import coordinated_codes

from .indexing import RESEARCHER_KIND
from .models import (
    Assignment,
    Meeting,
    Outcome,
    OutcomeKind,
    Question,
    QuestionEvent,
    ResearcherProfile,
)
from .workflow import FINISHED, OPEN_TO_RESEARCHERS, OUTCOMES, STAGES, Status, targets_from


def _base() -> QuerySet[Question]:
    return Question.objects.select_related("organisation", "submitted_by")


def visible_questions(actor: Any) -> QuerySet[Question]:
    """The questions ``actor`` may see (the same rule as ``services.can_view_question``)."""
    if not is_signed_in(actor):
        return Question.objects.none()
    hub_codes = coordinated_codes(actor)
    if hub_codes is None:
        return _base()
    assigned = Assignment.objects.filter(question=OuterRef("pk")).filter(
        Q(researcher=actor) | Q(supervisor=actor)
    )
    rule = Q(organisation__memberships__user=actor) | Exists(assigned)
    if hub_codes:
        rule |= Q(organisation__municipality__in=sorted(hub_codes))
    if actor.is_researcher:
        rule |= Q(status__in=OPEN_TO_RESEARCHERS)
    return _base().filter(rule).distinct()


def organisation_questions(actor: Any) -> QuerySet[Question]:
    if not is_signed_in(actor):
        return Question.objects.none()
    return _base().filter(organisation__memberships__user=actor).distinct()


def open_questions() -> QuerySet[Question]:
    return _base().filter(status__in=OPEN_TO_RESEARCHERS).prefetch_related("challenges")


def question_detail_query() -> QuerySet[Question]:
    return _base().prefetch_related(
        "challenges",
        "formulations__author",
        Prefetch(
            "assignments", queryset=Assignment.objects.select_related("researcher", "supervisor")
        ),
        "interests__researcher",
        "meetings",
        Prefetch("events", queryset=QuestionEvent.objects.select_related("actor")),
    )


def outcome_of(question: Question) -> Outcome | None:
    return Outcome.objects.filter(question=question).prefetch_related("challenges").first()


def published_summaries() -> QuerySet[Outcome]:
    return (
        Outcome.objects.filter(kind=OutcomeKind.SUMMARY, question__status=Status.PUBLISHED)
        .select_related("question__organisation")
        .prefetch_related("challenges")
    )


def summaries_for_challenges(codes: list[str]) -> QuerySet[Outcome]:
    """Published summaries tagged with any of these challenge codes, newest first."""
    return published_summaries().filter(challenges__code__in=codes).distinct()


def next_statuses(question: Question) -> list[str]:
    return targets_from(question.status)


# --- matching ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    profile: ResearcherProfile
    score: float  # relative to the best suggestion (1.0), from the search engine's ranking
    shared_terms: tuple[str, ...]  # analysed stems, rarest first
    shared_words: tuple[str, ...]  # the same, as the question words they came from


#: Words that nearly every research question uses whatever its subject ("hur påverkar …",
#: "vilka faktorer …", "vad betyder …"). A suggestion never rests on them: they are left out
#: of the text matched with the researchers, as the stop words are.
QUESTION_WORDS = frozenset(
    analyse(
        """
        hur vad vilka vilken vilket varför när var vem kan skulle kunna bör måste behöver
        påverkar påverka påverkan påverkas påverkat betydelse betyder betyda effekt effekter
        faktorer faktor skillnad skillnader samband orsak orsaker följd följder leder leda
        bidrar bidra öka ökar minska minskar förbättra förbättrar förändra förändring
        förändringar kunskap kunskaper forskning forskare studie studier undersöka undersökning
        fråga frågor frågan vill veta viktig viktigt roll sätt olika många genom mellan
        """
    )
)


def _meaningful_terms(text: str) -> list[str]:
    return [
        term
        for term in analyse(text)
        if not is_stop_word(term) and term not in QUESTION_WORDS and len(term) > 1
    ]


def _words_by_term(text: str) -> dict[str, str]:
    """Each analysed term of ``text`` with the first word that gave it ("nyköpen" for
    "nykop"), so that a match can be explained in words people wrote."""
    words: dict[str, str] = {}
    for match in iter_words(text):
        word = normalise(match.group())
        terms = analyse(word)
        if terms:
            words.setdefault(terms[0], word)
    return words


def question_text(question: Question) -> str:
    latest = question.formulations.order_by("-number").first()
    return " ".join(
        [
            question.title,
            question.background,
            question.wanted_knowledge,
            latest.text if latest else "",
        ]
    )


#: Researchers the search engine is asked for, before availability and the role are checked.
SUGGESTION_CANDIDATES = 50


def suggest_researchers(question: Question, *, limit: int = 5) -> list[Suggestion]:
    """Available researchers whose expertise and earlier work are closest to the question.

    The search engine does the matching, with its Swedish analysis: the question's words
    (without stop words and the words every question uses, ``QUESTION_WORDS``) go to
    ``search.similar(kinds=["researcher"])``, which looks for the text's rarest terms in the
    whole index (a term in more than a tenth of all documents is too common to match on)
    and ranks the profiles that hold them. Each suggestion lists the terms it shares with
    the question; a profile that shares none of them is not suggested."""
    text = question_text(question)
    words = _words_by_term(text)
    meaningful = " ".join(words.get(term, term) for term in dict.fromkeys(_meaningful_terms(text)))
    if not meaningful:
        return []
    hits = search.similar(meaningful, kinds=[RESEARCHER_KIND], limit=SUGGESTION_CANDIDATES)
    if not hits:
        return []
    looked_for = search.distinctive_terms(meaningful)
    # The researcher role is checked in the query, not per profile (no N+1).
    is_researcher = RoleGrant.objects.filter(user=OuterRef("user"), role=Role.RESEARCHER)
    profiles = {
        profile.user_id: profile
        for profile in ResearcherProfile.objects.filter(
            Exists(is_researcher), is_available=True, user_id__in=[hit.pk for hit in hits]
        ).select_related("user")
    }
    suggestions = []
    for hit in hits:
        profile = profiles.get(hit.pk)
        if profile is None:
            continue
        held = set(
            _meaningful_terms(f"{profile.expertise} {profile.earlier_work} {profile.department}")
        )
        shared = tuple(term for term in looked_for if term in held)[:6]
        if not shared:
            continue
        suggestions.append((hit.score, profile, shared))
        if len(suggestions) == limit:
            break
    best = max((score for score, _p, _s in suggestions), default=0) or 1
    return [
        Suggestion(
            profile,
            score / best,
            shared,
            tuple(words.get(term, term) for term in shared),
        )
        for score, profile, shared in suggestions
    ]


# --- overview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StageTime:
    status: str
    label: str
    median_days: float | None
    finished: int  # how many questions have left the stage
    now_in_stage: int


def stage_durations(
    changes: list[tuple[str, datetime.datetime]], now: datetime.datetime
) -> dict[str, tuple[list[float], int]]:
    """From one question's status changes in order, the days spent in each stage it has left,
    and whether it is in a stage now: {status: ([days, …], 1 if current else 0)}."""
    result: dict[str, tuple[list[float], int]] = {}
    for index, (status, start) in enumerate(changes):
        days, current = result.get(status, ([], 0))
        if index + 1 < len(changes):
            end = changes[index + 1][1]
            days = [*days, (end - start).total_seconds() / 86400]
        elif status not in FINISHED:
            current = 1
        result[status] = (days, current)
    return result


def overview() -> dict[str, Any]:
    counts = dict(Question.objects.values_list("status").annotate(n=Count("pk")))
    per_status = [(status, label, counts.get(status, 0)) for status, label in Status.choices]
    durations: dict[str, list[float]] = defaultdict(list)
    current: dict[str, int] = defaultdict(int)
    changes: dict[int, list[tuple[str, datetime.datetime]]] = defaultdict(list)
    for question_id, status, at in QuestionEvent.objects.exclude(to_status="").values_list(
        "question_id", "to_status", "created_at"
    ):
        changes[question_id].append((status, at))
    now = timezone.now()
    for question_changes in changes.values():
        for status, (days, is_current) in stage_durations(question_changes, now).items():
            durations[status].extend(days)
            current[status] += is_current
    stages = [
        StageTime(
            status=status,
            label=Status(status).label,
            median_days=round(statistics.median(durations[status]), 1)
            if durations[status]
            else None,
            finished=len(durations[status]),
            now_in_stage=current[status],
        )
        for status in STAGES
    ]
    month_ago = now - datetime.timedelta(days=30)
    open_work = {
        "intake": _base().filter(status__in=[Status.SUBMITTED, Status.IN_DIALOGUE]),
        "unassigned": _base().filter(status=Status.ACCEPTED),
        "quiet": _base()
        .filter(status__in=[Status.MATCHED, Status.IN_PROGRESS])
        .exclude(meetings__starts_at__gte=month_ago)
        .distinct(),
        "follow_up": _base().filter(status__in=OUTCOMES, follow_up__isnull=True),
    }
    most = max(counts.values(), default=0)
    bars = [
        {
            "label": label,
            "count": count,
            "y": 24 * index,
            "width": round(300 * count / most) if most else 0,
        }
        for index, (_status, label, count) in enumerate(per_status)
    ]
    return {
        "per_status": per_status,
        "bars": bars,
        "chart_height": 24 * len(bars),
        "total": sum(counts.values()),
        "stages": stages,
        "open_work": open_work,
    }


def upcoming_meetings(question: Question) -> QuerySet[Meeting]:
    return question.meetings.filter(starts_at__gte=timezone.now())
