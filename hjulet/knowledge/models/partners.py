"""Who takes part in an initiative (partnerships, named editors) and how entries spread
(adaptations)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import choices_constraint, exactly_one_constraint, person_field
from hjulet.core.models import TimeStamped

from .entries import Initiative, Method


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    RESEARCHER = "researcher", _("Research partner")


class PartnershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organisation to accept")
    ACCEPTED = "accepted", _("Accepted")


class PartnershipQuerySet(models.QuerySet):
    def accepted(self) -> "PartnershipQuerySet":
        """The partnerships anyone may see: a requested one shows once the organisation
        accepts it."""
        return self.filter(status=PartnershipStatus.ACCEPTED)

    def pending(self) -> "PartnershipQuerySet":
        return self.filter(status=PartnershipStatus.PENDING)


class Partnership(models.Model):
    """An organisation's part in an initiative. The lead is accepted from the start; any
    other organisation is asked first (``pending``) and shown only once its administrators
    accept."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.PENDING,
    )
    requested_by = person_field(_("requested by"))
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="partnership_unique"
            ),
            choices_constraint("role", PartnerRole, name="partnership_role_valid"),
            choices_constraint("status", PartnershipStatus, name="partnership_status_valid"),
            models.CheckConstraint(
                condition=~Q(role=PartnerRole.LEAD) | Q(status=PartnershipStatus.ACCEPTED),
                name="partnership_lead_accepted",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="partnership_org_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == PartnershipStatus.PENDING


class InitiativeEditor(models.Model):
    """A person the lead organisation's administrators (or a coordinator) named to edit an
    initiative and follow up its impact, whichever organisation they belong to."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="editors", verbose_name=_("initiative")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiative_editor_roles",
        verbose_name=_("person"),
    )
    added_by = person_field(_("named by"))
    created_at = models.DateTimeField(_("named"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("initiative editor")
        verbose_name_plural = _("initiative editors")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiative_editor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.initiative})"


class Adaptation(TimeStamped):
    """Initiative B adapted a method or an initiative A to a new place or new actors."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="adaptations_made",
        verbose_name=_("adapting initiative"),
    )
    source_method = models.ForeignKey(
        Method,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adaptations",
        verbose_name=_("adapted method"),
    )
    source_initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adapted_by",
        verbose_name=_("adapted initiative"),
    )
    what_changed = models.TextField(_("what was changed"))
    why = models.TextField(_("why"), blank=True)
    created_by = person_field()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")
        constraints = [
            exactly_one_constraint(
                "source_method", "source_initiative", name="adaptation_exactly_one_source"
            ),
            models.CheckConstraint(
                condition=~Q(source_initiative=models.F("initiative")),
                name="adaptation_not_of_itself",
            ),
            models.UniqueConstraint(
                fields=["initiative", "source_method"],
                condition=Q(source_method__isnull=False),
                name="adaptation_method_once",
            ),
            models.UniqueConstraint(
                fields=["initiative", "source_initiative"],
                condition=Q(source_initiative__isnull=False),
                name="adaptation_initiative_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} ← {self.source}"

    @property
    def source(self) -> Method | Initiative:
        return self.source_method or self.source_initiative
