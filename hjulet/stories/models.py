"""Stories from practice, research reports that follow initiatives and methods, and
suggestions of initiatives for the bank from anyone signed in."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjulet.arenas.models import Challenge
from hjulet.core.model_fields import NO_NUL, municipality_field, organisation_field, person_field
from hjulet.core.models import TimeStamped
from hjulet.knowledge.models import Initiative, Method
from hjulet.scienceshop.models import Outcome

USER = settings.AUTH_USER_MODEL
MAX_REPORT_BYTES = 20 * 1024 * 1024
MAX_REPORT_PAGES = 1_000


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined")


class Story(TimeStamped):
    """A story from practice: told by an organisation's member (published at once) or by a
    resident (published after a coordinator or moderator has read it)."""

    title = models.CharField(_("title"), max_length=200, validators=NO_NUL)
    text = models.TextField(_("the story"), validators=NO_NUL)
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    organisation = organisation_field(_("told for the organisation"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_reason = models.TextField(_("reason"), blank=True, validators=NO_NUL)
    reviewed_by = person_field()
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    initiatives = models.ManyToManyField(
        Initiative, blank=True, related_name="stories", verbose_name=_("initiatives")
    )
    methods = models.ManyToManyField(
        Method, blank=True, related_name="stories", verbose_name=_("methods")
    )
    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="stories", verbose_name=_("challenges")
    )
    pictures = GenericRelation("core.Picture")

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["status", "-published_at"], name="story_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED


class ResearchReport(TimeStamped):
    """Accompanying research (följeforskning) on an initiative or a method."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="research_reports",
        verbose_name=_("initiative"),
    )
    method = models.ForeignKey(
        Method,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="research_reports",
        verbose_name=_("method"),
    )
    title = models.CharField(_("title"), max_length=300, validators=NO_NUL)
    authors = models.CharField(_("authors"), max_length=500, validators=NO_NUL)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True, validators=NO_NUL)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=NO_NUL)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    document = models.FileField(
        _("report (PDF)"),
        upload_to="stories/reports/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    findings = models.TextField(
        _("key findings"),
        validators=NO_NUL,
        help_text=_("What the research found, in plain Swedish."),
    )
    summary = models.ForeignKey(
        Outcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("science-shop summary"),
    )
    created_by = person_field()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) | Q(method__isnull=False),
                name="report_has_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> Initiative | Method:
        return self.initiative or self.method

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class InitiativeSuggestion(TimeStamped):
    """ "Vill du att ert goda arbete ska synas här?": an initiative proposed for the bank by
    anyone signed in; coordinators accept it as a draft initiative or decline with a reason."""

    title = models.CharField(_("name of the initiative"), max_length=200, validators=NO_NUL)
    summary = models.CharField(
        _("summary"),
        max_length=400,
        validators=NO_NUL,
        help_text=_("One or two sentences: what is it, for whom?"),
    )
    description = models.TextField(
        _("what you do and what it has led to"), blank=True, validators=NO_NUL
    )
    organisation_name = models.CharField(
        _("who runs it"),
        max_length=200,
        blank=True,
        validators=NO_NUL,
        help_text=_("An association, some neighbours, a company … or nobody yet."),
    )
    municipality = municipality_field(help_text=_("Where it is done."))
    link = models.URLField(_("web address"), blank=True)
    suggested_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    decision_reason = models.TextField(_("reason"), blank=True, validators=NO_NUL)
    decided_by = person_field()
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiative"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("initiative suggestion")
        verbose_name_plural = _("initiative suggestions")

    def __str__(self) -> str:
        return self.title
