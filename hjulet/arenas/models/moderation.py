"""Reports of ideas and comments, and the moderators' decisions."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjulet.core.model_fields import person_field

from ._common import USER
from .ideas import Comment, Idea

HIDE_AFTER_REPORTS = 3


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
    decided_by = person_field()
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
