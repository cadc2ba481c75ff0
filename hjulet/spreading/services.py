"""Every write to dissemination plans, adaptation drafts and their message threads."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation
from hjulet.core import audit
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import County, Municipality
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.services import lock_and_check_version, notify
from hjulet.knowledge import services as knowledge
from hjulet.knowledge.models import Initiative, InitiativeEditor, Method

from .models import AdaptationDraft, DraftStatus, Message, PlanStep, SpreadPlan

# --- permissions ------------------------------------------------------------------------


def can_create_plan(actor: Any, method: Method) -> bool:
    """Those who edit the method (its organisations' people, coordinators) plan its spread."""
    return knowledge.can_edit_method(actor, method)


def can_edit_plan(actor: Any, plan: SpreadPlan) -> bool:
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator or plan.owners.filter(pk=actor.pk).exists():
        return True
    return knowledge.can_edit_method(actor, plan.method)


def can_edit_draft(actor: Any, draft: AdaptationDraft) -> bool:
    """The draft's owner, its organisation's administrators and coordinators."""
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator or draft.owner_id == actor.pk:
        return True
    return (
        draft.organisation_id is not None
        and Membership.objects.filter(
            user=actor, organisation_id=draft.organisation_id, role=MembershipRole.ADMIN
        ).exists()
    )


def original_team(draft: AdaptationDraft) -> list[Any]:
    """Who answers for what is adapted: an initiative's named editors and its lead
    organisation's administrators; a method's organisations' administrators (or whoever
    recorded it, when no organisation is named)."""
    if draft.source_initiative_id:
        people = [
            e.user
            for e in InitiativeEditor.objects.filter(
                initiative_id=draft.source_initiative_id
            ).select_related("user")
        ]
        people += [
            m.user
            for m in knowledge.lead_admin_memberships(draft.source_initiative).select_related(
                "user"
            )
        ]
        return people
    method = draft.source_method
    organisation_ids = list(method.organisations.values_list("pk", flat=True))
    if organisation_ids:
        return [
            m.user
            for m in Membership.objects.filter(
                organisation_id__in=organisation_ids, role=MembershipRole.ADMIN
            ).select_related("user")
        ]
    return [method.created_by] if method.created_by_id else []


def is_original_team(actor: Any, draft: AdaptationDraft) -> bool:
    return is_signed_in(actor) and any(p.pk == actor.pk for p in original_team(draft))


def can_read_draft(actor: Any, draft: AdaptationDraft) -> bool:
    """A published adaptation is public; a draft is for its people and the original team."""
    if draft.is_published:
        return True
    return can_use_thread(actor, draft)


def can_use_thread(actor: Any, draft: AdaptationDraft) -> bool:
    """The thread is between the place adapting and the original team (and coordinators)."""
    return can_edit_draft(actor, draft) or is_original_team(actor, draft)


def plan_refused() -> str:
    return _(
        "Only the people of the organisations behind the method, or coordinators, can plan "
        "its spread."
    )


def draft_refused() -> str:
    return _(
        "Only the person who started this adaptation, their organisation's administrators "
        "or coordinators can change it."
    )


# --- plans ------------------------------------------------------------------------------


def _check_year(target_year: int) -> None:
    this_year = timezone.localdate().year
    if not this_year <= target_year <= this_year + 30:
        raise ValidationError(
            {
                "target_year": _("Choose a year from %(first)d to %(last)d.")
                % {"first": this_year, "last": this_year + 30}
            }
        )


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    method: Method,
    title: str,
    goal: str,
    target_places: int,
    target_year: int,
    audiences: str = "",
    counties: Sequence[County] = (),
    municipalities: Sequence[Municipality] = (),
    owners: Sequence[Any] = (),
) -> SpreadPlan:
    """A dissemination plan for ``method``; its owners are told when a place adapts it."""
    require_signed_in(actor)
    require(
        can_create_plan(actor, method),
        plan_refused(),
    )
    _check_year(target_year)
    plan = SpreadPlan(
        method=method,
        title=title,
        goal=goal,
        target_places=target_places,
        target_year=target_year,
        audiences=audiences,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    plan.counties.set(counties)
    plan.municipalities.set(municipalities)
    plan.owners.set([actor, *owners])
    audit.record(
        actor=actor,
        action="spreadplan.create",
        target=plan,
        changes={"title": [None, title], "target_places": [None, target_places]},
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Any, plan: SpreadPlan, **fields: Any) -> SpreadPlan:
    require(can_edit_plan(actor, plan), _("Only the plan's owners or coordinators can change it."))
    relations = {k: fields.pop(k) for k in ("counties", "municipalities") if k in fields}
    if "target_year" in fields and fields["target_year"] != plan.target_year:
        _check_year(fields["target_year"])
    before = audit.snapshot(plan, fields)
    for name, value in fields.items():
        setattr(plan, name, value)
    changes = audit.diff(before, audit.snapshot(plan, fields))
    plan.full_clean()
    plan.save()
    for name, value in relations.items():
        getattr(plan, name).set(value)
    audit.record(actor=actor, action="spreadplan.update", target=plan, changes=changes)
    return plan


@transaction.atomic
def step_create(
    *,
    actor: Any,
    plan: SpreadPlan,
    title: str,
    due_date: datetime.date | None = None,
    owner_person: Any = None,
    owner_organisation: Organisation | None = None,
) -> PlanStep:
    require(can_edit_plan(actor, plan), _("Only the plan's owners or coordinators can change it."))
    step = PlanStep(
        plan=plan,
        title=title,
        due_date=due_date,
        owner_person=owner_person,
        owner_organisation=owner_organisation,
    )
    step.full_clean()
    step.save()
    audit.record(
        actor=actor, action="planstep.create", target=plan, changes={"step": [None, title]}
    )
    return step


@transaction.atomic
def step_set_done(*, actor: Any, step: PlanStep, done: bool) -> PlanStep:
    require(
        can_edit_plan(actor, step.plan), _("Only the plan's owners or coordinators can change it.")
    )
    if step.done != done:
        step.done = done
        step.save(update_fields=["done"])
        audit.record(
            actor=actor,
            action="planstep.done" if done else "planstep.undone",
            target=step.plan,
            changes={"step": [step.title, step.title]},
        )
    return step


# --- adaptation drafts ------------------------------------------------------------------

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
    draft.full_clean()
    draft.save()
    audit.record(
        actor=actor,
        action="adaptationdraft.create",
        target=draft,
        changes={"adapted": [None, str(source)]},
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
    if expected_version is not None:
        lock_and_check_version(draft, expected_version)
    if "organisation" in fields and fields["organisation"] != draft.organisation:
        _check_organisation(actor, fields["organisation"])
    if "initiative" in fields and fields["initiative"] != draft.initiative:
        _check_initiative(actor, fields["initiative"], draft)
    before = audit.snapshot(draft, fields)
    for name, value in fields.items():
        setattr(draft, name, value)
    changes = audit.diff(before, audit.snapshot(draft, fields))
    draft.full_clean()
    if changes:
        draft.version += 1
    draft.save()
    if changes:
        audit.record(actor=actor, action="adaptationdraft.update", target=draft, changes=changes)
    return draft


def _lock(draft: AdaptationDraft) -> None:
    """Hold the draft's row to the end of the transaction and read it as stored, so a
    double submit publishes (or stops) once."""
    AdaptationDraft.objects.select_for_update().filter(pk=draft.pk).exists()
    draft.refresh_from_db()


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
    from . import selectors

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
    draft.status = DraftStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.version += 1
    draft.save()
    audit.record(
        actor=actor,
        action="adaptationdraft.publish",
        target=draft,
        changes={"status": [DraftStatus.DRAFT, DraftStatus.PUBLISHED]},
    )
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
    draft.status = DraftStatus.STOPPED
    draft.stopped_reason = reason.strip()
    draft.version += 1
    draft.save()
    audit.record(
        actor=actor,
        action="adaptationdraft.stop",
        target=draft,
        changes={"status": [DraftStatus.PUBLISHED, DraftStatus.STOPPED]},
    )
    return draft


@transaction.atomic
def message_post(*, actor: Any, draft: AdaptationDraft, body: str) -> Message:
    """A message in the thread; the other side is told under the bell and by e-mail, with a
    link to the thread (an answer is written on the site: replies by e-mail do not arrive)."""
    require_signed_in(actor)
    require(
        can_use_thread(actor, draft),
        _("Only the people adapting this and the original team can write in this thread."),
    )
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Keep the message under 5,000 characters.")})
    message = Message(draft=draft, author=actor, body=body)
    message.full_clean()
    message.save()
    audit.record(
        actor=actor, action="message.create", target=draft, changes={"message": [None, body[:200]]}
    )
    team = original_team(draft)
    from_team = any(p.pk == actor.pk for p in team)
    if from_team:
        recipients = [draft.owner]
    else:
        recipients = team + ([draft.owner] if draft.owner_id != actor.pk else [])
    recipients = [p for p in {p.pk: p for p in recipients}.values() if p.pk != actor.pk]
    url = reverse("spreading:draft-thread", args=[draft.pk])
    author = actor.display_name

    def text() -> str:
        return _("%(author)s wrote about adapting %(source)s.") % {
            "author": author,
            "source": draft.source.title,
        }

    notify(recipients, text, url, email=False)
    for person in recipients:
        if person.is_active and person.email:
            send_templated_mail(
                to=person.email,
                template="spreading/email/message",
                context={
                    "author": author,
                    "source": draft.source.title,
                    "body": body,
                    "url": absolute_url(url),
                },
                language=person.language,
            )
    return message
