"""Every write to stories, research reports and initiative suggestions.

Each function checks permissions first, validates, runs in a transaction and records an
audit entry. Notifications go through ``core.services.notify`` (e-mail after commit).

- A story told for an organisation by one of its members (or by a coordinator or moderator)
  is published at once; anyone else's story waits for a coordinator or moderator to read it.
- A research report is added by those who edit the initiative or method it follows.
- An initiative suggestion comes from anyone signed in, organisation or not; coordinators
  accept it into the bank (a draft, not yet reviewed, initiative) or decline it with a reason.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation, User
from hjulet.arenas.models import Challenge
from hjulet.core import audit, changes
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import is_signed_in, require, require_coordinator, require_signed_in
from hjulet.core.services import notify
from hjulet.core.uploads import check_pdf
from hjulet.knowledge.models import Initiative, Method
from hjulet.knowledge.services import can_edit_initiative, can_edit_method, initiative_create
from hjulet.lib import doi as dois
from hjulet.scienceshop.models import Outcome
from hjulet.scienceshop.selectors import published_summaries

from . import searching
from .models import (
    MAX_REPORT_BYTES,
    MAX_REPORT_PAGES,
    InitiativeSuggestion,
    ResearchReport,
    ReviewStatus,
    Story,
)

STORY_FIELDS = ("title", "text", "organisation", "status")
REPORT_FIELDS = ("title", "authors", "year", "institution", "doi", "url", "findings")
SUGGESTION_FIELDS = (
    "title",
    "summary",
    "description",
    "organisation_name",
    "municipality",
    "link",
)
DECISIONS = ("publish", "decline")


# --- permissions ------------------------------------------------------------------------


def is_reviewer(actor: Any) -> bool:
    """Coordinators and moderators read residents' stories before they are published."""
    return is_signed_in(actor) and (actor.is_coordinator or actor.is_moderator)


def publishes_directly(actor: Any, organisation: Organisation | None) -> bool:
    if not is_signed_in(actor):
        return False
    if is_reviewer(actor):
        return True
    return (
        organisation is not None
        and Membership.objects.filter(user=actor, organisation=organisation).exists()
    )


def can_see_story(actor: Any, story: Story) -> bool:
    if story.is_published:
        return True
    return is_signed_in(actor) and (story.author_id == actor.pk or is_reviewer(actor))


def can_edit_story(actor: Any, story: Story) -> bool:
    """Its author (until it is declined) and reviewers change a story's pictures."""
    if not is_signed_in(actor):
        return False
    if is_reviewer(actor):
        return True
    return story.author_id == actor.pk and story.status != ReviewStatus.DECLINED


def can_add_report(actor: Any, subject: Initiative | Method) -> bool:
    if isinstance(subject, Initiative):
        return can_edit_initiative(actor, subject)
    return can_edit_method(actor, subject)


def _reviewers() -> Any:
    return User.objects.filter(
        Q(role_grants__role__in=["coordinator", "moderator", "admin"]) | Q(is_superuser=True),
        is_active=True,
    ).distinct()


def _coordinators() -> Any:
    return User.objects.filter(
        Q(role_grants__role__in=["coordinator", "admin"]) | Q(is_superuser=True), is_active=True
    ).distinct()


# --- stories ----------------------------------------------------------------------------


@transaction.atomic
def story_create(
    *,
    actor: Any,
    title: str,
    text: str,
    organisation: Organisation | None = None,
    initiatives: Sequence[Initiative] = (),
    methods: Sequence[Method] = (),
    challenges: Sequence[Challenge] = (),
) -> Story:
    """Tell a story linked to at least one initiative, method or challenge."""
    require_signed_in(actor)
    if organisation is not None:
        require(
            is_reviewer(actor)
            or Membership.objects.filter(user=actor, organisation=organisation).exists(),
            _("You can only tell stories for organisations you are a member of."),
        )
    if not (initiatives or methods or challenges):
        raise ValidationError(
            {"initiatives": _("Link the story to at least one initiative, method or challenge.")}
        )
    direct = publishes_directly(actor, organisation)
    story = Story(
        title=title.strip(),
        text=text.strip(),
        author=actor,
        organisation=organisation,
        status=ReviewStatus.PUBLISHED if direct else ReviewStatus.PENDING,
        published_at=timezone.now() if direct else None,
    )
    changes.create(
        actor,
        story,
        STORY_FIELDS,
        action="story.create",
        also={
            "initiatives": [None, sorted(i.slug for i in initiatives)],
            "methods": [None, sorted(m.slug for m in methods)],
            "challenges": [None, sorted(c.slug for c in challenges)],
        },
    )
    story.initiatives.set(initiatives)
    story.methods.set(methods)
    story.challenges.set(challenges)
    searching.index_story(story)
    if not direct:
        notify(
            _reviewers().exclude(pk=actor.pk),
            lambda: _("A new story waits for review: %(title)s") % {"title": story.title},
            reverse("stories:review-queue"),
        )
    return story


