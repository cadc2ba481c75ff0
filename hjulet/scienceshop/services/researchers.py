"""Researchers: their profiles, their interest in questions, and assigning them (or
students with a supervisor) to a question."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.accounts.models import User
from hjulet.core import changes
from hjulet.core.changes import MissingVersion
from hjulet.core.permissions import require, require_signed_in
from hjulet.regions.permissions import require_can_coordinate

from ..indexing import index_researcher_profile
from ..models import Assignment, AssignmentKind, EventKind, Interest, Question, ResearcherProfile
from ..workflow import ASSIGNMENT_OPEN, OPEN_TO_RESEARCHERS, Status
from ._common import _coordinators, _event, _locked_in, _mail, _move, _question_url, _stripped

PROFILE_FIELDS = ("university", "department", "expertise", "earlier_work", "is_available")


@transaction.atomic
def researcher_profile_save(
    *, actor: Any, expected_version: int | MissingVersion | None = None, **fields: Any
) -> ResearcherProfile:
    """A researcher describes their expertise (creates or updates their own profile)."""
    require_signed_in(actor)
    require(
        actor.is_researcher,
        _("Only people with the researcher role have a researcher profile. Ask a coordinator."),
    )
    fields = _stripped(fields)
    profile = ResearcherProfile.objects.select_for_update().filter(user=actor).first()
    if profile is None:
        profile = ResearcherProfile(
            user=actor, **{k: v for k, v in fields.items() if k in PROFILE_FIELDS}
        )
        changes.create(actor, profile, PROFILE_FIELDS, action="researcher_profile.create")
    else:
        changes.update(
            actor,
            profile,
            PROFILE_FIELDS,
            fields,
            action="researcher_profile.update",
            expected_version=expected_version,
            lock=False,  # locked above
        )
    index_researcher_profile(profile)
    return profile


@transaction.atomic
def interest_express(*, actor: Any, question: Question, message: str = "") -> Interest:
    require_signed_in(actor)
    require(actor.is_researcher, _("Only researchers can express interest in a question."))
    question = _locked_in(
        question,
        OPEN_TO_RESEARCHERS,
        _("The question is “%(status)s” and not open to researchers."),
    )
    if question.interests.filter(researcher=actor).exists():
        raise ValidationError(
            _("You have already said that you are interested in this question."),
            code="duplicate",
        )
    interest = Interest(question=question, researcher=actor, message=(message or "").strip())
    changes.create(
        actor,
        interest,
        action="question.interest",
        target=question,
        also={"interested": [None, actor.email]},
    )
    _event(question, actor, EventKind.INTEREST, message)
    _mail(
        _coordinators(),
        "interest",
        question=question,
        researcher=actor,
        message=message,
        url=_question_url(question),
    )
    return interest


def _require_researcher(user: User | None, field: str) -> None:
    if user is not None and not user.is_researcher:
        raise ValidationError(
            {field: _("%(name)s does not have the researcher role.") % {"name": user}}
        )


@transaction.atomic
def assignment_create(
    *,
    actor: Any,
    question: Question,
    kind: str,
    researcher: User | None = None,
    students: str = "",
    thesis_level: str = "",
    supervisor: User | None = None,
) -> Assignment:
    """The coordinator assigns a researcher, or students with a supervisor. The first
    assignment of an accepted question makes it matched."""
    require_can_coordinate(actor, question)
    question = _locked_in(
        question,
        ASSIGNMENT_OPEN,
        _("The question is “%(status)s”; only accepted questions can be assigned."),
    )
    if kind == AssignmentKind.RESEARCHER:
        students, thesis_level, supervisor = "", "", None
        if researcher is None:
            raise ValidationError({"researcher": _("Choose a researcher.")})
    elif kind == AssignmentKind.STUDENT:
        researcher = None
        errors = {}
        if not (students or "").strip():
            errors["students"] = _("Name the students.")
        if not thesis_level:
            errors["thesis_level"] = _("Choose the thesis level.")
        if supervisor is None:
            errors["supervisor"] = _("Choose a supervisor.")
        if errors:
            raise ValidationError(errors)
    else:
        raise ValidationError({"kind": _("Choose a researcher or a student project.")})
    _require_researcher(researcher, "researcher")
    _require_researcher(supervisor, "supervisor")
    if researcher is not None and question.assignments.filter(researcher=researcher).exists():
        raise ValidationError(
            {"researcher": _("%(name)s is already assigned.") % {"name": researcher}},
            code="duplicate",
        )
    assignment = Assignment(
        question=question,
        kind=kind,
        researcher=researcher,
        students=(students or "").strip(),
        thesis_level=thesis_level,
        supervisor=supervisor,
        created_by=actor,
    )
    changes.create(
        actor,
        assignment,
        action="question.assign",
        target=question,
        also={"assigned": [None, str(assignment)], "kind": [None, kind]},
    )
    _event(question, actor, EventKind.ASSIGNMENT, str(assignment))
    _mail(
        assignment.people,
        "assigned",
        question=question,
        assignment=assignment,
        url=_question_url(question),
    )
    if question.status == Status.ACCEPTED:
        # The people assigned have just had the assignment's e-mail, which says so.
        _move(
            actor=actor,
            question=question,
            target=Status.MATCHED,
            already_told=assignment.people,
        )
    return assignment
