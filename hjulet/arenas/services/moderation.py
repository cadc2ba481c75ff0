"""Reports of ideas and comments, and the moderators' decisions on them."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import User
from hjulet.core import audit, changes
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.permissions import require, require_signed_in
from hjulet.core.services import notify
from hjulet.regions.permissions import hub_moderates

from .. import searching
from ..models import HIDE_AFTER_REPORTS, Comment, Decision, Idea, Report


@transaction.atomic
def content_report(
    *, actor: Any, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> Report:
    """Report an idea or comment; the third person to report it hides it."""
    require_signed_in(actor)
    target = idea if idea is not None else comment
    field = "idea" if idea is not None else "comment"
    if target.author_id == actor.pk:
        raise ValidationError(_("You cannot report what you wrote yourself."))
    open_reports = Report.objects.filter(**{field: target}, decided_at__isnull=True)
    if Report.objects.filter(**{field: target}, reporter=actor).exists():
        raise ValidationError(_("You have already reported this."), code="duplicate")
    report = Report(reporter=actor, reason=reason, **{field: target})
    changes.create(
        actor, report, action=f"{field}.report", target=target, also={"reason": [None, reason]}
    )
    reporters = open_reports.values("reporter").distinct().count()
    hidden_now = reporters >= HIDE_AFTER_REPORTS and not target.is_hidden
    if hidden_now:
        type(target).objects.filter(pk=target.pk).update(is_hidden=True)
        target.is_hidden = True
        if isinstance(target, Idea):
            searching.index_idea(target)
        audit.record(actor=None, action=f"{field}.hide", target=target)
    _tell_moderators(report, target, hidden_now)
    return report


def _moderators() -> Any:
    return User.objects.filter(
        Q(role_grants__role__in=["moderator", "admin"]) | Q(is_superuser=True), is_active=True
    ).distinct()


def _tell_moderators(report: Report, target: Idea | Comment, hidden_now: bool) -> None:
    """Every report reaches each moderator: why, and what was reported."""

    def text() -> str:
        values = {"reason": report.get_reason_display(), "excerpt": _excerpt(target)}
        if hidden_now:
            return _("Reported (%(reason)s) and now hidden until you decide: %(excerpt)s") % values
        return _("New report (%(reason)s): %(excerpt)s") % values

    moderators = _moderators().exclude(pk=report.reporter_id)
    notify(moderators, text, reverse("arenas:moderation-queue"))


def _excerpt(target: Idea | Comment) -> str:
    return target.title if isinstance(target, Idea) else target.body[:80]


@transaction.atomic
def moderation_decide(
    *,
    actor: Any,
    decision: str,
    explanation: str,
    idea: Idea | None = None,
    comment: Comment | None = None,
) -> Idea | Comment:
    """A moderator keeps or removes reported content; the author is told why."""
    require_signed_in(actor)
    target = idea if idea is not None else comment
    require(
        actor.is_moderator or hub_moderates(actor, target),
        _("Only moderators may decide on reported content."),
    )
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose keep or remove.")})
    if not explanation.strip():
        raise ValidationError({"explanation": _("Explain the decision to the author.")})
    field = "idea" if idea is not None else "comment"
    reports = Report.objects.filter(**{field: target}, decided_at__isnull=True)
    if not reports.exists():
        raise ValidationError(_("There is nothing to decide: no open reports."))
    reports.update(decision=decision, decided_by=actor, decided_at=timezone.now())
    target.is_hidden = False
    target.is_removed = decision == Decision.REMOVE
    target.save(update_fields=["is_hidden", "is_removed", "updated_at"])
    if isinstance(target, Idea):
        searching.index_idea(target)
    audit.record(
        actor=actor,
        action=f"{field}.moderate",
        target=target,
        changes={"decision": [None, decision], "explanation": [None, explanation]},
    )
    url = reverse("arenas:idea-detail", args=[idea.pk if idea is not None else comment.idea_id])
    notify(
        [target.author],
        lambda: (
            _("A moderator has decided on your post: %(excerpt)s") % {"excerpt": _excerpt(target)}
        ),
        url,
        email=False,
    )
    send_templated_mail(
        to=target.author.email,
        template="arenas/email/moderated",
        context={
            "removed": target.is_removed,
            "excerpt": _excerpt(target),
            "explanation": explanation,
            "url": absolute_url(url),
        },
        language=target.author.language,
    )
    return target
