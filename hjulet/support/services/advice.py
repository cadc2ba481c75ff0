"""Every write to support structures, funding calls, follows and advice requests.

Each function checks permissions first, validates, runs in a transaction and records an
audit entry. E-mail goes out after commit (core/mail.py).
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation, Role, User
from hjulet.core import audit
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import County, Municipality, Term, Vocabulary
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.services import check_version
from hjulet.knowledge.models import Initiative
from hjulet.regions.permissions import can_coordinate, hub_people_for

from .. import searching
from ..models import (
    AdviceNote,
    AdviceRequest,
    Audience,
    CallFollow,
    FundingCall,
    Scope,
    Service,
    SupportStructure,
)

STRUCTURE_FIELDS = (
    "summary",
    "description",
    "scope",
    "contact_name",
    "contact_email",
    "phone",
    "website",
)
CALL_FIELDS = (
    "title",
    "purpose",
    "scope",
    "eligibility",
    "amount_min",
    "amount_max",
    "co_financing",
    "opens_on",
    "deadline",
    "link",
)
# Advice requests are private: the audit log keeps who did what and where, not the texts
# people wrote (those go with the request when its asker erases their account).
REQUEST_FIELDS = ("title", "municipality", "organisation")
REMIND_DAYS_BEFORE = 7
DUPLICATE_WINDOW = datetime.timedelta(minutes=30)
RESERVED_SLUGS = frozenset({"ny", "export", "for-initiativ"})


# --- permissions ------------------------------------------------------------------------


def _is_member(actor: Any, organisation_id: int) -> bool:
    return Membership.objects.filter(user=actor, organisation_id=organisation_id).exists()


def can_edit_structure(actor: Any, structure: SupportStructure) -> bool:
    """Each organisation keeps its own entry up to date; coordinators help."""
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or _is_member(actor, structure.organisation_id)


def can_edit_call(actor: Any, call: FundingCall) -> bool:
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or _is_member(actor, call.funder_id)


def handles_request(actor: Any, request: AdviceRequest) -> bool:
    """Coordinators (a regional hub's for requests from its area), and the people of the
    support structures the request was routed to."""
    if not is_signed_in(actor):
        return False
    if can_coordinate(actor, request):
        return True
    return Membership.objects.filter(
        user=actor, organisation__support_structure__advice_requests=request
    ).exists()


def can_view_request(actor: Any, request: AdviceRequest) -> bool:
    if not is_signed_in(actor):
        return False
    return request.asker_id == actor.pk or handles_request(actor, request)


# --- shared helpers ---------------------------------------------------------------------


def _check_choices(field: str, values: Sequence[str], allowed: list[str]) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationError(
            {field: _("Unknown choices: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return [value for value in allowed if value in values]


def _set_flags(instance: Any, prefix: str, chosen: Sequence[str], allowed: list[str]) -> None:
    for value in allowed:
        setattr(instance, f"{prefix}{value}", value in chosen)


def _area_errors(
    scope: str, counties: Sequence[County] | None, municipalities: Sequence[Municipality] | None
) -> dict[str, str]:
    if scope == Scope.COUNTY and not counties:
        return {"counties": _("Choose at least one county, or another area.")}
    if scope == Scope.MUNICIPALITY and not municipalities:
        return {"municipalities": _("Choose at least one municipality, or another area.")}
    return {}


def _set_area(
    instance: Any, counties: Sequence[County] | None, municipalities: Sequence[Municipality] | None
) -> dict[str, list]:
    """Keep only the areas that the scope uses; return the changes for the audit log."""
    counties = list(counties or []) if instance.scope == Scope.COUNTY else []
    municipalities = list(municipalities or []) if instance.scope == Scope.MUNICIPALITY else []
    changes = {}
    for field, values in (("counties", counties), ("municipalities", municipalities)):
        before = sorted(getattr(instance, field).values_list("code", flat=True))
        after = sorted(area.code for area in values)
        if before != after:
            getattr(instance, field).set(values)
            changes[field] = [before, after]
    return changes


def _flags(instance: Any) -> dict[str, list[str]]:
    out = {"audiences": instance.audiences}
    if isinstance(instance, SupportStructure):
        out["services"] = instance.services
    return out


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200] or "utlysning"
    slug, counter = base, 2
    while (
        slug in RESERVED_SLUGS
        or FundingCall.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
    ):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _structure_emails(structure: SupportStructure) -> list[str]:
    return [structure.contact_email] if structure.contact_email else []


def _coordinators() -> list[User]:
    return list(
        User.objects.filter(
            Q(role_grants__role__in=[Role.COORDINATOR, Role.ADMIN]) | Q(is_superuser=True),
            is_active=True,
        ).distinct()
    )


# --- support structures -----------------------------------------------------------------


@transaction.atomic
def structure_create(
    *,
    actor: Any,
    organisation: Organisation,
    services: Sequence[str] = (),
    audiences: Sequence[str] = (),
    counties: Sequence[County] = (),
    municipalities: Sequence[Municipality] = (),
    **fields: Any,
) -> SupportStructure:
    """Put an organisation in the support directory (its administrators, or a coordinator)."""
    require_signed_in(actor)
    require(
        actor.is_coordinator
        or Membership.objects.filter(
            user=actor, organisation=organisation, role=MembershipRole.ADMIN
        ).exists(),
        _("Only the organisation's administrators, or coordinators, can add it to the directory."),
    )
    if SupportStructure.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(name)s is already in the directory; edit its entry instead.")
                % {"name": organisation.name}
            },
            code="duplicate",
        )
    structure = SupportStructure(
        organisation=organisation,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in STRUCTURE_FIELDS},
    )
    _save_structure(structure, services, audiences, counties, municipalities)
    audit.record(
        actor=actor,
        action="support_structure.create",
        target=structure,
        changes={
            **audit.created(structure, STRUCTURE_FIELDS),
            **{k: [None, v] for k, v in _flags(structure).items()},
        },
    )
    return structure


def _save_structure(
    structure: SupportStructure,
    services: Sequence[str] | None,
    audiences: Sequence[str] | None,
    counties: Sequence[County] | None,
    municipalities: Sequence[Municipality] | None,
) -> dict[str, list]:
    errors: dict[str, Any] = {}
    if services is not None:
        services = _check_choices("services", services, Service.values)
        _set_flags(structure, "offers_", services, Service.values)
    if audiences is not None:
        audiences = _check_choices("audiences", audiences, Audience.values)
        _set_flags(structure, "for_", audiences, Audience.values)
    if not structure.services:
        errors["services"] = _("Choose at least one thing you offer.")
    if not structure.audiences:
        errors["audiences"] = _("Choose at least one group you serve.")
    if structure.pk:
        counties = list(structure.counties.all()) if counties is None else counties
        municipalities = (
            list(structure.municipalities.all()) if municipalities is None else municipalities
        )
    errors.update(_area_errors(structure.scope, counties, municipalities))
    try:
        structure.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    structure.save()
    searching.index_structure(structure)
    return _set_area(structure, counties, municipalities)


@transaction.atomic
def structure_update(
    *,
    actor: Any,
    structure: SupportStructure,
    expected_version: int | None = None,
    services: Sequence[str] | None = None,
    audiences: Sequence[str] | None = None,
    counties: Sequence[County] | None = None,
    municipalities: Sequence[Municipality] | None = None,
    **fields: Any,
) -> SupportStructure:
    require(
        can_edit_structure(actor, structure),
        _("Only the organisation's members, or coordinators, can change its entry."),
    )
    structure = SupportStructure.objects.select_for_update().get(pk=structure.pk)
    check_version(structure, expected_version)
    before = {**audit.snapshot(structure, STRUCTURE_FIELDS), **_flags(structure)}
    for name, value in fields.items():
        if name in STRUCTURE_FIELDS:
            setattr(structure, name, value)
    area_changes = _save_structure(structure, services, audiences, counties, municipalities)
    changes = audit.diff(
        before, {**audit.snapshot(structure, STRUCTURE_FIELDS), **_flags(structure)}
    )
    changes.update(area_changes)
    if changes:
        structure.version += 1
        structure.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor, action="support_structure.update", target=structure, changes=changes
        )
    return structure


# --- funding calls ----------------------------------------------------------------------


def _check_themes(challenges: Sequence[Term] | None, sdgs: Sequence[Term] | None) -> None:
    errors = {}
    for field, terms, slug in (
        ("challenges", challenges, Vocabulary.CHALLENGE),
        ("sdgs", sdgs, Vocabulary.SDG),
    ):
        wrong = [t for t in terms or [] if t.vocabulary.slug != slug]
        if wrong:
            errors[field] = _("%(terms)s cannot be used here.") % {
                "terms": ", ".join(t.label for t in wrong)
            }
    if errors:
        raise ValidationError(errors)


def _set_themes(call: FundingCall, **tags: Sequence[Term] | None) -> dict[str, list]:
    changes = {}
    for field, terms in tags.items():
        if terms is None:
            continue
        before = sorted(getattr(call, field).values_list("code", flat=True))
        after = sorted(t.code for t in terms)
        if before != after:
            getattr(call, field).set(terms)
            changes[field] = [before, after]
    return changes


def _save_call(
    call: FundingCall,
    audiences: Sequence[str] | None,
    counties: Sequence[County] | None,
    municipalities: Sequence[Municipality] | None,
) -> dict[str, list]:
    errors: dict[str, Any] = {}
    if audiences is not None:
        audiences = _check_choices("audiences", audiences, Audience.values)
        _set_flags(call, "for_", audiences, Audience.values)
    if not call.audiences:
        errors["audiences"] = _("Choose at least one group that may apply.")
    if call.pk:
        counties = list(call.counties.all()) if counties is None else counties
        municipalities = (
            list(call.municipalities.all()) if municipalities is None else municipalities
        )
    errors.update(_area_errors(call.scope, counties, municipalities))
    try:
        call.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    call.save()
    searching.index_call(call)
    return _set_area(call, counties, municipalities)


@transaction.atomic
def call_create(
    *,
    actor: Any,
    funder: Organisation,
    audiences: Sequence[str] = (),
    counties: Sequence[County] = (),
    municipalities: Sequence[Municipality] = (),
    challenges: Sequence[Term] = (),
    sdgs: Sequence[Term] = (),
    **fields: Any,
) -> FundingCall:
    """Publish a call for the funder the actor belongs to (or any, for coordinators)."""
    require_signed_in(actor)
    require(
        actor.is_coordinator or _is_member(actor, funder.pk),
        _("You can publish calls for organisations you are a member of."),
    )
    call = FundingCall(
        funder=funder, created_by=actor, **{k: v for k, v in fields.items() if k in CALL_FIELDS}
    )
    call.slug = _unique_slug(call.title)
    _check_themes(challenges, sdgs)
    _save_call(call, audiences, counties, municipalities)
    _set_themes(call, challenges=challenges, sdgs=sdgs)
    audit.record(
        actor=actor,
        action="funding_call.create",
        target=call,
        changes={
            **audit.created(call, ("funder", *CALL_FIELDS)),
            "audiences": [None, call.audiences],
            "challenges": [None, sorted(t.code for t in challenges)],
            "sdgs": [None, sorted(t.code for t in sdgs)],
        },
    )
    return call


@transaction.atomic
def call_update(
    *,
    actor: Any,
    call: FundingCall,
    expected_version: int | None = None,
    audiences: Sequence[str] | None = None,
    counties: Sequence[County] | None = None,
    municipalities: Sequence[Municipality] | None = None,
    challenges: Sequence[Term] | None = None,
    sdgs: Sequence[Term] | None = None,
    **fields: Any,
) -> FundingCall:
    require(
        can_edit_call(actor, call),
        _("Only the funder's members, or coordinators, can change this call."),
    )
    call = FundingCall.objects.select_for_update().get(pk=call.pk)
    check_version(call, expected_version)
    before = {**audit.snapshot(call, CALL_FIELDS), **_flags(call)}
    for name, value in fields.items():
        if name in CALL_FIELDS:
            setattr(call, name, value)
    _check_themes(challenges, sdgs)
    area_changes = _save_call(call, audiences, counties, municipalities)
    changes = audit.diff(before, {**audit.snapshot(call, CALL_FIELDS), **_flags(call)})
    changes.update(area_changes)
    changes.update(_set_themes(call, challenges=challenges, sdgs=sdgs))
    if "deadline" in changes:
        # a new deadline deserves a new reminder
        CallFollow.objects.filter(call=call).update(reminded_at=None)
    if changes:
        call.version += 1
        call.save(update_fields=["version", "updated_at"])
        audit.record(actor=actor, action="funding_call.update", target=call, changes=changes)
    return call


@transaction.atomic
def call_follow(*, actor: Any, call: FundingCall) -> CallFollow:
    """Follow a call to get a reminder before its deadline."""
    require_signed_in(actor)
    if call.deadline < timezone.localdate():
        raise ValidationError(_("The deadline of this call has passed."), code="closed")
    if CallFollow.objects.filter(user=actor, call=call).exists():
        raise ValidationError(_("You already follow this call."), code="duplicate")
    follow = CallFollow.objects.create(user=actor, call=call)
    audit.record(actor=actor, action="funding_call.follow", target=call)
    return follow


@transaction.atomic
def call_unfollow(*, actor: Any, call: FundingCall) -> None:
    require_signed_in(actor)
    deleted, _rows = CallFollow.objects.filter(user=actor, call=call).delete()
    if not deleted:
        raise ValidationError(_("You do not follow this call."), code="not_following")
    audit.record(actor=actor, action="funding_call.unfollow", target=call)


def call_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each follower once, in the week before the deadline. Safe to run often and in
    parallel: a follow is claimed by setting ``reminded_at`` before its e-mail is queued."""
    today = today or timezone.localdate()
    due = CallFollow.objects.filter(
        reminded_at__isnull=True,
        call__deadline__gte=today,
        call__deadline__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        user__is_active=True,
    ).select_related("user", "call")
    sent = 0
    for follow in due:
        with transaction.atomic():
            claimed = CallFollow.objects.filter(pk=follow.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            send_templated_mail(
                to=follow.user.email,
                template="support/email/call_reminder",
                language=follow.user.language,
                context={
                    "call": follow.call,
                    "days_left": (follow.call.deadline - today).days,
                    "url": absolute_url(reverse("support:call-detail", args=[follow.call.slug])),
                },
            )
            audit.record(
                actor=None,
                action="funding_call.reminder",
                target=follow.call,
                changes={"follower": [None, follow.user_id]},
            )
            sent += 1
    return sent


# --- advice requests --------------------------------------------------------------------


def route(municipality: Municipality, needs: Sequence[str]) -> list[SupportStructure]:
    """The nearest structures that offer one of ``needs``: those serving the kommun, else
    those serving its län, else national ones. Empty: no one does (coordinators take it)."""
    offering = Q()
    for need in needs:
        offering |= Q(**{f"offers_{need}": True})
    candidates = SupportStructure.objects.filter(offering).select_related("organisation")
    for level in (
        Q(scope=Scope.MUNICIPALITY, municipalities=municipality),
        Q(scope=Scope.COUNTY, counties=municipality.county_id),
        Q(scope=Scope.NATIONAL),
    ):
        found = list(candidates.filter(level).distinct())
        if found:
            return found
    return []


def _request_url(request: AdviceRequest) -> str:
    return absolute_url(reverse("support:request-detail", args=[request.pk]))


def _notify_handlers(request: AdviceRequest, structures: list[SupportStructure]) -> None:
    context = {"request": request, "url": _request_url(request)}
    if structures:
        for structure in structures:
            for email in _structure_emails(structure):
                send_templated_mail(
                    to=email,
                    template="support/email/request_routed",
                    context={**context, "structure": structure},
                )
    else:
        for coordinator in _coordinators():
            send_templated_mail(
                to=coordinator.email,
                template="support/email/request_unrouted",
                language=coordinator.language,
                context=context,
            )


@transaction.atomic
def request_create(
    *,
    actor: Any,
    title: str,
    description: str,
    municipality: Municipality,
    needs: Sequence[str],
    organisation: Organisation | None = None,
) -> AdviceRequest:
    """Ask for advice. Anyone signed in; the request is routed at once and never lost."""
    require_signed_in(actor)
    if organisation is not None:
        require(
            _is_member(actor, organisation.pk),
            _("You can only ask on behalf of organisations you are a member of."),
        )
    needs = _check_choices("needs", list(needs), Service.values)
    request = AdviceRequest(
        asker=actor,
        organisation=organisation,
        title=title,
        description=description,
        municipality=municipality,
        needs=needs,
    )
    errors = {}
    if not needs:
        errors["needs"] = _("Choose at least one thing you need help with.")
    try:
        request.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    if AdviceRequest.objects.filter(
        asker=actor,
        title=title,
        municipality=municipality,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).exists():
        raise ValidationError(
            _("You have just sent this request; it has arrived. See it under Advice requests."),
            code="duplicate",
        )
    structures = route(municipality, needs)
    request.to_coordinators = not structures
    request.save()
    request.routed_to.set(structures)
    audit.record(
        actor=actor,
        action="advice_request.create",
        target=request,
        changes={
            **audit.created(request, REQUEST_FIELDS),
            "needs": [None, needs],
            "routed_to": [None, sorted(str(s) for s in structures)],
            "to_coordinators": [None, request.to_coordinators],
        },
    )
    _notify_handlers(request, structures)
    send_templated_mail(
        to=actor.email,
        template="support/email/request_received",
        language=actor.language,
        context={"request": request, "structures": structures, "url": _request_url(request)},
    )
    return request


def _lock_open_request(actor: Any, request: AdviceRequest) -> AdviceRequest:
    require(
        handles_request(actor, request),
        _("Only the support structures it was sent to, or coordinators, can handle this request."),
    )
    request = AdviceRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("This request is closed."), code="closed")
    return request


def eligible_advisers(request: AdviceRequest) -> list[User]:
    """Members of the structures it was routed to, coordinators, and the coordinators and
    advisers of the regional hubs whose area the request comes from."""
    members = User.objects.filter(
        is_active=True, memberships__organisation__support_structure__advice_requests=request
    )
    everyone = set(members) | set(_coordinators()) | set(hub_people_for(request))
    return sorted(everyone, key=lambda u: u.display_name.lower())


@transaction.atomic
def request_assign(
    *, actor: Any, request: AdviceRequest, adviser: User, expected_version: int | None = None
) -> AdviceRequest:
    """Give the request an adviser (who must be one of its handlers)."""
    request = _lock_open_request(actor, request)
    check_version(request, expected_version)
    if adviser not in eligible_advisers(request):
        raise ValidationError(
            {
                "adviser": _(
                    "The adviser must belong to a support structure the request was sent "
                    "to, or be a coordinator."
                )
            }
        )
    before = audit.snapshot(request, ("adviser", "status"))
    request.adviser = adviser
    request.assigned_at = request.assigned_at or timezone.now()
    request.status = AdviceRequest.Status.IN_PROGRESS
    request.version += 1
    request.save()
    audit.record(
        actor=actor,
        action="advice_request.assign",
        target=request,
        changes=audit.diff(before, audit.snapshot(request, ("adviser", "status"))),
    )
    if adviser != actor:
        send_templated_mail(
            to=adviser.email,
            template="support/email/request_assigned",
            language=adviser.language,
            context={"request": request, "url": _request_url(request)},
        )
    return request


@transaction.atomic
def request_forward(
    *, actor: Any, request: AdviceRequest, structure: SupportStructure
) -> AdviceRequest:
    """Send the request on to another support structure too (e.g. from the coordinators to
    the structure that can help); its people are told and can then handle it."""
    request = _lock_open_request(actor, request)
    if request.routed_to.filter(pk=structure.pk).exists():
        raise ValidationError(
            {"structure": _("The request has already been sent to %(name)s.") % {"name": structure}}
        )
    request.routed_to.add(structure)
    request.to_coordinators = False
    request.save(update_fields=["to_coordinators", "updated_at"])
    audit.record(
        actor=actor,
        action="advice_request.forward",
        target=request,
        changes={"routed_to": [None, str(structure)]},
    )
    _notify_handlers(request, [structure])
    return request


@transaction.atomic
def request_add_note(
    *,
    actor: Any,
    request: AdviceRequest,
    text: str,
    kind: str = AdviceNote.Kind.NOTE,
    met_on: datetime.date | None = None,
) -> AdviceNote:
    """Keep a note or record a meeting; a new request is then being handled."""
    request = _lock_open_request(actor, request)
    if kind not in AdviceNote.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of note.")})
    if kind == AdviceNote.Kind.MEETING and met_on is None:
        raise ValidationError({"met_on": _("Give the date of the meeting.")})
    note = AdviceNote(
        request=request,
        kind=kind,
        text=text,
        met_on=met_on if kind == AdviceNote.Kind.MEETING else None,
        author=actor,
    )
    note.full_clean()
    note.save()
    if request.status == AdviceRequest.Status.NEW:
        request.status = AdviceRequest.Status.IN_PROGRESS
        request.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=f"advice_request.{kind}",
        target=request,
        changes={
            "note": [None, note.pk],
            "met_on": [None, audit.snapshot(note, ["met_on"])["met_on"]],
        },
    )
    return note


