"""The science shop's API: the same services and rules as the pages."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from hjulet.accounts.models import Organisation, User
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.api_versions import VERSION_ERRORS, IfMatch, expected_version, patch_fields
from hjulet.core.models import Vocabulary
from hjulet.core.permissions import require, require_coordinator
from hjulet.core.schemas import ERRORS, ErrorOut
from hjulet.core.services import submit_once
from hjulet.regions.permissions import require_can_coordinate

from . import selectors, services
from .models import Meeting, Question, ResearcherProfile
from .schemas import (
    AssignmentIn,
    AssignmentOut,
    FollowUpIn,
    FollowUpOut,
    FormulationIn,
    FormulationOut,
    InterestIn,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    OverviewOut,
    QuestionListOut,
    ResearchDecisionIn,
    ResearcherIn,
    ResearcherOut,
    ResearchOutcomeIn,
    ResearchOutcomeOut,
    ResearchQuestionIn,
    ResearchQuestionOut,
    SuggestionOut,
    SummaryOut,
    TransitionIn,
)
from .views import meeting_calendar
from .workflow import Status as QuestionStatus

questions_router = Router(tags=["science shop"])
researchers_router = Router(tags=["science shop"])


def _user(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    return lookups.existing(User, field, pk, _("Unknown person."))


def _question(request: HttpRequest, question_id: int) -> Question:
    question = get_object_or_404(selectors.question_detail_query(), pk=question_id)
    services.require_view(request.auth, question)
    return question


def _fresh(question: Question) -> Question:
    return selectors.question_detail_query().get(pk=question.pk)


# --- public -----------------------------------------------------------------------------


@questions_router.get("/summaries", response=list[SummaryOut])
@paginate
def list_summaries(request: HttpRequest):
    """Published knowledge summaries: open to everyone."""
    return selectors.published_summaries()


@questions_router.get("/summaries/{summary_id}", response={200: SummaryOut, 404: ErrorOut})
def get_summary(request: HttpRequest, summary_id: int):
    return get_object_or_404(selectors.published_summaries(), pk=summary_id)


# --- questions --------------------------------------------------------------------------


@questions_router.get("", response={200: list[QuestionListOut], 401: ErrorOut}, auth=signed_in)
@paginate
def list_questions(request: HttpRequest, status: str = ""):
    """The questions you may see: your organisations' own; open ones if you are a researcher;
    all if you are a coordinator."""
    questions = selectors.visible_questions(request.auth)
    if status:
        if status not in QuestionStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        questions = questions.filter(status=status)
    return questions.order_by("-created_at")


@questions_router.post(
    "", response={200: ResearchQuestionOut, 201: ResearchQuestionOut, **ERRORS}, auth=signed_in
)
def submit_question(request: HttpRequest, payload: ResearchQuestionIn):
    """201 with the new question. Sent again with the same ``submission_token``: 200 with the
    question the first sending made, and nothing new is saved."""
    fields = payload.dict()
    token = fields.pop("submission_token")
    organisation = lookups.existing(
        Organisation, "organisation", fields.pop("organisation"), _("Unknown organisation.")
    )
    fields["challenges"] = lookups.terms("challenges", Vocabulary.CHALLENGE, fields["challenges"])
    question, first = submit_once(
        token=token,
        actor=request.auth,
        save=lambda: services.question_submit(
            actor=request.auth, organisation=organisation, **fields
        ),
    )
    return Status(201 if first else 200, _fresh(question))


@questions_router.get("/overview", response={200: OverviewOut, **ERRORS}, auth=signed_in)
def overview(request: HttpRequest):
    """For coordinators: questions per status, median days in each stage, open work (ids)."""
    require_coordinator(request.auth)
    data = selectors.overview()
    return {
        "per_status": {status: count for status, _label, count in data["per_status"]},
        "stages": data["stages"],
        "open_work": {
            key: list(questions.values_list("pk", flat=True))
            for key, questions in data["open_work"].items()
        },
    }


@questions_router.get(
    "/{question_id}", response={200: ResearchQuestionOut, **ERRORS}, auth=signed_in
)
def get_question(request: HttpRequest, question_id: int):
    question = _question(request, question_id)
    question.meetings_hidden = not services.can_see_meetings(request.auth, question)
    return question


@questions_router.post(
    "/{question_id}/formulations", response={201: FormulationOut, **ERRORS}, auth=signed_in
)
def add_formulation(request: HttpRequest, question_id: int, payload: FormulationIn):
    question = _question(request, question_id)
    return Status(
        201, services.formulation_add(actor=request.auth, question=question, **payload.dict())
    )


@questions_router.post(
    "/{question_id}/decision", response={200: ResearchQuestionOut, **ERRORS}, auth=signed_in
)
def decide(request: HttpRequest, question_id: int, payload: ResearchDecisionIn):
    """Accept, refer, advise or decline, with a reason the organisation reads."""
    question = _question(request, question_id)
    services.question_decide(actor=request.auth, question=question, **payload.dict())
    return _fresh(question)


@questions_router.post(
    "/{question_id}/transition", response={200: ResearchQuestionOut, **ERRORS}, auth=signed_in
)
def transition(request: HttpRequest, question_id: int, payload: TransitionIn):
    question = _question(request, question_id)
    services.question_transition(actor=request.auth, question=question, **payload.dict())
    return _fresh(question)


@questions_router.post("/{question_id}/interest", response={201: dict, **ERRORS}, auth=signed_in)
def express_interest(request: HttpRequest, question_id: int, payload: InterestIn):
    question = _question(request, question_id)
    interest = services.interest_express(actor=request.auth, question=question, **payload.dict())
    return Status(201, {"id": interest.pk, "question": question.pk})


@questions_router.get(
    "/{question_id}/suggestions", response={200: list[SuggestionOut], **ERRORS}, auth=signed_in
)
def suggestions(request: HttpRequest, question_id: int):
    """Researchers whose expertise is closest to the question, with the shared terms."""
    question = _question(request, question_id)
    require_can_coordinate(request.auth, question)
    return [
        {
            "researcher": s.profile,
            "score": round(s.score, 4),
            "shared_terms": s.shared_terms,
            "shared_words": s.shared_words,
        }
        for s in selectors.suggest_researchers(question)
    ]


@questions_router.post(
    "/{question_id}/assignments", response={201: AssignmentOut, **ERRORS}, auth=signed_in
)
def assign(request: HttpRequest, question_id: int, payload: AssignmentIn):
    question = _question(request, question_id)
    fields = payload.dict()
    fields["researcher"] = _user(fields["researcher"], "researcher")
    fields["supervisor"] = _user(fields["supervisor"], "supervisor")
    return Status(201, services.assignment_create(actor=request.auth, question=question, **fields))


@questions_router.post(
    "/{question_id}/meetings", response={201: MeetingOut, **ERRORS}, auth=signed_in
)
def add_meeting(request: HttpRequest, question_id: int, payload: MeetingIn):
    question = _question(request, question_id)
    return Status(
        201, services.meeting_create(actor=request.auth, question=question, **payload.dict())
    )


@questions_router.patch(
    "/{question_id}/meetings/{meeting_id}",
    response={200: MeetingOut, **ERRORS, **VERSION_ERRORS},
    auth=signed_in,
)
def update_meeting(
    request: HttpRequest,
    question_id: int,
    meeting_id: int,
    payload: MeetingPatch,
    if_match: IfMatch = None,
):
    """Notes and next steps after the meeting."""
    question = _question(request, question_id)
    meeting = get_object_or_404(Meeting, pk=meeting_id, question=question)
    fields, version = patch_fields(request, payload, if_match)
    return services.meeting_update(
        actor=request.auth, meeting=meeting, expected_version=version, **fields
    )


@questions_router.get(
    "/{question_id}/meetings/{meeting_id}/ics", response={200: None, **ERRORS}, auth=signed_in
)
def meeting_ics(request: HttpRequest, question_id: int, meeting_id: int):
    """The meeting as an iCalendar file (text/calendar)."""
    question = _question(request, question_id)
    if not services.can_see_meetings(request.auth, question):
        raise Http404
    meeting = get_object_or_404(Meeting, pk=meeting_id, question=question)
    return meeting_calendar(question, meeting)


@questions_router.post(
    "/{question_id}/outcome", response={201: ResearchOutcomeOut, **ERRORS}, auth=signed_in
)
def record_outcome(request: HttpRequest, question_id: int, payload: ResearchOutcomeIn):
    question = _question(request, question_id)
    fields = payload.dict()
    fields["challenges"] = lookups.terms("challenges", Vocabulary.CHALLENGE, fields["challenges"])
    return Status(201, services.outcome_record(actor=request.auth, question=question, **fields))


@questions_router.post(
    "/{question_id}/follow-up", response={201: FollowUpOut, **ERRORS}, auth=signed_in
)
def follow_up(request: HttpRequest, question_id: int, payload: FollowUpIn):
    question = _question(request, question_id)
    return Status(
        201, services.follow_up_record(actor=request.auth, question=question, **payload.dict())
    )


# --- researchers ------------------------------------------------------------------------


@researchers_router.get("", response={200: list[ResearcherOut], **ERRORS}, auth=signed_in)
@paginate
def list_researchers(request: HttpRequest):
    """Researcher profiles: for coordinators and researchers."""
    require(
        request.auth.is_coordinator or request.auth.is_researcher,
        _("Only coordinators and researchers can see researcher profiles."),
    )
    return ResearcherProfile.objects.select_related("user")


@researchers_router.get("/me", response={200: ResearcherOut, **ERRORS}, auth=signed_in)
def my_profile(request: HttpRequest):
    return get_object_or_404(ResearcherProfile.objects.select_related("user"), user=request.auth)


@researchers_router.put(
    "/me", response={200: ResearcherOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in
)
def save_my_profile(request: HttpRequest, payload: ResearcherIn, if_match: IfMatch = None):
    """Create your profile, or change it: then with the version you edited."""
    fields = payload.dict()
    version = expected_version(request, fields.pop("version"), if_match)
    return services.researcher_profile_save(actor=request.auth, expected_version=version, **fields)
