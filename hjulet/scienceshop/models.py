"""The science shop (forskarverkstad): an organisation's question, articulated with a
coordinator, taken on by researchers or students, and turned into usable knowledge."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import choices_constraint, person_field, terms_field, version_field
from hjulet.core.models import TimeStamped, Vocabulary

from .workflow import Status

USER = settings.AUTH_USER_MODEL


class Question(TimeStamped):
    """A question from an organisation, with the science shop's three criteria answered."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="scienceshop_questions",
        verbose_name=_("asking organisation"),
    )
    submitted_by = person_field(_("submitted by"), blank=False)
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(
        _("background"), help_text=_("What is the situation, and why does the question matter?")
    )
    wanted_knowledge = models.TextField(
        _("what you want to know"), help_text=_("The question itself, as precisely as you can.")
    )
    intended_use = models.TextField(
        _("how you will use the answer"),
        help_text=_("What you will do differently, and who will benefit."),
    )
    non_commercial = models.BooleanField(
        _("the question is not asked for commercial gain"),
    )
    results_may_be_public = models.BooleanField(_("the results may be made public"))
    lacks_means = models.BooleanField(
        _("the organisation lacks the means to get the knowledge in another way"),
    )
    challenges = terms_field(Vocabulary.CHALLENGE, _("societal challenges"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    version = version_field()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            choices_constraint("status", Status, name="scienceshop_question_status_valid")
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="ss_question_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def meets_criteria(self) -> bool:
        return self.non_commercial and self.results_may_be_public and self.lacks_means


class QuestionFormulation(models.Model):
    """One version of the question's wording, so both sides see how it changed."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="formulations")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("formulation"))
    comment = models.TextField(_("comment"), blank=True)
    author = person_field(blank=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("formulation")
        verbose_name_plural = _("formulations")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="scienceshop_formulation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"


class ResearcherProfile(TimeStamped):
    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="researcher_profile")
    university = models.CharField(_("university"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    expertise = models.TextField(
        _("expertise"), help_text=_("Fields, methods and subjects you know well, in Swedish.")
    )
    earlier_work = models.TextField(
        _("earlier work"), blank=True, help_text=_("Projects, publications, collaborations.")
    )
    is_available = models.BooleanField(_("available for new questions"), default=True)
    version = version_field()

    class Meta:
        ordering = ["user__name"]
        verbose_name = _("researcher profile")
        verbose_name_plural = _("researcher profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.university})"


class Interest(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="interests")
    researcher = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "researcher"], name="scienceshop_interest_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.researcher} → {self.question}"


class AssignmentKind(models.TextChoices):
    RESEARCHER = "researcher", _("Researcher")
    STUDENT = "student", _("Student project")


class ThesisLevel(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor's thesis")
    MASTER = "master", _("Master's thesis")
    COURSE = "course", _("Course project")


class Assignment(models.Model):
    """Who takes the question on: a researcher, or students with a supervisor."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(_("kind"), max_length=12, choices=AssignmentKind.choices)
    researcher = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("researcher"),
    )
    students = models.CharField(_("students"), max_length=300, blank=True)
    thesis_level = models.CharField(
        _("thesis level"), max_length=10, choices=ThesisLevel.choices, blank=True
    )
    supervisor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    created_by = person_field(blank=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=AssignmentKind.RESEARCHER, researcher__isnull=False)
                    | Q(kind=AssignmentKind.STUDENT, supervisor__isnull=False)
                    & ~Q(students="")
                    & ~Q(thesis_level="")
                ),
                name="scienceshop_assignment_complete",
            )
        ]

    def __str__(self) -> str:
        if self.kind == AssignmentKind.STUDENT:
            return f"{self.students} ({self.get_thesis_level_display()})"
        return str(self.researcher)

    @property
    def people(self) -> list:
        return [p for p in (self.researcher, self.supervisor) if p is not None]


class Meeting(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = person_field(blank=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    version = version_field()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.question} {self.starts_at:%Y-%m-%d %H:%M}"


class OutcomeKind(models.TextChoices):
    SUMMARY = "summary", _("Knowledge summary")
    RESEARCH_PROJECT = "research_project", _("Research project")
    CLOSED = "closed", _("Closed")


class Outcome(TimeStamped):
    """How the question ended: a public knowledge summary, a research project, or closed."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="outcome")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("knowledge summary"), blank=True)
    challenges = terms_field(Vocabulary.CHALLENGE, _("societal challenges"))
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = person_field(blank=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            choices_constraint("kind", OutcomeKind, name="scienceshop_outcome_kind_valid")
        ]

    def __str__(self) -> str:
        return self.title or str(self.question)


class UseOfResult(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class FollowUp(models.Model):
    """The organisation's word on whether and how the result was used."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="follow_up")
    was_used = models.CharField(
        _("was the result used?"), max_length=8, choices=UseOfResult.choices
    )
    how = models.TextField(_("how, or why not"))
    created_by = person_field(blank=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.question}: {self.get_was_used_display()}"


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    FORMULATION = "formulation", _("New formulation")
    INTEREST = "interest", _("Interest")
    ASSIGNMENT = "assignment", _("Assignment")
    MEETING = "meeting", _("Meeting")
    OUTCOME = "outcome", _("Outcome")
    FOLLOW_UP = "follow_up", _("Follow-up")


class QuestionEvent(models.Model):
    """One step on the question's timeline; written by the services beside the audit entry."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    actor = person_field(blank=False)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self) -> str:
        return f"{self.question} {self.kind} {self.created_at:%Y-%m-%d}"
