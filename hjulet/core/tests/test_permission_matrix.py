"""Permission matrix of the services: every public write service × every persona.

``SERVICES`` has a row per service (and a few variants, ``name:variant``): how to build its
arguments on objects of the personas' organisation (``permission_world.World``) and which
personas may call it. An allowed call succeeds and leaves an audit entry; a refused one raises
``PermissionDenied`` and writes nothing: every row of every app model holds the same values
after the call as before (``snapshots.py``: values, not counts, so a refused UPDATE is caught
too), no audit entry, no e-mail. ``test_every_service_is_in_the_matrix`` fails when a service
is added without a row, so the matrix stays complete.

Reading a row: ``who=ORG_PEOPLE | COORDINATORS`` means the organisation's members and
administrators and the platform's coordinators and administrators (an administrator is also
a coordinator and a moderator). The organisation's initiative has a partner organisation
that accepted (``partner_admin`` and ``partner_member`` are its people) and a named editor
(``editor``, a member of the partner): ``INITIATIVE_EDITORS`` are who edit it."""

import datetime
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory, grant
from hjulet.arenas import services as arenas
from hjulet.arenas.models import ArenaRole, EventKind
from hjulet.core.models import AuditEntry, Vocabulary
from hjulet.scienceshop.tests.factories import QUESTION, researcher_with_profile
from hjulet.scienceshop.workflow import Status
from hjulet.support import services as support
from hjulet.surveys.demo import xlsform_bytes

from .permission_world import World
from .snapshots import assert_unchanged, snapshot

APPS = (
    "accounts",
    "arenas",
    "core",
    "impact",
    "knowledge",
    "regions",
    "scienceshop",
    "spreading",
    "stories",
    "support",
    "surveys",
)

PERSONAS = (
    "anonymous",
    "resident",
    "member",
    "org_admin",
    "researcher",
    "moderator",
    "coordinator",
    "admin_user",
    "editor",
    "partner_member",
    "partner_admin",
    "hub_north",
    "hub_skane",
)
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
COORDINATORS = frozenset({"coordinator", "admin_user"})
ORG_PEOPLE = frozenset({"member", "org_admin"})
ORG_ADMIN = frozenset({"org_admin"})
MODERATORS = frozenset({"moderator", "admin_user"})
ADMIN = frozenset({"admin_user"})
EDITOR = frozenset({"editor"})
PARTNER_ADMIN = frozenset({"partner_admin"})
PARTNER_PEOPLE = frozenset({"partner_member", "partner_admin", "editor"})
# Regional hubs (issue #22): ``hub_north`` coordinates the hub of Norrbotten and Västerbotten,
# where the personas' organisation is (Umeå); ``hub_skane`` the Skåne hub. A hub's
# coordinators have coordinator rights within its area only (``HUB_SCOPED`` below); the Skåne
# hub's coordinator is refused everywhere here.
HUB_NORTH = frozenset({"hub_north"})
# The lead's administrators, the named editors and coordinators (not the lead's plain
# members, not the partners' people).
INITIATIVE_EDITORS = ORG_ADMIN | EDITOR | COORDINATORS


@dataclass(frozen=True)
class Row:
    build: Callable[[World, Any], dict[str, Any]]
    who: frozenset[str]
    audited: bool = True  # False: the service writes only the actor's own settings


def signed_in(actor: Any) -> bool:
    return getattr(actor, "is_authenticated", False)


def own_or_stranger(w: World, actor: Any) -> Any:
    """The actor themself; for anonymous, someone else (there is no "self" to act on)."""
    return actor if signed_in(actor) else w.stranger


def own_token(w: World, actor: Any) -> Any:
    from hjulet.accounts.services import api_token_create

    return api_token_create(actor=own_or_stranger(w, actor), name="Egen nyckel")[0]


def unread_notification(w: World, actor: Any) -> Any:
    """An unread notification of the actor's own (of someone else's for anonymous)."""
    from hjulet.core.models import Notification

    return Notification.objects.create(user=own_or_stranger(w, actor), text="Ny idé", url="/")


def with_unread_notification(w: World, actor: Any) -> dict[str, Any]:
    unread_notification(w, actor)
    return {}


def registered(w: World, actor: Any) -> dict[str, Any]:
    if signed_in(actor):
        arenas.event_register(actor=actor, event=w.event)
    return {"event": w.event}


def supported(w: World, actor: Any) -> dict[str, Any]:
    """The world's idea, supported by the actor first (withdrawing takes back one's own)."""
    if signed_in(actor):
        arenas.support_add(actor=actor, idea=w.idea)
    return {"idea": w.idea}


def challenge_fields(w: World) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "title": "Ensamma äldre",
        "problem": "Många äldre är ensamma.",
        "affected": "Äldre i Ersboda.",
        "municipality": w.umea,
        "ideas_from": today,
        "develop_from": today + datetime.timedelta(days=30),
        "test_from": today + datetime.timedelta(days=60),
        "evaluate_from": today + datetime.timedelta(days=90),
        "ends_on": today + datetime.timedelta(days=120),
        "challenges": [w.challenge_term],
    }


