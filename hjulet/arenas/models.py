"""Arenas where sectors meet, the challenges they post, residents' ideas and what follows."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import (
    FileExtensionValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.models import Municipality, Term, TimeStamped, Vocabulary
from hjulet.knowledge.models import Initiative

USER = settings.AUTH_USER_MODEL
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_PAGES = 1_000
HIDE_AFTER_REPORTS = 3
# PostgreSQL cannot store NUL characters; refuse them as bad input, never a 500.
NO_NUL = [ProhibitNullCharactersValidator()]


class Arena(TimeStamped):
    """A place where public, idea-driven and private actors and residents work together."""

    name = models.CharField(_("name"), max_length=200, validators=NO_NUL)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    purpose = models.TextField(_("purpose"), validators=NO_NUL)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    organisations = models.ManyToManyField(
        Organisation, through="ArenaOrganisation", related_name="arenas"
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


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
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    challenges = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary__slug": Vocabulary.CHALLENGE},
        verbose_name=_("societal challenges"),
    )
    sdgs = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary__slug": Vocabulary.SDG},
        verbose_name=_("Agenda 2030 goals"),
    )
    ideas_from = models.DateField(_("ideas from"))
    develop_from = models.DateField(_("develop from"))
    test_from = models.DateField(_("test from"))
    evaluate_from = models.DateField(_("evaluate from"))
    ends_on = models.DateField(_("ends"))
    is_open = models.BooleanField(_("open for ideas and comments"), default=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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


class Moderated(TimeStamped):
    """Content people write: hidden after reports until a moderator decides."""

    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    is_hidden = models.BooleanField(_("hidden"), default=False)
    is_removed = models.BooleanField(_("removed by a moderator"), default=False)

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return not (self.is_hidden or self.is_removed)


class Idea(Moderated):
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("challenge")
    )
    title = models.CharField(_("title"), max_length=200, validators=NO_NUL)
    body = models.TextField(_("the idea"), validators=NO_NUL)
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("initiative"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    pictures = GenericRelation("core.Picture")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["challenge", "-created_at"], name="idea_challenge_idx"),
            # The visible ideas per challenge (lists, start page) counted from the index
            # alone: reading the idea rows took 0.3–0.6 s at 20,000 ideas on SQLite.
            models.Index(
                fields=["challenge"],
                condition=Q(is_hidden=False, is_removed=False),
                name="idea_visible_challenge_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdeaRevision(models.Model):
    """The idea as it was before an edit."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    edited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "version"], name="idea_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} v{self.version}"


class Comment(Moderated):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=4000, validators=NO_NUL)
    # The organisation the author answers for ("svarar för …"), chosen by the author among
    # their own organisations; empty when they write for themselves.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replies for"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="support_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class Follow(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(challenge__isnull=True, idea__isnull=False)
                | Q(challenge__isnull=False, idea__isnull=True),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "challenge"],
                condition=Q(challenge__isnull=False),
                name="follow_challenge_once",
            ),
            models.UniqueConstraint(
                fields=["user", "idea"], condition=Q(idea__isnull=False), name="follow_idea_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.challenge_id or self.idea_id}"


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


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OFFENSIVE = "offensive", _("Offensive")
    OFF_TOPIC = "off-topic", _("Off topic")


class Decision(models.TextChoices):
    KEEP = "keep", _("Keep: it follows the rules")
    REMOVE = "remove", _("Remove")


class Report(models.Model):
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=True, comment__isnull=False)
                | Q(idea__isnull=False, comment__isnull=True),
                name="report_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=Q(idea__isnull=False),
                name="report_idea_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="report_comment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason}: {self.idea_id or self.comment_id}"

    @property
    def target(self) -> Idea | Comment:
        return self.idea if self.idea_id else self.comment