@transaction.atomic
def story_review(*, actor: Any, story: Story, decision: str, reason: str = "") -> Story:
    """A coordinator or moderator publishes a waiting story or declines it (with a reason
    for the author)."""
    require_signed_in(actor)
    require(is_reviewer(actor), _("Only coordinators and moderators may review stories."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose publish or decline.")})
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.status != ReviewStatus.PENDING:
        raise ValidationError(_("The story has already been reviewed."), code="duplicate")
    if decision == "decline" and not reason.strip():
        raise ValidationError({"reason": _("Tell the author why the story is declined.")})
    story.status = ReviewStatus.PUBLISHED if decision == "publish" else ReviewStatus.DECLINED
    story.published_at = timezone.now() if decision == "publish" else None
    story.review_reason = reason.strip()
    story.reviewed_by = actor
    story.save(
        update_fields=["status", "published_at", "review_reason", "reviewed_by", "updated_at"]
    )
    searching.index_story(story)
    audit.record(
        actor=actor,
        action="story.review",
        target=story,
        changes={
            "status": [ReviewStatus.PENDING, story.status],
            "reason": [None, story.review_reason],
        },
    )

    def text() -> str:
        values = {"title": story.title, "reason": story.review_reason}
        if story.is_published:
            return _("Your story is published: %(title)s") % values
        return _("Your story %(title)s was not published: %(reason)s") % values

    notify([story.author], text, reverse("stories:story-detail", args=[story.pk]))
    return story


# --- research reports -------------------------------------------------------------------


def _clean_doi(value: str) -> str:
    found = dois.normalise(value)
    if found is None:
        raise ValidationError(
            {"doi": _("This is not a DOI. Write it as 10.1234/abcd, or paste its doi.org address.")}
        )
    return found


@transaction.atomic
def report_create(
    *,
    actor: Any,
    subject: Initiative | Method,
    title: str,
    authors: str,
    year: int,
    findings: str,
    institution: str = "",
    doi: str = "",
    url: str = "",
    document: Any = None,
    summary: Outcome | None = None,
) -> ResearchReport:
    """Link accompanying research to an initiative or a method."""
    require_signed_in(actor)
    require(
        can_add_report(actor, subject),
        _("Only those who edit the initiative or method can add research about it."),
    )
    if summary is not None and not published_summaries().filter(pk=summary.pk).exists():
        raise ValidationError(
            {"summary": _("Only a published science-shop summary can be linked.")}
        )
    report = ResearchReport(
        title=title.strip(),
        authors=authors.strip(),
        year=year,
        institution=institution.strip(),
        doi=_clean_doi(doi or ""),
        url=(url or "").strip(),
        findings=findings.strip(),
        summary=summary,
        created_by=actor,
        **{"initiative" if isinstance(subject, Initiative) else "method": subject},
    )
    if not (report.doi or report.url or document or summary):
        raise ValidationError(
            {"url": _("Give a DOI, a web address or the report as a PDF, so readers find it.")}
        )
    if document:
        check_pdf(
            document, field="document", max_bytes=MAX_REPORT_BYTES, max_pages=MAX_REPORT_PAGES
        )
        report.document = document
    changes.create(
        actor,
        report,
        REPORT_FIELDS,
        action="research_report.create",
        also={
            "subject": [None, subject.slug],
            "document": [None, bool(document)],
        },
    )
    searching.index_report(report)
    return report


@transaction.atomic
def report_delete(*, actor: Any, report: ResearchReport) -> None:
    require_signed_in(actor)
    require(
        can_add_report(actor, report.subject),
        _("Only those who edit the initiative or method can remove research about it."),
    )
    audit.record(
        actor=actor,
        action="research_report.delete",
        target=report.subject,
        changes={"report": [report.title, None]},
    )
    searching.remove_report(report.pk)
    document = report.document
    report.delete()
    if document:
        transaction.on_commit(lambda: document.storage.delete(document.name))


# --- suggestions ------------------------------------------------------------------------


@transaction.atomic
def suggestion_create(*, actor: Any, **fields: Any) -> InitiativeSuggestion:
    """Anyone signed in suggests an initiative; the coordinators are told."""
    require_signed_in(actor)
    suggestion = InitiativeSuggestion(
        suggested_by=actor, **{k: v for k, v in fields.items() if k in SUGGESTION_FIELDS}
    )
    for name in ("title", "summary", "description", "organisation_name"):
        setattr(suggestion, name, getattr(suggestion, name).strip())
    changes.create(actor, suggestion, SUGGESTION_FIELDS, action="suggestion.create")
    notify(
        _coordinators().exclude(pk=actor.pk),
        lambda: (
            _("A new initiative is suggested for the bank: %(title)s") % {"title": suggestion.title}
        ),
        reverse("stories:suggestion-queue"),
    )
    return suggestion


def _pending(suggestion: InitiativeSuggestion) -> InitiativeSuggestion:
    locked = InitiativeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != ReviewStatus.PENDING:
        raise ValidationError(_("The suggestion has already been decided."), code="duplicate")
    return locked


def _decide(suggestion: InitiativeSuggestion, actor: Any, status: str, **values: Any) -> None:
    """Save a coordinator's decision on a suggestion: its status, who and when, and
    ``values``."""
    values.update(status=status, decided_by=actor, decided_at=timezone.now())
    for name, value in values.items():
        setattr(suggestion, name, value)
    suggestion.save(update_fields=[*values, "updated_at"])


@transaction.atomic
def suggestion_accept(
    *, actor: Any, suggestion: InitiativeSuggestion, lead: Organisation
) -> Initiative:
    """Take a suggestion into the bank as a draft initiative led by ``lead``."""
    require_coordinator(actor)
    suggestion = _pending(suggestion)
    description = suggestion.description
    if suggestion.link:
        description = f"{description}\n\n{suggestion.link}".strip()
    initiative = initiative_create(
        actor=actor,
        lead=lead,
        title=suggestion.title,
        summary=suggestion.summary,
        description=description,
        municipality=suggestion.municipality,
        stage=Term.objects.in_vocabulary(Vocabulary.STAGE).filter(code="test").first(),
        links=suggestion.link,
    )
    _decide(suggestion, actor, ReviewStatus.PUBLISHED, initiative=initiative)
    audit.record(
        actor=actor,
        action="suggestion.accept",
        target=suggestion,
        changes={"initiative": [None, initiative.slug], "lead": [None, lead.name]},
    )
    notify(
        [suggestion.suggested_by],
        lambda: (
            _("Your suggestion %(title)s is now in the initiative bank.")
            % {"title": suggestion.title}
        ),
        reverse("knowledge:initiative-detail", args=[initiative.slug]),
    )
    return initiative


@transaction.atomic
def suggestion_decline(
    *, actor: Any, suggestion: InitiativeSuggestion, reason: str
) -> InitiativeSuggestion:
    require_coordinator(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the person why the suggestion is declined.")})
    suggestion = _pending(suggestion)
    _decide(suggestion, actor, ReviewStatus.DECLINED, decision_reason=reason.strip())
    audit.record(
        actor=actor,
        action="suggestion.decline",
        target=suggestion,
        changes={"reason": [None, suggestion.decision_reason]},
    )
    notify(
        [suggestion.suggested_by],
        lambda: (
            _("Your suggestion %(title)s was not taken into the bank: %(reason)s")
            % {"title": suggestion.title, "reason": suggestion.decision_reason}
        ),
        reverse("stories:my-suggestions"),
    )
    return suggestion