@transaction.atomic
def request_close(
    *,
    actor: Any,
    request: AdviceRequest,
    outcome: str,
    note: str = "",
    initiative: Initiative | None = None,
    expected_version: int | None = None,
) -> AdviceRequest:
    """Record the outcome and close the request; the asker is told."""
    request = _lock_open_request(actor, request)
    check_version(request, expected_version)
    Outcome = AdviceRequest.Outcome
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == Outcome.INITIATIVE and initiative is None:
        raise ValidationError({"initiative": _("Choose the initiative it became.")})
    if outcome in (Outcome.REFERRED, Outcome.SCIENCE_SHOP) and not note.strip():
        message = (
            _("Say where the request was referred.")
            if outcome == Outcome.REFERRED
            else _("Describe the science-shop question, or give a link to it.")
        )
        raise ValidationError({"note": message})
    request.outcome = outcome
    request.outcome_note = note.strip()
    request.outcome_initiative = initiative if outcome == Outcome.INITIATIVE else None
    request.status = AdviceRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.version += 1
    request.full_clean()
    request.save()
    audit.record(
        actor=actor,
        action="advice_request.close",
        target=request,
        changes={
            "status": ["open", "closed"],
            "outcome": [None, outcome],
            "outcome_initiative": [None, initiative.pk if initiative else None],
        },
    )
    send_templated_mail(
        to=request.asker.email,
        template="support/email/request_closed",
        language=request.asker.language,
        context={"request": request, "url": _request_url(request)},
    )
    return request
