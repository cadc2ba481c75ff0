"""Where to get help: support structures, funding calls and advice requests."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import (
    choices_constraint,
    municipality_field,
    not_before_constraint,
    organisation_field,
    person_field,
    terms_field,
    version_field,
)
from hjulet.core.models import County, Municipality, TimeStamped, Vocabulary


class Service(models.TextChoices):
    """What a support structure offers, and what someone asking for advice needs."""

    ADVICE = "advice", _("Advice")
    FUNDING = "funding", _("Funding")
    PREMISES = "premises", _("Premises")
    RESEARCH = "research", _("Research contact")
    NETWORKS = "networks", _("Networks")
    TRAINING = "training", _("Training")


class Audience(models.TextChoices):
    """Whom a structure serves, or who may apply for a call."""

    IDEBUREN = "ideburen", _("Idea-driven organisations")
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Companies")
    RESIDENTS = "residents", _("Residents")


class Scope(models.TextChoices):
    NATIONAL = "national", _("All of Sweden")
    COUNTY = "county", _("Counties")
    MUNICIPALITY = "municipality", _("Municipalities")


class AreaServed(models.Model):
    """The area a structure serves or a call covers: all of Sweden, some län or some kommuner.
    Whom it is for is stored as one flag per audience, so lists can filter in the database."""

    scope = models.CharField(
        _("area"), max_length=12, choices=Scope.choices, default=Scope.MUNICIPALITY
    )
    counties = models.ManyToManyField(
        County, blank=True, related_name="+", verbose_name=_("counties")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities")
    )
    for_ideburen = models.BooleanField(_("idea-driven organisations"), default=False)
    for_public = models.BooleanField(_("public sector"), default=False)
    for_private = models.BooleanField(_("companies"), default=False)
    for_residents = models.BooleanField(_("residents"), default=False)

    class Meta:
        abstract = True

    @property
    def audiences(self) -> list[str]:
        return [a for a in Audience.values if getattr(self, f"for_{a}")]

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences]


def covering(municipality: Municipality) -> Q:
    """Structures or calls whose area includes ``municipality``."""
    return (
        Q(scope=Scope.NATIONAL)
        | Q(scope=Scope.COUNTY, counties=municipality.county_id)
        | Q(scope=Scope.MUNICIPALITY, municipalities=municipality)
    )


class SupportStructure(AreaServed, TimeStamped):
    """An organisation's entry in the support directory."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="support_structure",
        verbose_name=_("organisation"),
    )
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences: how you can help.")
    )
    description = models.TextField(_("description"), blank=True)
    offers_advice = models.BooleanField(_("advice"), default=False)
    offers_funding = models.BooleanField(_("funding"), default=False)
    offers_premises = models.BooleanField(_("premises"), default=False)
    offers_research = models.BooleanField(_("research contact"), default=False)
    offers_networks = models.BooleanField(_("networks"), default=False)
    offers_training = models.BooleanField(_("training"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Advice requests are sent here.")
    )
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_by = person_field()
    version = version_field()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("support structure")
        verbose_name_plural = _("support structures")
        constraints = [choices_constraint("scope", Scope, name="supportstructure_scope_valid")]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def services(self) -> list[str]:
        return [s for s in Service.values if getattr(self, f"offers_{s}")]

    @property
    def service_labels(self) -> list[str]:
        return [str(Service(s).label) for s in self.services]


class FundingCall(AreaServed, TimeStamped):
    """An utlysning: money someone can apply for, between an opening date and a deadline."""

    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_calls",
        verbose_name=_("funder"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    purpose = models.TextField(_("purpose"), help_text=_("What the money is for."))
    challenges = terms_field(Vocabulary.CHALLENGE, _("societal challenges"))
    sdgs = terms_field(Vocabulary.SDG, _("Agenda 2030 goals"))
    eligibility = models.TextField(
        _("who may apply (details)"), blank=True, help_text=_("Conditions beyond the categories.")
    )
    amount_min = models.PositiveIntegerField(_("smallest grant (SEK)"), null=True, blank=True)
    amount_max = models.PositiveIntegerField(_("largest grant (SEK)"), null=True, blank=True)
    co_financing = models.CharField(
        _("co-financing"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. 'At least a quarter of the budget from other sources'. Empty: none needed."
        ),
    )
    opens_on = models.DateField(_("opening date"))
    deadline = models.DateField(_("deadline"))
    link = models.URLField(_("link to the call"), blank=True)
    created_by = person_field()
    version = version_field()

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        constraints = [
            not_before_constraint("deadline", "opens_on", name="fundingcall_deadline_after"),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_max__gte=models.F("amount_min")),
                name="fundingcall_amount_range",
            ),
            choices_constraint("scope", Scope, name="fundingcall_scope_valid"),
        ]
        indexes = [models.Index(fields=["deadline", "opens_on"], name="fundingcall_dates_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            errors["deadline"] = _("The deadline cannot be before the opening date.")
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            errors["amount_min"] = _("The smallest grant cannot be larger than the largest.")
        if errors:
            raise ValidationError(errors)

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.deadline

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days


class CallFollow(models.Model):
    """A person follows a call and gets one reminder before its deadline."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_follows"
    )
    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("followed call")
        verbose_name_plural = _("followed calls")
        constraints = [models.UniqueConstraint(fields=["user", "call"], name="callfollow_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.call}"


class AdviceRequest(TimeStamped):
    """Someone with an idea asks for advice; the request is routed to the structures that
    serve their place and need, or to the national coordinators when no one does."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("Being handled")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        ADVICE_GIVEN = "advice_given", _("Advice given")
        REFERRED = "referred", _("Referred elsewhere")
        INITIATIVE = "initiative", _("Became an initiative")
        SCIENCE_SHOP = "science_shop", _("Became a science-shop question")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="advice_requests",
        verbose_name=_("asked by"),
    )
    organisation = organisation_field(_("on behalf of"), related_name="advice_requests")
    title = models.CharField(_("your idea in a few words"), max_length=200)
    description = models.TextField(
        _("describe your idea and what you need help with"),
    )
    municipality = municipality_field()
    needs = models.JSONField(_("what you need"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    routed_to = models.ManyToManyField(
        SupportStructure, blank=True, related_name="advice_requests", verbose_name=_("routed to")
    )
    to_coordinators = models.BooleanField(
        _("sent to the national coordinators"),
        default=False,
        help_text=_("No support structure serves this place and need."),
    )
    adviser = person_field(_("adviser"))
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("about the outcome"), blank=True)
    outcome_initiative = models.ForeignKey(
        "knowledge.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiative"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = version_field()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("advice request")
        verbose_name_plural = _("advice requests")
        constraints = [
            choices_constraint(
                "status", ["new", "in_progress", "closed"], name="advicerequest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="advicerequest_closed_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="advicerequest_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def need_labels(self) -> list[str]:
        return [str(Service(n).label) for n in self.needs if n in Service.values]

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def waiting_days(self) -> int:
        """Days since it was asked, until it was closed (or until now)."""
        end = self.closed_at or timezone.now()
        return (end - self.created_at).days


class AdviceNote(models.Model):
    """A note or a meeting in the handling of an advice request (seen by its handlers)."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        MEETING = "meeting", _("Meeting")

    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.NOTE)
    met_on = models.DateField(_("meeting date"), null=True, blank=True)
    text = models.TextField(_("text"))
    author = person_field(blank=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="note") | Q(met_on__isnull=False),
                name="advicenote_meeting_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"
