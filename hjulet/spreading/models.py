"""Spreading a method that works: dissemination plans with steps, and draft adaptations that
anyone signed in starts from a method or an initiative, with a message thread to its team."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjulet.core.model_fields import (
    exactly_one_constraint,
    municipality_field,
    organisation_field,
    person_field,
    version_field,
)
from hjulet.core.models import County, Municipality, TimeStamped
from hjulet.knowledge.models import Adaptation, Initiative, Method


class SpreadPlan(TimeStamped):
    """A plan to bring a method to more places: a goal, regions, audiences and steps."""

    method = models.ForeignKey(
        Method, on_delete=models.CASCADE, related_name="spread_plans", verbose_name=_("method")
    )
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), help_text=_("What the spreading should achieve."))
    target_places = models.PositiveIntegerField(
        _("target number of places"), help_text=_("How many new places should use the method.")
    )
    target_year = models.PositiveSmallIntegerField(_("target year"))
    counties = models.ManyToManyField(
        County, blank=True, related_name="+", verbose_name=_("target counties")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("target municipalities")
    )
    audiences = models.TextField(
        _("audiences"), blank=True, help_text=_("Who the plan wants to reach, one per line.")
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="spread_plans", verbose_name=_("owners")
    )
    created_by = person_field(blank=False)

    class Meta:
        ordering = ["target_year", "title"]
        verbose_name = _("dissemination plan")
        verbose_name_plural = _("dissemination plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_places__gte=1), name="spreadplan_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(target_year__gte=2000) & Q(target_year__lte=2100),
                name="spreadplan_year_sensible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_list(self) -> list[str]:
        return [line.strip() for line in self.audiences.splitlines() if line.strip()]


class PlanStep(models.Model):
    plan = models.ForeignKey(
        SpreadPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan")
    )
    title = models.CharField(_("step"), max_length=200)
    owner_person = person_field(_("responsible person"))
    owner_organisation = organisation_field(_("responsible organisation"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.title


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    STOPPED = "stopped", _("Stopped")


# What a place decides before it adapts a method: (field, question), in the order asked.
CHECKLIST = (
    ("target_group", _("Who is it for here?")),
    ("municipality", _("Where will it happen?")),
    ("partners", _("Who will you work with?")),
    ("financing", _("How is it financed?")),
    ("what_to_change", _("What will you change, and why?")),
)


class AdaptationDraft(TimeStamped):
    """A place adapting a method or an initiative: a draft that its owner fills in, talks
    over with the original team and publishes. Published, it counts as a place reached."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="adaptation_drafts",
        verbose_name=_("owner"),
    )
    organisation = organisation_field(_("organisation"), related_name="adaptation_drafts")
    source_method = models.ForeignKey(
        Method,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adaptation_drafts",
        verbose_name=_("method"),
    )
    source_initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adaptation_drafts",
        verbose_name=_("initiative"),
    )
    title = models.CharField(_("title"), max_length=200)
    municipality = municipality_field(optional=True)
    target_group = models.TextField(_("target group"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    financing = models.TextField(_("financing"), blank=True)
    what_to_change = models.TextField(_("what to change"), blank=True)
    why = models.TextField(_("why"), blank=True)
    achieved = models.TextField(_("what it achieved"), blank=True)
    stopped_reason = models.TextField(_("why it stopped"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("own initiative"),
        help_text=_("Your initiative that does this, if it is in Hjulet."),
    )
    adaptation = models.OneToOneField(
        Adaptation, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft"
    )
    version = version_field()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("adaptation draft")
        verbose_name_plural = _("adaptation drafts")
        constraints = [
            exactly_one_constraint(
                "source_method", "source_initiative", name="adaptationdraft_exactly_one_source"
            ),
        ]
        indexes = [models.Index(fields=["status", "source_method"], name="draft_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> Method | Initiative:
        return self.source_method or self.source_initiative

    @property
    def is_published(self) -> bool:
        return self.status != DraftStatus.DRAFT

    def checklist(self) -> list[tuple[str, bool]]:
        """Each question to decide, and whether it is answered."""
        return [(str(question), bool(getattr(self, field))) for field, question in CHECKLIST]

    @property
    def checklist_items(self) -> list[dict]:
        return [{"question": q, "decided": d} for q, d in self.checklist()]


class Message(models.Model):
    """One message in the thread between a place adapting and the original team."""

    draft = models.ForeignKey(AdaptationDraft, on_delete=models.CASCADE, related_name="messages")
    author = person_field(blank=False)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:60]
