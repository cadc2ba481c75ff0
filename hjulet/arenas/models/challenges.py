"""The challenges arenas and organisations post, in phases, and their events."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import municipality_field, person_field, terms_field
from hjulet.core.models import TimeStamped, Vocabulary

from ._common import NO_NUL, USER
from .arenas import Arena


class Phase(models.TextChoices):
    IDEAS = "ideas", _("Ideas")
    DEVELOP = "develop", _("Develop")
    TEST = "test", _("Test")
    EVALUATE = "evaluate", _("Evaluate")


class Challenge(TimeStamped):
    """A problem an arena or organisation asks residents and partners to help solve."""

    title = models.CharField(_("title"), max_length=200, validators=NO_NUL)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    arena = models.ForeignKey(
        Arena,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("arena"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    problem = models.TextField(_("the problem"), validators=NO_NUL)
    affected = models.TextField(_("who is affected"), validators=NO_NUL)
    municipality = municipality_field()
    challenges = terms_field(Vocabulary.CHALLENGE, _("societal challenges"))
    sdgs = terms_field(Vocabulary.SDG, _("Agenda 2030 goals"))
    ideas_from = models.DateField(_("ideas from"))
    develop_from = models.DateField(_("develop from"))
    test_from = models.DateField(_("test from"))
    evaluate_from = models.DateField(_("evaluate from"))
    ends_on = models.DateField(_("ends"))
    is_open = models.BooleanField(_("open for ideas and comments"), default=True)
    created_by = person_field()
    pictures = GenericRelation("core.Picture")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(
                condition=Q(arena__isnull=False) | Q(organisation__isnull=False),
                name="challenge_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(develop_from__gte=models.F("ideas_from"))
                & Q(test_from__gte=models.F("develop_from"))
                & Q(evaluate_from__gte=models.F("test_from"))
                & Q(ends_on__gte=models.F("evaluate_from")),
                name="challenge_phases_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        return self.arena.name if self.arena_id else self.organisation.name

    def phases(self) -> list[dict]:
        """The four phases in order, each with its dates and ``state``: "done" (ended),
        "current" (today is in it) or "upcoming"."""
        starts = [self.ideas_from, self.develop_from, self.test_from, self.evaluate_from]
        ends = [*starts[1:], self.ends_on]
        today = timezone.localdate()
        return [
            {
                "code": phase.value,
                "label": phase.label,
                "starts": start,
                "ends": end,
                "current": start <= today < end,
                "state": "done" if end <= today else "current" if start <= today else "upcoming",
            }
            for phase, start, end in zip(Phase, starts, ends, strict=True)
        ]

    @property
    def current_phase(self) -> str:
        for phase in self.phases():
            if phase["current"]:
                return phase["code"]
        return ""


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    HACKATHON = "hackathon", _("Hackathon")


class Event(TimeStamped):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=NO_NUL)
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, validators=NO_NUL)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id} ({self.status})"
