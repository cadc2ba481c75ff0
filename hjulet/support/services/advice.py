"""Advice requests: routed to the nearest support structures (or the coordinators) and
handled there, with an adviser, notes, meetings and an outcome."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation, Role, User
from hjulet.core import audit, changes
from hjulet.core.changes import check_version
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import Municipality
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.knowledge.models import Initiative
from hjulet.regions.permissions import can_coordinate, hub_people_for

from ..models import AdviceNote, AdviceRequest, Scope, Service, SupportStructure
from ._common import _check_choices, _full_clean, _is_member

# Advice requests are private: the audit log keeps who did what and where, not the texts
# people wrote (those go with the request when its asker erases their account).
REQUEST_FIELDS = ("title", "municipality", "organisation")


DUPLICATE_WINDOW = datetime.timedelta(minutes=30)


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


def _structure_emails(structure: SupportStructure) -> list[str]:
    return [structure.contact_email] if structure.contact_email else []


def _coordinators() -> list[User]:
    return list(
        User.objects.filter(
            Q(role_grants__role__in=[Role.COORDINATOR, Role.ADMIN]) | Q(is_superuser=True),
            is_active=True,
        ).distinct()
    )


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
    _full_clean(request, errors)
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
    changes.create(
        actor,
        request,
        REQUEST_FIELDS,
        action="advice_request.create",
        clean=False,
        also={
            "needs": [None, needs],
            "routed_to": [None, sorted(str(s) for s in structures)],
            "to_coordinators": [None, request.to_coordinators],
        },
    )
    request.routed_to.set(structures)
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
