"""Adaptation drafts: a place adapting a method or an initiative, from draft to published
(or stopped)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation
from hjulet.core import changes
from hjulet.core.models import Municipality
from hjulet.core.permissions import require, require_signed_in
from hjulet.core.services import notify
from hjulet.knowledge import services as knowledge
from hjulet.knowledge.models import Initiative, Method

from ..models import AdaptationDraft, DraftStatus, SpreadPlan
from .permissions import can_edit_draft, draft_refused, original_team

DRAFT_FIELDS = (
    "title",
    "municipality",
    "target_group",
    "partners",
    "financing",
    "what_to_change",
    "why",
    "achieved",
    "organisation",
    "initiative",
)


def _check_organisation(actor: Any, organisation: Organisation | None) -> None:
    if organisation is not None and not (
        actor.is_coordinator
        or Membership.objects.filter(user=actor, organisation=organisation).exists()
    ):
        raise ValidationError(
            {"organisation": _("Choose an organisation you are a member of, or none.")}
        )


def _check_initiative(actor: Any, initiative: Initiative | None, draft: AdaptationDraft) -> None:
    if initiative is None:
        return
    if not knowledge.can_edit_initiative(actor, initiative):
        raise ValidationError(
            {"initiative": _("Choose an initiative you can edit, or leave it empty.")}
        )
    if initiative.pk == draft.source_initiative_id:
        raise ValidationError({"initiative": _("An initiative cannot adapt itself.")})


def _prefill(source: Method | Initiative) -> dict[str, str]:
    """What a new place starts from: the source's target groups and, for an initiative, its
    partners; the rest the place decides."""
    target_groups = ", ".join(t.label for t in source.target_groups.all())
    fields = {"target_group": target_groups}
    if isinstance(source, Initiative):
        fields["partners"] = ", ".join(
            p.name for p in source.partners.filter(partnerships__status="accepted")
        )
    return fields


@transaction.atomic
def draft_create(
    *,
    actor: Any,
    source_method: Method | None = None,
    source_initiative: Initiative | None = None,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
) -> AdaptationDraft:
    """Anyone signed in starts adapting a method or an initiative to their place."""
    require_signed_in(actor)
    if (source_method is None) == (source_initiative is None):
        raise ValidationError(
            _("Choose either a method or an initiative that was adapted."), code="one_source"
        )
    _check_organisation(actor, organisation)
    source = source_method or source_initiative
    title = (
        _("%(title)s in %(place)s") % {"title": source.title, "place": municipality.name}
        if municipality
        else source.title
    )
    draft = AdaptationDraft(
        owner=actor,
        organisation=organisation,
        source_method=source_method,
        source_initiative=source_initiative,
        municipality=municipality,
        title=title[:200],
        **_prefill(source),
    )
    changes.create(
        actor,
        draft,
        (),
        action="adaptationdraft.create",
        also={
            "adapted": [None, str(source)],
        },
    )
    return draft


@transaction.atomic
def draft_update(
    *,
    actor: Any,
    draft: AdaptationDraft,
    expected_version: Any = None,
    **fields: Any,
) -> AdaptationDraft:
    require(can_edit_draft(actor, draft), draft_refused())
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    with changes.edit(
        actor,
        draft,
        DRAFT_FIELDS,
        action="adaptationdraft.update",
        expected_version=expected_version,
        lock="in_place",
    ) as change:
        if "organisation" in fields and fields["organisation"] != draft.organisation:
            _check_organisation(actor, fields["organisation"])
        if "initiative" in fields and fields["initiative"] != draft.initiative:
            _check_initiative(actor, fields["initiative"], draft)
        change.assign(fields)
    return draft


def _lock(draft: AdaptationDraft) -> None:
    """Hold the draft's row to the end of the transaction and read it as stored, so a
    double submit publishes (or stops) once."""
    AdaptationDraft.objects.select_for_update().filter(pk=draft.pk).exists()
    draft.refresh_from_db()


def _status_change(actor: Any, draft: AdaptationDraft, *, action: str) -> Any:
    """An edit of a locked draft's status (audited as such; what comes with it is not)."""
    return changes.edit(actor, draft, ("status",), action=action, lock=False, clean=False)


def methods_of(draft: AdaptationDraft) -> list[Method]:
    if draft.source_method_id:
        return [draft.source_method]
    return list(draft.source_initiative.methods.all())


@transaction.atomic
def draft_publish(*, actor: Any, draft: AdaptationDraft) -> AdaptationDraft:
    """Publish: the place counts as reached in the method's plans, their owners and the
    original team are told; with the owner's own initiative, the adaptation is recorded on
    it too."""
    require(can_edit_draft(actor, draft), draft_refused())
    _lock(draft)
    if draft.is_published:
        raise ValidationError(_("This adaptation is already published."), code="published")
    missing = {}
    if draft.municipality_id is None:
        missing["municipality"] = _("Choose the municipality where you adapt it.")
    if not draft.what_to_change.strip():
        missing["what_to_change"] = _("Tell what you change, so others can learn from it.")
    if missing:
        raise ValidationError(missing)
    from .. import selectors

    new_place = not selectors.place_reached(draft)
    if draft.initiative_id and draft.adaptation_id is None:
        from hjulet.knowledge.models import Adaptation

        existing = Adaptation.objects.filter(
            initiative_id=draft.initiative_id,
            source_method=draft.source_method,
            source_initiative=draft.source_initiative,
        ).first()
        draft.adaptation = existing or knowledge.adaptation_create(
            actor=actor,
            initiative=draft.initiative,
            source_method=draft.source_method,
            source_initiative=draft.source_initiative,
            what_changed=draft.what_to_change,
            why=draft.why,
        )
    with _status_change(actor, draft, action="adaptationdraft.publish") as change:
        change.assign({"status": DraftStatus.PUBLISHED})
        draft.published_at = timezone.now()
    url = reverse("spreading:draft-detail", args=[draft.pk])
    place = draft.municipality.name
    if new_place:
        for plan in SpreadPlan.objects.filter(method__in=methods_of(draft)):
            notify(
                plan.owners.all(),
                lambda plan=plan: (
                    _("%(place)s now adapts %(method)s (plan: %(plan)s).")
                    % {"place": place, "method": plan.method.title, "plan": plan.title}
                ),
                url,
            )
    notify(
        [p for p in original_team(draft) if p.pk != actor.pk],
        lambda: (
            _("%(place)s published its adaptation of %(source)s.")
            % {"place": place, "source": draft.source.title}
        ),
        url,
    )
    return draft


@transaction.atomic
def draft_stop(*, actor: Any, draft: AdaptationDraft, reason: str) -> AdaptationDraft:
    """A published adaptation that ended: why it stopped is what others learn from."""
    require(can_edit_draft(actor, draft), draft_refused())
    _lock(draft)
    if draft.status != DraftStatus.PUBLISHED:
        raise ValidationError(_("Only a published adaptation can be marked as stopped."))
    if not reason.strip():
        raise ValidationError({"stopped_reason": _("Tell why it stopped.")})
    with _status_change(actor, draft, action="adaptationdraft.stop") as change:
        change.assign({"status": DraftStatus.STOPPED})
        draft.stopped_reason = reason.strip()
    return draft
