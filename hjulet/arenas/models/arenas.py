"""Arenas where sectors meet, the organisations and people in them, and their agreements."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import municipality_field, not_before_constraint, person_field
from hjulet.core.models import Term, TimeStamped

from ._common import NO_NUL, USER

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

MAX_DOCUMENT_PAGES = 1_000


class Arena(TimeStamped):
    """A place where public, idea-driven and private actors and residents work together."""

    name = models.CharField(_("name"), max_length=200, validators=NO_NUL)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    purpose = models.TextField(_("purpose"), validators=NO_NUL)
    municipality = municipality_field(optional=True)
    organisations = models.ManyToManyField(
        Organisation, through="ArenaOrganisation", related_name="arenas"
    )
    created_by = person_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("arena")
        verbose_name_plural = _("arenas")

    def __str__(self) -> str:
        return self.name

    @property
    def sectors(self) -> list[Term]:
        seen: dict[int, Term] = {}
        for link in self.memberships.all():
            seen.setdefault(link.organisation.sector_id, link.organisation.sector)
        return list(seen.values())

    @property
    def is_cross_sector(self) -> bool:
        return len(self.sectors) >= 2


class ArenaRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")


class ArenaOrganisation(models.Model):
    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(
        _("role"), max_length=10, choices=ArenaRole.choices, default=ArenaRole.PARTNER
    )

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["arena", "organisation"], name="arena_org_unique")
        ]

    def __str__(self) -> str:
        return f"{self.arena} – {self.organisation}"


class PersonRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Arena coordinator")
    PARTICIPANT = "participant", _("Participant")
    RESIDENT = "resident", _("Resident representative")


class ArenaPerson(models.Model):
    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(
        _("role"), max_length=12, choices=PersonRole.choices, default=PersonRole.PARTICIPANT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["arena", "user"], name="arena_person_unique")
        ]

    def __str__(self) -> str:
        return f"{self.arena} – {self.user}"


class AgreementKind(models.TextChoices):
    IOP = "iop", _("IOP (idea-driven public partnership)")
    LOCAL = "local", _("Local agreement")
    OTHER = "other", _("Other agreement")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


class PartnershipAgreement(TimeStamped):
    arena = models.ForeignKey(
        Arena, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("arena")
    )
    title = models.CharField(_("title"), max_length=200, validators=NO_NUL)
    kind = models.CharField(_("kind"), max_length=8, choices=AgreementKind.choices)
    parties = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("parties"))
    purpose = models.TextField(_("purpose"), validators=NO_NUL)
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(
        _("document (PDF)"),
        upload_to="arenas/agreements/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    status = models.CharField(
        _("status"), max_length=8, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        constraints = [
            not_before_constraint(
                "ends_on", "starts_on", name="agreement_ends_after_start", later_optional=True
            )
        ]

    def __str__(self) -> str:
        return self.title
