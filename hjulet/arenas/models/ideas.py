"""Residents' ideas for a challenge, comments on them, support and follows."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjulet.core.model_fields import organisation_field, person_field, version_field
from hjulet.core.models import TimeStamped
from hjulet.knowledge.models import Initiative

from ._common import NO_NUL, USER
from .challenges import Challenge


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
        db_index=False,  # idea_initiative_idx below
    )
    version = version_field()
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
            # Few ideas become initiatives: SQLite's statistics of a full index on a column
            # that is nearly all NULL say each value matches every row, and it scanned all
            # 20,000 ideas for every initiative's page. Indexed only where there is a value.
            models.Index(
                fields=["initiative"],
                condition=Q(initiative__isnull=False),
                name="idea_initiative_idx",
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
    edited_by = person_field(blank=False)
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
    organisation = organisation_field(_("replies for"))

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