def role_holder(w: World, role: str) -> Any:
    return grant(UserFactory(email=f"{role}-innehavare@exempel.se"), role)


def following(w: World, actor: Any) -> dict[str, Any]:
    if signed_in(actor):
        support.call_follow(actor=actor, call=w.call)
    return {"call": w.call}


SERVICES: dict[str, Row] = {
    # --- regions (national coordinators set hubs up) ----------------------------------------
    "regions.hub_create": Row(
        lambda w, a: {"name": "Ny nod", "counties": [w.umea.county]}, COORDINATORS
    ),
    "regions.hub_update": Row(
        lambda w, a: {"hub": w.hub, "description": "Ny beskrivning"}, COORDINATORS
    ),
    "regions.hub_person_add": Row(
        lambda w, a: {"hub": w.hub, "user": w.stranger, "role": "adviser"}, COORDINATORS
    ),
    "regions.hub_person_remove": Row(lambda w, a: {"person": w.hub_person}, COORDINATORS),
    # --- accounts --------------------------------------------------------------------------
    "accounts.api_token_create": Row(lambda w, a: {"name": "Min nyckel"}, SIGNED_IN),
    "accounts.api_token_revoke": Row(lambda w, a: {"token": w.stranger_token}, NOBODY),
    "accounts.api_token_revoke:own": Row(lambda w, a: {"token": own_token(w, a)}, SIGNED_IN),
    # An invitation is for the invited address only: another signed-in account is refused
    # (issue #15, point 7); without an account, following the link makes one for the invited
    # address; the account of the invited address accepts.
    "accounts.invitation_accept": Row(
        lambda w, a: {"secret": w.invitation_secret, "name": "Ny Medlem"}, frozenset({"anonymous"})
    ),
    "accounts.invitation_accept:own": Row(
        lambda w, a: {
            "secret": w.invitation_for(a.email) if signed_in(a) else w.invitation_secret,
            "name": "Ny Medlem",
        },
        EVERYONE,
    ),
    "accounts.invitation_create": Row(
        lambda w, a: {"organisation": w.org, "email": "ny@exempel.se"}, ORG_ADMIN | COORDINATORS
    ),
    "accounts.membership_remove": Row(
        lambda w, a: {"membership": w.membership}, ORG_ADMIN | COORDINATORS
    ),
    "accounts.membership_set_role": Row(
        lambda w, a: {"membership": w.membership, "role": "admin"}, ORG_ADMIN | COORDINATORS
    ),
    "accounts.organisation_create": Row(
        lambda w, a: {
            "name": "Ny förening",
            "sector": w.term(Vocabulary.SECTOR, "ideburen"),
            "municipality": w.umea,
        },
        SIGNED_IN,
    ),
    "accounts.organisation_update": Row(
        lambda w, a: {
            "organisation": w.org,
            "expected_version": w.org.version,
            "description": "Vi lånar ut fritidsutrustning.",
        },
        ORG_ADMIN | COORDINATORS,
    ),
    "accounts.role_grant": Row(lambda w, a: {"user": w.stranger, "role": Role.RESEARCHER}, ADMIN),
    "accounts.role_revoke": Row(
        lambda w, a: {"user": role_holder(w, Role.RESEARCHER), "role": Role.RESEARCHER}, ADMIN
    ),
    "accounts.user_delete": Row(lambda w, a: {"user": w.stranger}, ADMIN),
    "accounts.user_export_data": Row(lambda w, a: {"user": w.stranger}, NOBODY),
    "accounts.user_export_data:own": Row(  # a read: it changes nothing to audit
        lambda w, a: {"user": own_or_stranger(w, a)}, SIGNED_IN, audited=False
    ),
    "accounts.user_set_password": Row(
        lambda w, a: {"user": w.stranger, "password": "ett-nytt-losenord-7"}, NOBODY
    ),
    "accounts.user_set_password:own": Row(
        lambda w, a: {"user": own_or_stranger(w, a), "password": "ett-nytt-losenord-7"},
        SIGNED_IN,
    ),
    "accounts.user_update_profile": Row(
        lambda w, a: {"user": w.stranger, "name": "Kapad", "language": "en"}, NOBODY
    ),
    "accounts.user_set_display_name": Row(
        lambda w, a: {"user": w.stranger, "name": "Kapad"}, NOBODY
    ),
    "accounts.user_set_display_name:own": Row(
        lambda w, a: {"user": own_or_stranger(w, a), "name": "Nytt Namn"}, SIGNED_IN
    ),
    "accounts.user_update_profile:own": Row(
        lambda w, a: {"user": own_or_stranger(w, a), "name": "Nytt Namn", "language": "en"},
        SIGNED_IN,
    ),
    # --- arenas (the organisation leads the arena) ----------------------------------------
    "arenas.agreement_create": Row(
        lambda w, a: {
            "arena": w.arena,
            "parties": [w.org, w.other_org],
            "title": "IOP om fritid",
            "kind": "iop",
            "purpose": "Samverkan om fritid.",
            "starts_on": datetime.date(2026, 1, 1),
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "arenas.arena_add_organisation": Row(
        lambda w, a: {
            "arena": w.arena,
            "organisation": OrganisationFactory(name="Tredje förening"),
            "role": ArenaRole.PARTNER,
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "arenas.arena_create": Row(
        lambda w, a: {
            "organisations": [(w.org, ArenaRole.LEAD)],
            "name": "Ny arena",
            "purpose": "Samverkan.",
            "municipality": w.umea,
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "arenas.challenge_create": Row(
        lambda w, a: {"arena": w.arena, **challenge_fields(w)}, ORG_PEOPLE | COORDINATORS
    ),
    "arenas.challenge_create:organisation": Row(
        lambda w, a: {"organisation": w.org, **challenge_fields(w)}, ORG_PEOPLE | COORDINATORS
    ),
    "arenas.challenge_set_open": Row(
        lambda w, a: {"challenge": w.challenge, "is_open": False}, ORG_PEOPLE | COORDINATORS
    ),
    "arenas.comment_create": Row(
        lambda w, a: {"idea": w.idea, "body": "Jag hjälper till."}, SIGNED_IN
    ),
    "arenas.content_report": Row(lambda w, a: {"idea": w.idea, "reason": "spam"}, SIGNED_IN),
    "arenas.event_create": Row(
        lambda w, a: {
            "challenge": w.challenge,
            "kind": EventKind.HACKATHON,
            "title": "Hackathon",
            "starts_at": timezone.now() + datetime.timedelta(days=20),
            "place": "Skolan",
            "capacity": 30,
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "arenas.event_register": Row(lambda w, a: {"event": w.event}, SIGNED_IN),
    "arenas.follow_set": Row(
        lambda w, a: {"follow": True, "challenge": w.challenge}, SIGNED_IN, audited=False
    ),
    "arenas.idea_create": Row(
        lambda w, a: {"challenge": w.challenge, "title": "Läxhjälp", "body": "På biblioteket."},
        SIGNED_IN,
    ),
    "arenas.idea_to_initiative": Row(lambda w, a: {"idea": w.idea}, ORG_PEOPLE | COORDINATORS),
    "arenas.idea_update": Row(
        lambda w, a: {
            "idea": w.idea,
            "title": "Kapad idé",
            "body": "Ändrad av någon annan.",
            "expected_version": w.idea.version,
        },
        NOBODY,
    ),
    "arenas.moderation_decide": Row(
        lambda w, a: {
            "idea": w.reported_idea,
            "decision": "keep",
            "explanation": "Följer reglerna.",
        },
        MODERATORS,
    ),
    "arenas.registration_cancel": Row(registered, SIGNED_IN),
    "arenas.support_add": Row(lambda w, a: {"idea": w.idea}, SIGNED_IN),
    "arenas.support_withdraw": Row(supported, SIGNED_IN),
    # --- core ------------------------------------------------------------------------------
    # Not a permission-guarded action: the once-only token of any form, claimed inside the
    # service the form calls (which checks permissions itself).
    "core.submission_claim": Row(lambda w, a: {"token": "a" * 32}, EVERYONE, audited=False),
    # One's own notifications and e-mail choice: refused only to the anonymous visitor.
    "core.notification_mark_read": Row(
        lambda w, a: {"notification": unread_notification(w, a)}, SIGNED_IN
    ),
    "core.notification_mark_read:another's": Row(
        lambda w, a: {"notification": w.notification}, ORG_ADMIN
    ),
    "core.notifications_mark_all_read": Row(with_unread_notification, SIGNED_IN),
    "core.notification_preference_set": Row(lambda w, a: {"frequency": "weekly"}, SIGNED_IN),
    "core.submit_once": Row(
        lambda w, a: {"token": "b" * 32, "save": lambda: w.org}, EVERYONE, audited=False
    ),
    "core.term_create": Row(
        lambda w, a: {
            "vocabulary": Vocabulary.objects.get(slug=Vocabulary.CHALLENGE),
            "code": "ny-utmaning",
            "label_sv": "Ny utmaning",
            "label_en": "New challenge",
        },
        COORDINATORS,
    ),
    "core.term_update": Row(
        lambda w, a: {
            "term": w.challenge_term,
            "expected_version": w.challenge_term.version,
            "label_sv": "Segregation och bostäder",
        },
        COORDINATORS,
    ),
    "core.synonym_create": Row(lambda w, a: {"words": "hbtq, hbtqi"}, COORDINATORS),
    "core.synonym_update": Row(
        lambda w, a: {
            "synonym": w.synonym,
            "expected_version": w.synonym.version,
            "words": "lekplats, lekpark, lekställe",
        },
        COORDINATORS,
    ),
    "core.synonym_delete": Row(lambda w, a: {"synonym": w.synonym}, COORDINATORS),
    # --- impact (editors of the organisation's initiative) -----------------------------------
    "impact.analysis_create": Row(
        lambda w, a: {
            "initiative": w.initiative,
            "title": "SROI 2026",
            "discount_rate": Decimal(3),
        },
        INITIATIVE_EDITORS,
    ),
    "impact.analysis_update": Row(
        lambda w, a: {"analysis": w.analysis, "title": "SROI 2025 (rev)"}, INITIATIVE_EDITORS
    ),
    "impact.element_create": Row(
        lambda w, a: {"initiative": w.initiative, "kind": "activity", "title": "Läxhjälp"},
        INITIATIVE_EDITORS,
    ),
    "impact.element_delete": Row(lambda w, a: {"element": w.element}, INITIATIVE_EDITORS),
    "impact.element_update": Row(
        lambda w, a: {"element": w.element, "title": "Fler klarar gymnasiet"},
        INITIATIVE_EDITORS,
    ),
    "impact.indicator_create": Row(
        lambda w, a: {
            "initiative": w.initiative,
            "name": "Deltagare",
            "unit": "personer",
            "direction": "higher",
            "baseline_value": Decimal(10),
            "baseline_date": datetime.date(2026, 1, 1),
            "target_value": Decimal(20),
            "target_date": datetime.date(2027, 1, 1),
            "data_source": "Närvarolistor",
        },
        INITIATIVE_EDITORS,
    ),
    "impact.indicator_delete": Row(lambda w, a: {"indicator": w.indicator}, INITIATIVE_EDITORS),
    "impact.indicator_update": Row(
        lambda w, a: {"indicator": w.indicator, "name": "Barn som lånar"},
        INITIATIVE_EDITORS,
    ),
    "impact.input_create": Row(
        lambda w, a: {
            "analysis": w.analysis,
            "stakeholder": "Regionen",
            "description": "Bidrag",
            "value": 500,
        },
        INITIATIVE_EDITORS,
    ),
    "impact.input_delete": Row(
        lambda w, a: {"item": w.analysis.inputs.first()}, INITIATIVE_EDITORS
    ),
    "impact.measurement_create": Row(
        lambda w, a: {
            "indicator": w.indicator,
            "value": Decimal(130),
            "date": datetime.date(2026, 2, 1),
        },
        INITIATIVE_EDITORS,
    ),
    "impact.measurement_delete": Row(
        lambda w, a: {"measurement": w.measurement}, INITIATIVE_EDITORS
    ),
    "impact.outcome_create": Row(
        lambda w, a: {
            "analysis": w.analysis,
            "stakeholder": "Deltagare",
            "name": "Bättre hälsa",
            "quantity": Decimal(2),
            "proxy_value": Decimal(100),
            "proxy_source": "Folkhälsomyndigheten",
            "duration": 1,
        },
        INITIATIVE_EDITORS,
    ),
    "impact.outcome_delete": Row(
        lambda w, a: {"outcome": w.analysis.outcomes.first()}, INITIATIVE_EDITORS
    ),
    "impact.outcome_update": Row(
        lambda w, a: {"outcome": w.analysis.outcomes.first(), "name": "Fler i arbete (rev)"},
        INITIATIVE_EDITORS,
    ),
    # Publishing or withdrawing speaks for the lead: not for named editors.
    "impact.report_publish": Row(
        lambda w, a: {"initiative": w.initiative_with_report, "publish": True},
        ORG_ADMIN | COORDINATORS,
    ),
    "impact.report_update": Row(
        lambda w, a: {"initiative": w.initiative, "expected_version": None, "what": "Läxhjälp."},
        INITIATIVE_EDITORS,
    ),
    "impact.test_cycle_create": Row(
        lambda w, a: {
            "initiative": w.initiative,
            "title": "Test två",
            "hypothesis": "Fler kommer.",
            "tried": "Lördagar.",
            "with_whom": "Fem familjer.",
            "started_on": datetime.date(2026, 3, 1),
        },
        INITIATIVE_EDITORS,
    ),
    "impact.test_cycle_update": Row(
        lambda w, a: {"cycle": w.cycle, "title": "Första testet (rev)"},
        INITIATIVE_EDITORS,
    ),
    "impact.theory_update": Row(
        lambda w, a: {"initiative": w.initiative, "summary": "Läxhjälp ger bättre betyg."},
        INITIATIVE_EDITORS,
    ),
    # --- knowledge -----------------------------------------------------------------------------
    # --- spreading -----------------------------------------------------------------------------
    # Plans are for the method's people (its organisation's) and coordinators; anyone signed
    # in adapts a method; the stranger's draft is the stranger's (and coordinators'); its
    # thread is also the method's team's (the organisation's administrator).
    "spreading.plan_create": Row(
        lambda w, a: {
            "method": w.method,
            "title": "Tio nya orter",
            "goal": "Fler orter.",
            "target_places": 10,
            "target_year": timezone.localdate().year + 1,
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "spreading.plan_update": Row(
        lambda w, a: {"plan": w.spread_plan, "goal": "Ännu fler orter."},
        ORG_PEOPLE | COORDINATORS,
    ),
    "spreading.step_create": Row(
        lambda w, a: {"plan": w.spread_plan, "title": "Ring bostadsbolaget"},
        ORG_PEOPLE | COORDINATORS,
    ),
    "spreading.step_set_done": Row(
        lambda w, a: {"step": w.plan_step, "done": True}, ORG_PEOPLE | COORDINATORS
    ),
    "spreading.draft_create": Row(lambda w, a: {"source_method": w.method}, SIGNED_IN),
    "spreading.draft_update": Row(
        lambda w, a: {"draft": w.adaptation_draft, "financing": "Bostadsbolaget betalar."},
        COORDINATORS,
    ),
    "spreading.draft_publish": Row(lambda w, a: {"draft": w.adaptation_draft}, COORDINATORS),
    "spreading.draft_stop": Row(
        lambda w, a: {"draft": w.published_adaptation, "reason": "Pengarna tog slut."},
        COORDINATORS,
    ),
    "spreading.message_post": Row(
        lambda w, a: {"draft": w.adaptation_draft, "body": "Hur började ni?"},
        ORG_ADMIN | COORDINATORS,
    ),
    "knowledge.adaptation_create": Row(
        lambda w, a: {
            "initiative": w.initiative,
            "what_changed": "På lördagar.",
            "why": "Fler har tid.",
            "source_initiative": w.other_initiative,
        },
        INITIATIVE_EDITORS,
    ),
    "knowledge.adaptation_delete": Row(
        lambda w, a: {"adaptation": w.adaptation}, INITIATIVE_EDITORS
    ),
    "knowledge.entry_review": Row(
        lambda w, a: {"entry": w.initiative, "reviewed": True}, COORDINATORS
    ),
    "knowledge.initiative_create": Row(
        lambda w, a: {
            "lead": w.org,
            "title": "Språkcafé i Ersboda",
            "summary": "Samtal på svenska.",
            "municipality": w.umea,
            "stage": w.term(Vocabulary.STAGE, "test"),
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "knowledge.initiative_create_many": Row(
        lambda w, a: {
            "lead": w.org,
            "entries": [
                {
                    "title": f"Språkcafé nummer {number}",
                    "summary": "Samtal på svenska.",
                    "municipality": w.umea,
                    "stage": w.term(Vocabulary.STAGE, "test"),
                }
                for number in (1, 2)
            ],
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "knowledge.initiative_update": Row(
        lambda w, a: {
            "initiative": w.initiative,
            "expected_version": w.initiative.version,
            "summary": "Ändrad sammanfattning.",
        },
        INITIATIVE_EDITORS,
    ),
    "knowledge.method_create": Row(
        lambda w, a: {
            "organisations": [w.org],
            "title": "Läxhjälp",
            "summary": "Frivilliga hjälper.",
            "what": "Läxhjälp två kvällar i veckan.",
        },
        # Anyone who belongs to an organisation describes methods.
        ORG_PEOPLE | PARTNER_PEOPLE | COORDINATORS,
    ),
    "knowledge.method_update": Row(
        lambda w, a: {
            "method": w.method,
            "expected_version": w.method.version,
            "summary": "Ändrad sammanfattning.",
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "knowledge.initiative_editor_add": Row(
        lambda w, a: {"initiative": w.initiative, "user": w.membership.user},
        ORG_ADMIN | COORDINATORS,
    ),
    "knowledge.initiative_editor_remove": Row(
        lambda w, a: {"editor": w.named_editor}, ORG_ADMIN | COORDINATORS
    ),
    # A pending request to the partner organisation, from another organisation's initiative.
    "knowledge.partnership_accept": Row(
        lambda w, a: {"partnership": w.partner_request}, PARTNER_ADMIN | COORDINATORS
    ),
    "knowledge.partnership_decline": Row(
        lambda w, a: {"partnership": w.partner_request}, PARTNER_ADMIN | COORDINATORS
    ),
    "knowledge.partnership_remove": Row(
        lambda w, a: {"partnership": w.partnership}, INITIATIVE_EDITORS
    ),
    # The partner's own administrators may leave the initiative.
    "knowledge.partnership_remove:partner_leaves": Row(
        lambda w, a: {"partnership": w.accepted_partnership}, INITIATIVE_EDITORS | PARTNER_ADMIN
    ),
    "knowledge.partnership_set": Row(
        lambda w, a: {"initiative": w.initiative, "organisation": w.other_org, "role": "partner"},
        INITIATIVE_EDITORS,
    ),
    # --- science shop (the organisation asks) ------------------------------------------------
    "scienceshop.assignment_create": Row(
        lambda w, a: {
            "question": w.question_in(Status.ACCEPTED),
            "kind": "researcher",
            "researcher": researcher_with_profile("tillsatt@exempel.se", "Äldre"),
        },
        COORDINATORS,
    ),
    "scienceshop.follow_up_record": Row(
        lambda w, a: {
            "question": w.question_in(Status.PUBLISHED),
            "was_used": "yes",
            "how": "Vi ändrade inbjudan.",
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "scienceshop.formulation_add": Row(
        lambda w, a: {"question": w.question, "text": "Hur når vi ensamma äldre i byarna?"},
        ORG_PEOPLE | COORDINATORS,
    ),
    "scienceshop.interest_express": Row(
        lambda w, a: {"question": w.question_in(Status.ACCEPTED), "message": "Jag kan."},
        frozenset({"researcher"}),
    ),
    "scienceshop.meeting_create": Row(
        lambda w, a: {
            "question": w.question_with_assignment(Status.MATCHED),
            "starts_at": timezone.now() + datetime.timedelta(days=3),
            "duration_minutes": 60,
            "place": "Universitetet",
            "participants": "Föreningen och forskaren",
        },
        COORDINATORS,
    ),
    "scienceshop.meeting_update": Row(
        lambda w, a: {"meeting": w.meeting, "place": "Biblioteket"}, COORDINATORS
    ),
    "scienceshop.outcome_record": Row(
        lambda w, a: {
            "question": w.question_with_assignment(Status.IN_PROGRESS),
            "kind": "summary",
            "title": "Så når ni ensamma äldre",
            "summary": "Personliga inbjudningar fungerar.",
            "challenges": [w.challenge_term],
        },
        COORDINATORS,
    ),
    "scienceshop.question_decide": Row(
        lambda w, a: {"question": w.question, "decision": "accepted", "reason": "Passar oss."},
        COORDINATORS,
    ),
    # Coordinators handle questions; only the organisation's people ask in its name.
    "scienceshop.question_submit": Row(
        lambda w, a: {"organisation": w.org, **QUESTION}, ORG_PEOPLE
    ),
    "scienceshop.question_transition": Row(
        lambda w, a: {"question": w.question, "target": Status.IN_DIALOGUE}, COORDINATORS
    ),
    "scienceshop.researcher_profile_save": Row(
        lambda w, a: {"university": "Umeå universitet", "expertise": "Äldres hälsa"},
        frozenset({"researcher"}),
    ),
    # --- support (the organisation is a support structure and a funder) ----------------------
    "support.call_create": Row(
        lambda w, a: {
            "funder": w.org,
            "title": "Pengar till idéer",
            "purpose": "Testa nya idéer.",
            "scope": "national",
            "audiences": ["ideburen"],
            "opens_on": timezone.localdate(),
            "deadline": timezone.localdate() + datetime.timedelta(days=30),
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "support.call_follow": Row(lambda w, a: {"call": w.call}, SIGNED_IN, audited=False),
    "support.call_unfollow": Row(following, SIGNED_IN, audited=False),
    "support.call_update": Row(
        lambda w, a: {"call": w.call, "expected_version": w.call.version, "title": "Nya pengar"},
        ORG_PEOPLE | COORDINATORS,
    ),
    "support.request_add_note": Row(
        lambda w, a: {"request": w.advice_request, "text": "Ringde och pratade."},
        ORG_PEOPLE | COORDINATORS,
    ),
    "support.request_assign": Row(
        lambda w, a: {"request": w.advice_request, "adviser": w.org_admin},
        ORG_PEOPLE | COORDINATORS,
    ),
    "support.request_close": Row(
        lambda w, a: {"request": w.advice_request, "outcome": "advice_given"},
        ORG_PEOPLE | COORDINATORS,
    ),
    "support.request_create": Row(
        lambda w, a: {
            "title": "Behöver hjälp",
            "description": "Med ansökan.",
            "municipality": w.umea,
            "needs": ["advice"],
        },
        SIGNED_IN,
    ),
    "support.request_create:organisation": Row(
        lambda w, a: {
            "title": "Behöver hjälp",
            "description": "Med ansökan.",
            "municipality": w.umea,
            "needs": ["advice"],
            "organisation": w.org,
        },
        ORG_PEOPLE,
    ),
    "support.request_forward": Row(
        lambda w, a: {"request": w.advice_request, "structure": w.other_structure},
        ORG_PEOPLE | COORDINATORS,
    ),
    "support.structure_create": Row(
        lambda w, a: {
            "organisation": w.org,
            "summary": "Vi hjälper.",
            "contact_email": "hej@exempel.se",
            "scope": "national",
            "services": ["advice"],
            "audiences": ["ideburen"],
        },
        ORG_ADMIN | COORDINATORS,
    ),
    "support.structure_update": Row(
        lambda w, a: {
            "structure": w.structure,
            "expected_version": w.structure.version,
            "summary": "Vi hjälper idéer.",
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    # --- surveys (the organisation's administrators and coordinators manage) -----------------
    "surveys.code_create": Row(
        lambda w, a: {"survey": w.open_survey, "label": "Pengar"}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.coding_set": Row(
        lambda w, a: {"response": w.response, "question": w.text_question, "codes": [w.code]},
        ORG_ADMIN | COORDINATORS,
    ),
    "surveys.invitations_remind": Row(
        lambda w, a: {"survey": w.open_survey}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.invitation_preview": Row(  # renders the mail; writes and sends nothing
        lambda w, a: {"survey": w.open_survey}, ORG_ADMIN | COORDINATORS, audited=False
    ),
    "surveys.invitations_send": Row(
        lambda w, a: {"survey": w.open_survey, "emails": ["svarare@exempel.se"]},
        ORG_ADMIN | COORDINATORS,
    ),
    "surveys.question_create": Row(
        lambda w, a: {
            "survey": w.draft_survey,
            "name": "ny_fraga",
            "type": "text",
            "label_sv": "Något mer?",
        },
        ORG_ADMIN | COORDINATORS,
    ),
    "surveys.question_delete": Row(
        lambda w, a: {"question": w.draft_question()}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.question_move": Row(
        lambda w, a: {"question": w.draft_question(), "offset": -1}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.question_update": Row(
        lambda w, a: {"question": w.draft_question(), "label_sv": "Har ni nya lösningar?"},
        ORG_ADMIN | COORDINATORS,
    ),
    "surveys.report_block_add": Row(
        lambda w, a: {"report": w.report, "kind": "text", "heading": "Slutsats", "text": "Bra."},
        ORG_ADMIN | COORDINATORS,
    ),
    "surveys.report_block_delete": Row(lambda w, a: {"block": w.block}, ORG_ADMIN | COORDINATORS),
    "surveys.report_block_move": Row(
        lambda w, a: {"block": w.second_block, "offset": -1}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.report_create": Row(
        lambda w, a: {"survey": w.open_survey, "title": "Rapport 2026"}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.report_set_published": Row(
        lambda w, a: {"report": w.report_with_block, "published": True}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.report_update": Row(
        lambda w, a: {"report": w.report, "expected_version": w.report.version, "title": "Ny"},
        ORG_ADMIN | COORDINATORS,
    ),
    # Giving a research partner access to the raw answers is the owning organisation's
    # decision: its administrators (and coordinators, who manage every survey) make it.
    "surveys.response_erase": Row(lambda w, a: {"response": w.response}, ORG_ADMIN | COORDINATORS),
    "surveys.survey_access_grant": Row(
        lambda w, a: {"survey": w.open_survey, "email": "forskningspartner@exempel.se"},
        ORG_ADMIN | COORDINATORS,
    ),
    "surveys.survey_access_revoke": Row(
        lambda w, a: {"access": w.survey_access}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.survey_close": Row(lambda w, a: {"survey": w.open_survey}, ORG_ADMIN | COORDINATORS),
    "surveys.survey_create": Row(
        lambda w, a: {"organisation": w.org, "title": "Ny enkät"}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.survey_import_xlsform": Row(
        lambda w, a: {"organisation": w.org, "data": xlsform_bytes()}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.survey_open": Row(lambda w, a: {"survey": w.draft_survey}, ORG_ADMIN | COORDINATORS),
    "surveys.survey_set_anonymous_link": Row(
        lambda w, a: {"survey": w.open_survey, "enabled": True}, ORG_ADMIN | COORDINATORS
    ),
    "surveys.survey_update": Row(
        lambda w, a: {
            "survey": w.draft_survey,
            "expected_version": w.draft_survey.version,
            "title": "Nytt namn",
        },
        ORG_ADMIN | COORDINATORS,
    ),
    # --- stories, research reports, suggestions ---
    "stories.story_create": Row(
        lambda w, a: {"title": "Cykelverkstaden", "text": "B.", "initiatives": [w.initiative]},
        SIGNED_IN,
    ),
    # For an organisation: its people; coordinators and moderators (who review stories).
    "stories.story_create:organisation": Row(
        lambda w, a: {
            "title": "Cykelverkstaden",
            "text": "B.",
            "organisation": w.org,
            "initiatives": [w.initiative],
        },
        ORG_PEOPLE | COORDINATORS | MODERATORS,
    ),
    "stories.story_review": Row(
        lambda w, a: {"story": w.story, "decision": "publish"}, COORDINATORS | MODERATORS
    ),
    "stories.report_create": Row(
        lambda w, a: {
            "subject": w.initiative,
            "title": "Följeforskning",
            "authors": "A. Forskare",
            "year": 2025,
            "findings": "F.",
            "doi": "10.1234/abcd",
        },
        INITIATIVE_EDITORS,
    ),
    "stories.report_create:method": Row(
        lambda w, a: {
            "subject": w.method,
            "title": "Följeforskning",
            "authors": "A. Forskare",
            "year": 2025,
            "findings": "F.",
            "url": "https://exempel.se/rapport",
        },
        ORG_PEOPLE | COORDINATORS,
    ),
    "stories.report_delete": Row(lambda w, a: {"report": w.research_report}, INITIATIVE_EDITORS),
    "stories.suggestion_create": Row(
        lambda w, a: {"title": "Gårdsfest", "summary": "Grannar.", "municipality": w.umea},
        SIGNED_IN,
    ),
    "stories.suggestion_accept": Row(
        lambda w, a: {"suggestion": w.suggestion, "lead": w.org}, COORDINATORS
    ),
    "stories.suggestion_decline": Row(
        lambda w, a: {"suggestion": w.suggestion, "reason": "Finns redan."}, COORDINATORS
    ),
}


# Where the services ask ``can_coordinate`` (hjulet/regions/permissions.py), the northern hub's
# coordinator has a coordinator's rights on the world's objects (Umeå, in the hub's area):
# managing the arena and its challenges and events, moderating them, featuring the
# initiative, the science-shop intake, routing the advice request, and the surveys of the
# area's organisation. The Skåne hub's coordinator is refused all of them.
HUB_SCOPED = (
    "arenas.agreement_create",
    "arenas.arena_add_organisation",
    "arenas.challenge_create",
    "arenas.challenge_create:organisation",
    "arenas.challenge_set_open",
    "arenas.event_create",
    "arenas.moderation_decide",
    "knowledge.entry_review",
    "scienceshop.assignment_create",
    "scienceshop.follow_up_record",
    "scienceshop.formulation_add",
    "scienceshop.meeting_create",
    "scienceshop.meeting_update",
    "scienceshop.outcome_record",
    "scienceshop.question_decide",
    "scienceshop.question_transition",
    "support.request_add_note",
    "support.request_assign",
    "support.request_close",
    "support.request_forward",
    "surveys.code_create",
    "surveys.coding_set",
    "surveys.invitation_preview",
    "surveys.invitations_remind",
    "surveys.invitations_send",
    "surveys.question_create",
    "surveys.question_delete",
    "surveys.question_move",
    "surveys.question_update",
    "surveys.report_block_add",
    "surveys.report_block_delete",
    "surveys.report_block_move",
    "surveys.report_create",
    "surveys.report_set_published",
    "surveys.report_update",
    "surveys.response_erase",
    "surveys.survey_access_grant",
    "surveys.survey_access_revoke",
    "surveys.survey_close",
    "surveys.survey_create",
    "surveys.survey_import_xlsform",
    "surveys.survey_open",
    "surveys.survey_set_anonymous_link",
    "surveys.survey_update",
)
for _key in HUB_SCOPED:
    SERVICES[_key] = replace(SERVICES[_key], who=SERVICES[_key].who | HUB_NORTH)


def public_services() -> dict[str, Callable]:
    """Every function of hjulet/<app>/services.py (or of the modules of a services package)
    that takes a keyword-only ``actor``."""
    found = {}
    for app in APPS:
        module = importlib.import_module(f"hjulet.{app}.services")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            home = function.__module__
            if name.startswith("_") or not (
                home == module.__name__ or home.startswith(f"{module.__name__}.")
            ):
                continue
            actor = inspect.signature(function).parameters.get("actor")
            if actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY:
                found[f"{app}.{name}"] = function
    return found


FUNCTIONS = public_services()


def test_every_service_is_in_the_matrix():
    rows = {key.split(":")[0] for key in SERVICES}
    assert sorted(set(FUNCTIONS) - rows) == [], "services without a row in SERVICES"
    assert sorted(rows - set(FUNCTIONS)) == [], "rows for services that no longer exist"


def row_counts() -> list[int]:
    """The number of rows of every table of every app, in one query. (Not proof that nothing
    was written: an UPDATE keeps the counts; see ``snapshots.snapshot``.)"""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model.__module__.startswith("hjulet.")
        }
    )
    quote = connection.ops.quote_name
    selects = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}")
        return list(cursor.fetchone())


def persona_user(request, persona: str) -> Any:
    return AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", sorted(SERVICES))
def test_service_permission(request, organisation, org_admin, key, persona):
    row = SERVICES[key]
    service = FUNCTIONS[key.split(":")[0]]
    actor = persona_user(request, persona)
    kwargs = row.build(World(organisation, org_admin), actor)
    audit_before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mails_before = len(mail.outbox)
    before = snapshot()

    if persona in row.who:
        service(actor=actor, **kwargs)
        new_entries = AuditEntry.objects.filter(pk__gt=audit_before)
        if row.audited:
            assert new_entries.exists(), f"{key} by {persona} left no audit entry"
    else:
        with pytest.raises(PermissionDenied):
            service(actor=actor, **kwargs)
        assert not AuditEntry.objects.filter(pk__gt=audit_before).exists()
        assert_unchanged(before, f"{key} refused to {persona}")
        assert len(mail.outbox) == mails_before
