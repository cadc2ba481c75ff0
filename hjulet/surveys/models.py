"""Member surveys: questionnaires, invitations, responses, coding of free text and reports."""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import (
    choices_constraint,
    organisation_field,
    person_field,
    version_field,
)
from hjulet.core.models import TimeStamped
from hjulet.lib import conditions


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey status", "Open")
    CLOSED = "closed", _("Closed")


class Survey(TimeStamped):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    description = models.TextField(_("introduction"), blank=True)
    languages = models.CharField(
        _("languages"), max_length=20, default="sv", help_text=_("Comma-separated: sv,en")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    deadline = models.DateTimeField(pgettext_lazy("survey", "deadline"), null=True, blank=True)
    anonymous_key = models.CharField(max_length=64, blank=True, editable=False)
    form_id = models.CharField(_("form id"), max_length=100, blank=True)
    form_version = models.CharField(_("form version"), max_length=100, blank=True)
    created_by = person_field()
    version = version_field()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [choices_constraint("status", SurveyStatus, name="survey_status_valid")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past_deadline(self) -> bool:
        return self.deadline is not None and self.deadline <= timezone.now()

    @property
    def accepts_answers(self) -> bool:
        return self.status == SurveyStatus.OPEN and not self.is_past_deadline

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class SurveyAccess(models.Model):
    """Access to a survey's raw answers for someone outside the owning organisation (a named
    research partner). The person is named by e-mail address (in its canonical form) and gets
    access once signed in with that address verified, so giving access never tells whether
    the address has an account."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="access_grants")
    email = models.EmailField(_("e-mail address"))
    note = models.CharField(
        _("purpose"),
        max_length=200,
        blank=True,
        help_text=_("For example: research partner at Umeå University, project Social Innovation."),
    )
    granted_by = person_field(blank=False)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        verbose_name = _("access to answers")
        verbose_name_plural = _("access to answers")
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="survey_access_unique")
        ]

    def __str__(self) -> str:
        return self.email


class QuestionType(models.TextChoices):
    SELECT_ONE = "select_one", _("Single choice")
    SELECT_MULTIPLE = "select_multiple", _("Multiple choice")
    LIKERT = "likert", _("Likert scale")
    TEXT = "text", _("Text")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    DATE = "date", _("Date")
    TIME = "time", _("Time of day")
    CALCULATE = "calculate", _("Calculated value")
    NOTE = "note", _("Note (no answer)")
    GROUP = "group", _("Group heading")


CHOICE_TYPES = (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE, QuestionType.LIKERT)
NUMBER_TYPES = (QuestionType.INTEGER, QuestionType.DECIMAL)
NO_ANSWER_TYPES = (QuestionType.NOTE, QuestionType.GROUP)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.SlugField(
        _("name"),
        max_length=100,
        help_text=_("A short identifier used in conditions and exports, e.g. new_solutions."),
    )
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    group = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"type": QuestionType.GROUP},
        verbose_name=_("group"),
    )
    label_sv = models.TextField(_("question (Swedish)"))
    label_en = models.TextField(_("question (English)"), blank=True)
    hint_sv = models.TextField(_("hint (Swedish)"), blank=True)
    hint_en = models.TextField(_("hint (English)"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    relevant = models.CharField(
        _("show only when"),
        max_length=500,
        blank=True,
        help_text=_("A condition such as ${new_solutions} = 'yes'."),
    )
    constraint = models.CharField(
        _("constraint"), max_length=500, blank=True, help_text=_("For example . >= 0")
    )
    constraint_message_sv = models.CharField(
        _("constraint message (Swedish)"), max_length=300, blank=True
    )
    constraint_message_en = models.CharField(
        _("constraint message (English)"), max_length=300, blank=True
    )
    choice_filter = models.CharField(_("choice filter"), max_length=500, blank=True)
    calculation = models.CharField(
        _("calculation"),
        max_length=500,
        blank=True,
        help_text=_("Only for calculated values, for example ${staff} * 12."),
    )
    appearance = models.CharField(_("appearance"), max_length=50, blank=True)
    version = version_field()

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="question_name_unique"),
            choices_constraint("type", QuestionType, name="question_type_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return (self.label_en if get_language() == "en" else "") or self.label_sv

    @property
    def hint(self) -> str:
        return (self.hint_en if get_language() == "en" else "") or self.hint_sv

    @property
    def constraint_message(self) -> str:
        return (
            self.constraint_message_en if get_language() == "en" else ""
        ) or self.constraint_message_sv

    @property
    def has_choices(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def takes_answer(self) -> bool:
        """Has a value per response (typed, chosen or calculated)."""
        return self.type not in NO_ANSWER_TYPES

    @property
    def is_calculated(self) -> bool:
        """The value is computed from other answers, never typed by the respondent."""
        return self.type == QuestionType.CALCULATE

    @property
    def column_type(self) -> str:
        """How the values are analysed: a calculation whose expression always gives a
        number is a decimal number, any other calculation is text; times of day are text."""
        if self.type != QuestionType.CALCULATE:
            return self.type
        try:
            numeric = conditions.parse(self.calculation).is_numeric
        except conditions.ExpressionError:
            numeric = False
        return QuestionType.DECIMAL if numeric else QuestionType.TEXT


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("value"), max_length=100)
    label_sv = models.CharField(_("label (Swedish)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    columns = models.JSONField(
        _("filter columns"), default=dict, blank=True, help_text=_("Used by choice filters.")
    )

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.label_sv

    @property
    def label(self) -> str:
        return (self.label_en if get_language() == "en" else "") or self.label_sv


class Invitation(models.Model):
    """A one-time link to answer, sent to an e-mail address (on behalf of an organisation)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    organisation = organisation_field(_("organisation"), related_name="survey_invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    invited_by = person_field(blank=False)
    reminder_count = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="survey_invitation_unique")
        ]

    def __str__(self) -> str:
        return self.email


class Response(models.Model):
    """One respondent's answers, ``{question name: value}`` (a list for multiple choice), and
    the names of the questions they were not asked. The organisation's län and sector are
    copied in, so segments need no joins."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    resume_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    organisation = organisation_field()
    county_code = models.CharField(_("county"), max_length=2, blank=True)
    sector_code = models.CharField(_("sector"), max_length=50, blank=True)
    answers = models.JSONField(default=dict)
    # Names of the questions a condition hid from this respondent (set when the answers are
    # saved): the results count them as "not asked", apart from "did not answer".
    not_asked = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_submitted_idx")]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class CodeFactor(models.TextChoices):
    NONE = "", _("—")
    FACILITATING = "facilitating", _("Facilitating")
    HINDERING = "hindering", _("Hindering")


class Code(models.Model):
    """A theme coordinators attach to free-text answers (ekonomi, kunskap …)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    label = models.CharField(_("code"), max_length=100)

    class Meta:
        ordering = ["label"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [models.UniqueConstraint(fields=["survey", "label"], name="code_unique")]

    def __str__(self) -> str:
        return self.label


class Coding(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="codings")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    factor = models.CharField(
        _("factor"), max_length=20, choices=CodeFactor.choices, blank=True, default=""
    )
    coded_by = person_field(blank=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "code"], name="coding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question} → {self.code}"


class Report(TimeStamped):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    introduction = models.TextField(_("introduction"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = version_field()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title


class BlockKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHART = "chart", _("Chart")
    CODES = "codes", _("Code frequencies")


class ReportBlock(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=BlockKind.choices)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )

    class Meta:
        ordering = ["report", "position", "pk"]
        verbose_name = _("report block")
        verbose_name_plural = _("report blocks")
        constraints = [choices_constraint("kind", BlockKind, name="report_block_kind_valid")]

    def __str__(self) -> str:
        return self.heading or self.kind


class SurveyTableSnapshot(models.Model):
    """A survey's submitted answers as columns (``analysis.SurveyTable``), stored compressed
    so that a new process reads one row instead of parsing every response. Only a cache
    (``surveys/tables.py``): checked against the submitted responses on every read, rebuilt
    when they differ, deleted by the services that change answers."""

    survey = models.OneToOneField(
        Survey, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    generation = models.CharField(max_length=32)
    spec_key = models.CharField(max_length=64)
    n = models.PositiveIntegerField()
    top = models.DateTimeField(null=True)
    data = models.BinaryField()
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stored answer columns")
        verbose_name_plural = _("stored answer columns")

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.n}"
