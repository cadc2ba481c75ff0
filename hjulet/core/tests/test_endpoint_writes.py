"""Writes through the site's addresses, sent by every persona that may not make them.

``test_endpoint_matrix`` says what each persona gets for a GET. Here every route that writes
(``PAGE_WRITES``: POSTs to pages; ``API_WRITES``: POST/PUT/PATCH/DELETE of the API) is sent by
every persona its row refuses, as that persona's browser or API client would send it: signed
in, with a valid CSRF token (pages, checked: the clients enforce CSRF) or the persona's own API
token, and with the body a persona who may write sends (the form an allowed persona is shown,
filled in). So a refusal is the view's or the service's, on the real write path, not a missing
token or a form error. Refused means: 403 or 404 (the API with a JSON ``detail``), the log-in
page for an anonymous visitor of a page (401 for the API), and every row of every app model
exactly as before (``snapshots.py``: values, not counts).

Then one persona that may write sends the same body and must change something: proof that
the body was a real write, not one refused for its content.

Who may write is the services' matrix's row (``who="app.service"``) where a route calls one
service on the world's objects, so a change of a service's rights moves the routes with it;
else a set of personas. A route not in ``PAGE_WRITES`` is in ``PAGE_READS``: a POST to it,
from anyone, changes nothing. ``test_every_write_route_has_a_row`` keeps both lists complete."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from hjulet.accounts.models import ApiToken
from hjulet.accounts.services import api_token_create
from hjulet.lib.tests.pictures import RewindingFile, png
from hjulet.scienceshop.tests.factories import researcher_with_profile

from .permission_world import World, args
from .snapshots import assert_unchanged, changes, snapshot
from .test_endpoint_matrix import EXPECTED, KWARGS, api_operations, api_path, page_names
from .test_permission_matrix import (
    ADMIN,
    COORDINATORS,
    EVERYONE,
    HUB_NORTH,
    INITIATIVE_EDITORS,
    MODERATORS,
    NOBODY,
    ORG_ADMIN,
    ORG_PEOPLE,
    PERSONAS,
    SERVICES,
    SIGNED_IN,
)

RESEARCHERS = frozenset({"researcher"})
DEFAULT_LIFETIME_DAYS = ApiToken.DEFAULT_LIFETIME_DAYS


@dataclass(frozen=True)
class Write:
    """``who`` may write: personas, or the name of the services' matrix row that says.
    ``data`` builds the body. ``form``: start from the form an allowed persona is shown (a
    GET of the page), as a browser would, and put ``data`` over it. ``proved``: after the
    refusals, an allowed persona's send must change something (False with a reason when
    the world's objects do not allow a successful write, e.g. a question in the wrong
    status)."""

    who: frozenset[str] | str
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    form: bool = False
    proved: bool = True
    multipart: bool = False  # an upload: ("name", bytes) values are sent as files
    kwargs: Callable[[World], dict[str, Any]] | None = None  # other objects than KWARGS'
    params: Callable[[World], dict[str, Any]] | None = None  # other objects than API_PARAMS'
    refused: frozenset[Any] = frozenset({403, 404})
    anonymous: frozenset[Any] | None = None  # else what test_endpoint_matrix expects


def everyone(request) -> None:
    """The personas exist before the world's objects are built, as in the matrices: the
    organisation's initiative names the ``editor`` persona editor, with the conftest's partner
    organisation (which would be made a second time if the world made it first)."""
    for persona in PERSONAS:
        if persona != "anonymous":
            request.getfixturevalue(persona)


def may_write(write: Write) -> frozenset[str]:
    return SERVICES[write.who].who if isinstance(write.who, str) else write.who


def today(days: int = 0) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def in_days(days: int) -> Callable[[World], str]:
    """A date field's value ``days`` from the day the row is built."""
    return lambda w: today(days)


# --- clients as the personas' browsers and API programs --------------------------------------


def browser(request, persona: str) -> Client:
    """A browser of ``persona`` that enforces CSRF, holding a valid CSRF cookie; its token
    is ``client.csrf``."""
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    client.csrf = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = client.csrf
    return client


def api_client(request, persona: str) -> tuple[Client, dict[str, str]]:
    """A program with ``persona``'s own API token (used once, so the token's last-used
    date is already set when the snapshots are taken)."""
    if persona == "anonymous":
        return Client(), {}
    user = request.getfixturevalue(persona)
    _token, secret = api_token_create(actor=user, name="Matrisen")
    headers = {"Authorization": f"Bearer {secret}"}
    client = Client()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    return client, headers


def form_data(client: Client, url: str) -> dict[str, Any]:
    """What the page's form sends as it is shown (hidden tokens, the version, the current
    values of an edit form)."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    form = response.context["form"]
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.datetime | datetime.date):
            value = value.isoformat()
        data[bound.html_name] = value
    return data


def outcome(response) -> Any:
    status: Any = response.status_code
    if status == 302 and "/konto/logga-in/" in response.headers.get("Location", ""):
        status = "login"
    return status


# --- the rows ----------------------------------------------------------------------------

INITIATIVE_FORM = {
    "title": "Läxhjälp i Morjärv",
    "summary": "Frivilliga hjälper till med läxor.",
    "municipality": "2480",
}


def stage(w: World) -> int:
    from hjulet.core.models import Vocabulary

    return w.term(Vocabulary.STAGE, "test").pk


def sector(w: World) -> int:
    from hjulet.core.models import Vocabulary

    return w.term(Vocabulary.SECTOR, "ideburen").pk


# Refusals that are not a 403/404, each writing nothing (checked like the others):
# a create form offers only the person's own organisations, so naming another is a form
# error (400) before any service is called;
OWN_ORGANISATIONS = frozenset({400, 403, 404})
# on some, a person with no organisation is sent to register one first (302), and one with
# organisations (a partner's people) is shown that form error.
NO_ORGANISATION = frozenset({302}) | OWN_ORGANISATIONS
OWN = {"refused": OWN_ORGANISATIONS}


# Bodies sent both to a page and to the API (the pages' forms send text, the API JSON).
CHALLENGE = {
    "title": "Ensamma äldre",
    "problem": "Många är ensamma.",
    "affected": "Äldre.",
    "municipality": "2480",
    "ideas_from": in_days(0),
    "develop_from": in_days(30),
    "test_from": in_days(60),
    "evaluate_from": in_days(90),
    "ends_on": in_days(120),
}
QUESTION = {
    "title": "Hur når vi äldre?",
    "background": "Vi når inte fram.",
    "wanted_knowledge": "Vad fungerar?",
    "intended_use": "Bättre inbjudningar.",
}
RESEARCH_REPORT = {
    "title": "Följeforskning",
    "authors": "A. Forskare",
    "findings": "F.",
    "doi": "10.1234/abcd",
}
INDICATOR = args(
    name="Deltagare",
    unit="personer",
    direction="higher",
    baseline_value="10",
    baseline_date="2026-01-01",
    target_value="20",
    target_date="2027-01-01",
    data_source="Närvarolistor",
)
TEST_CYCLE = args(
    title="Test två",
    hypothesis="Fler kommer.",
    tried="Lördagar.",
    with_whom="Fem familjer.",
    started_on="2026-03-01",
)
SUPPORT_STRUCTURE = args(
    organisation="w.org.pk",
    summary="Vi hjälper.",
    contact_email="hej@exempel.se",
    scope="national",
    services=["advice"],
    audiences=["ideburen"],
)
FUNDING_CALL = args(
    funder="w.org.pk",
    title="Pengar till idéer",
    purpose="Testa nya idéer.",
    scope="national",
    audiences=["ideburen"],
    opens_on=in_days(0),
    deadline=in_days(30),
)
ADVICE_REQUEST = args(
    title="Behöver hjälp", description="Med ansökan.", municipality="2480", needs=["advice"]
)
SURVEY_QUESTION = args(name="ny_fraga", type="text", label_sv="Något mer?")
SUGGESTION = args(title="Gårdsfest", summary="Grannar.", municipality="2480")
TERM = args(code="ny-utmaning", label_sv="Ny utmaning", label_en="New")


def F(who: frozenset[str] | str, data: Callable[[World], dict[str, Any]] = lambda w: {}, **kw):
    """A form page: the allowed persona's form, with ``data`` over it."""
    return Write(who, data, form=True, **kw)


def P(who: frozenset[str] | str, data: Callable[[World], dict[str, Any]] = lambda w: {}, **kw):
    """A POST-only address (a button)."""
    return Write(who, data, **kw)


# Public writes (anyone, or whoever holds the e-mailed secret) and one's own settings are
# refused to nobody but the anonymous visitor; they are here so that every POST is listed.
PAGE_WRITES: dict[str, Write] = {
    "set-language": P(EVERYONE, args(language="en"), proved=False),
    "accounts:signup": P(EVERYONE, proved=False),
    "accounts:login": P(EVERYONE, proved=False),
    "accounts:logout": P(EVERYONE, proved=False),
    "accounts:email-login": P(EVERYONE, proved=False),
    "accounts:email-login-complete": P(EVERYONE, proved=False),
    "accounts:password-reset": P(EVERYONE, proved=False),
    "accounts:password-reset-confirm": P(EVERYONE, proved=False),
    "accounts:verify": P(EVERYONE, proved=False),
    "accounts:verify-resend": P(EVERYONE, proved=False),
    "accounts:invitation": P("accounts.invitation_accept", proved=False),
    "accounts:password-change": P(SIGNED_IN, proved=False),
    "accounts:profile": P(SIGNED_IN, args(name="Nytt Namn", language="sv")),
    "accounts:display-name": P(SIGNED_IN, args(name="Nytt Namn")),
    "accounts:api-token-create": P(
        SIGNED_IN,
        args(name="Nyckel", scope="read_write", days=DEFAULT_LIFETIME_DAYS),
    ),
    "accounts:delete-account": P(SIGNED_IN, proved=False),
    "accounts:api-token-revoke": P("accounts.api_token_revoke"),
    "accounts:user-roles": P(
        "accounts.role_grant",
        args(user="w.stranger.pk", role="researcher", action="grant"),
    ),
    "accounts:organisation-create": F(
        SIGNED_IN, args(name="Ny förening", sector=sector, municipality="2480")
    ),
    "accounts:organisation-update": F(
        "accounts.organisation_update", args(description="Vi lånar ut saker.")
    ),
    "accounts:organisation-invite": F("accounts.invitation_create", args(email="ny@exempel.se")),
    "accounts:membership-update": P("accounts.membership_set_role", args(role="admin")),
    # --- knowledge ---
    "knowledge:initiative-create": F(
        "knowledge.initiative_create",
        args(**INITIATIVE_FORM, lead="w.org.pk", stage=stage),
        refused=NO_ORGANISATION,
    ),
    "knowledge:initiative-update": F(
        "knowledge.initiative_update", args(summary="Ändrad sammanfattning.")
    ),
    "knowledge:adaptation-create": F(
        "knowledge.adaptation_create",
        args(
            what_changed="På lördagar.",
            why="Fler har tid.",
            source_initiative="w.other_initiative.pk",
        ),
    ),
    # --- spreading (the stranger's draft; the organisation's method and plan) ---
    "spreading:plan-create": F(
        "spreading.plan_create",
        args(
            title="Tio nya orter",
            goal="Fler orter.",
            target_places="10",
            target_year=lambda w: str(datetime.date.today().year + 1),
        ),
    ),
    "spreading:plan-edit": F("spreading.plan_update", args(goal="Ännu fler orter.")),
    "spreading:step-create": P("spreading.step_create", args(title="Ring bolaget")),
    "spreading:step-done": P("spreading.step_set_done", args(done="1")),
    "spreading:start-method": F("spreading.draft_create", args(municipality="1480")),
    "spreading:start-initiative": F("spreading.draft_create", args(municipality="1480")),
    "spreading:draft-edit": F("spreading.draft_update", args(financing="Bostadsbolaget betalar.")),
    "spreading:draft-publish": P("spreading.draft_publish"),
    "spreading:draft-stop": P("spreading.draft_stop", args(reason="Pengarna tog slut.")),
    "spreading:draft-thread": F("spreading.message_post", args(body="Hur började ni?")),
    "knowledge:partner-add": P(
        "knowledge.partnership_set",
        args(organisation="w.other_org.pk", role="partner"),
    ),
    "knowledge:partner-remove": P("knowledge.partnership_remove"),
    # The partner organisation answers another organisation's pending request.
    "knowledge:partner-answer": P("knowledge.partnership_accept", args(answer="accept")),
    "knowledge:editor-add": P("knowledge.initiative_editor_add", args(user="w.membership.user.pk")),
    "knowledge:editor-remove": P("knowledge.initiative_editor_remove"),
    "knowledge:review": P("knowledge.entry_review", args(reviewed="1")),
    "knowledge:import": P(
        "knowledge.initiative_create_many", proved=False, refused=NO_ORGANISATION
    ),
    "knowledge:import-commit": P(ORG_ADMIN, proved=False),
    # Anyone signed in may have the worker build a long list's file: it is theirs alone.
    "knowledge:initiative-export-build": P(SIGNED_IN, args(query="")),
    "support:structure-export-build": P(SIGNED_IN, args(query="")),
    "support:call-export-build": P(SIGNED_IN, args(query="")),
    # A survey's answers: only those who may read them (as the export itself; the hub
    # coordinator of the survey's area too).
    "surveys:export-build": P(ORG_PEOPLE | COORDINATORS | {"hub_north"}, args(query="")),
    # Only the uploader, and only a coordinator: no persona is both.
    "knowledge:import-accept-methods": P(NOBODY, args(title="X"), proved=False),
    "knowledge:value-mappings": P(
        COORDINATORS,
        args(
            source="hjulet",
            vocabulary="w.challenge_term.vocabulary_id",
            value="matrisvärde",
            term="w.challenge_term.pk",
        ),
    ),
    "knowledge:value-mapping-delete": P(COORDINATORS),
    "knowledge:method-create": F(
        "knowledge.method_create",
        args(
            title="Läxhjälp",
            summary="Frivilliga hjälper.",
            what="Läxhjälp två kvällar.",
            organisations=["w.org.pk"],
        ),
    ),
    "knowledge:method-update": F("knowledge.method_update", args(summary="Ändrad sammanfattning.")),
    # --- science shop (the pages' question is submitted) ---
    "scienceshop:question-create": F(
        "scienceshop.question_submit",
        args(
            organisation="w.org.pk",
            **QUESTION,
            non_commercial="yes",
            results_may_be_public="yes",
            lacks_means="yes",
        ),
        refused=NO_ORGANISATION,
    ),
    "scienceshop:formulation-add": P(
        "scienceshop.formulation_add",
        args(text="Hur når vi ensamma äldre?"),
        proved=False,  # the API's question is in progress: no more formulations
    ),
    "scienceshop:decide": P(
        "scienceshop.question_decide", args(decision="accepted", reason="Passar.")
    ),
    "scienceshop:interest": P(NOBODY, args(message="Jag kan.")),
    # Coordinators of the question's place: national and the northern hub's (issue #22).
    "scienceshop:assign": F(COORDINATORS | HUB_NORTH, proved=False),
    # The pages' question is only submitted: a meeting needs a matched one.
    "scienceshop:meeting-create": P(
        COORDINATORS | HUB_NORTH,
        args(
            starts_at="2030-01-01T10:00",
            duration_minutes="60",
            place="Universitetet",
            participants="Föreningen",
        ),
        proved=False,
    ),
    "scienceshop:meeting-update": F("scienceshop.meeting_update", args(place="Biblioteket")),
    "scienceshop:outcome": F(COORDINATORS | HUB_NORTH, proved=False),
    "scienceshop:follow-up": P(ORG_PEOPLE | COORDINATORS | HUB_NORTH, proved=False),
    "scienceshop:researcher-profile": F(
        "scienceshop.researcher_profile_save",
        args(university="Umeå universitet", expertise="Äldres hälsa"),
    ),
    # --- impact (the organisation's initiative) ---
    "impact:theory-edit": F("impact.theory_update", args(summary="Läxhjälp hjälper.")),
    "impact:element-delete": P("impact.element_delete"),
    "impact:element-update": F("impact.element_update", args(title="Läxhjälp i skolan")),
    "impact:indicator-create": F(
        "impact.indicator_create",
        INDICATOR,
    ),
    "impact:indicator-update": F("impact.indicator_update", args(name="Barn")),
    "impact:indicator-detail": F("impact.measurement_create", args(value="130", date="2026-02-01")),
    "impact:measurement-delete": P("impact.measurement_delete"),
    "impact:test-cycle-create": F(
        "impact.test_cycle_create",
        TEST_CYCLE,
    ),
    "impact:test-cycle-update": F("impact.test_cycle_update", args(title="Rev")),
    "impact:sroi-create": F("impact.analysis_create", args(title="SROI 2026", discount_rate="3.5")),
    "impact:sroi-detail": P(
        "impact.input_create",
        lambda w: {
            "form": "input",
            "input-stakeholder": "Regionen",
            "input-description": "Bidrag",
            "input-value": "500",
        },
    ),
    # Refusals checked; the allowed edit's form needs more than its initial values (not
    # worked out yet), so it is not proved here (impact's own tests save it).
    "impact:outcome-update": F("impact.outcome_update", args(name="Fler i arbete"), proved=False),
    "impact:sroi-row-delete": P("impact.input_delete"),
    "impact:report-edit": F("impact.report_update", args(what="Läxhjälp.")),
    "impact:report-publish": P(
        "impact.report_publish",
        args(publish="1"),
        kwargs=args(slug="w.initiative_with_report.slug"),
    ),
    # --- support ---
    "support:structure-create": F(
        "support.structure_create",
        SUPPORT_STRUCTURE,
        **OWN,
    ),
    "support:structure-update": F("support.structure_update", args(summary="Vi hjälper idéer.")),
    "support:call-create": F(
        "support.call_create",
        FUNDING_CALL,
        **OWN,
    ),
    "support:call-update": F("support.call_update", args(title="Nya pengar")),
    "support:call-follow": P("support.call_follow"),
    "regions:hub-create": F("regions.hub_create", args(name="Ny nod", counties=["03"])),
    "regions:hub-update": F("regions.hub_update", args(description="Ny beskrivning")),
    "regions:hub-people": F(
        "regions.hub_person_add", args(email="w.org_admin.email", role="adviser")
    ),
    "regions:hub-person-remove": P("regions.hub_person_remove"),
    # An anonymous visitor is shown "log in first" (200), with nothing saved.
    "support:request-create": F(
        "support.request_create",
        ADVICE_REQUEST,
        anonymous=frozenset({200}),
    ),
    "support:request-assign": P("support.request_assign", args(adviser="w.org_admin.pk")),
    "support:request-forward": P(
        "support.request_forward", lambda w: {"forward-structure": w.other_structure.pk}
    ),
    "support:request-note": P(
        "support.request_add_note", lambda w: {"note-kind": "note", "note-text": "Ringde."}
    ),
    "support:request-close": P(
        "support.request_close",
        lambda w: {"close-outcome": "advice_given", "close-version": w.advice_request.version},
    ),
    # --- surveys ---
    "surveys:create": F(
        "surveys.survey_create",
        args(organisation="w.org.pk", title="Ny enkät"),
        **OWN,
    ),
    "surveys:import": P("surveys.survey_import_xlsform", proved=False, refused=OWN_ORGANISATIONS),
    # Nothing uploaded in this session: back to the upload form.
    "surveys:import-commit": P(
        "surveys.survey_import_xlsform", proved=False, refused=frozenset({302})
    ),
    "surveys:answer": P(EVERYONE, proved=False),
    "surveys:answer-conditions": P(EVERYONE, proved=False),
    "surveys:anonymous": P(EVERYONE, proved=False),
    "surveys:update": F("surveys.survey_update", args(title="Nytt namn")),
    "surveys:action": P("surveys.survey_open"),
    "surveys:question-create": F(
        "surveys.question_create",
        SURVEY_QUESTION,
    ),
    "surveys:question-update": F("surveys.question_update", args(label_sv="Nya?")),
    "surveys:question-action": P("surveys.question_delete"),
    "surveys:distribution": F("surveys.invitations_send", args(emails="svarare@exempel.se")),
    "surveys:coding": P("surveys.coding_set", proved=False),
    "surveys:access-grant": P(
        "surveys.survey_access_grant", args(email="forskningspartner@exempel.se")
    ),
    "surveys:access-revoke": P("surveys.survey_access_revoke"),
    "surveys:report-create": F("surveys.report_create", args(title="Rapport 2026")),
    "surveys:report-edit": F("surveys.report_update", args(title="Ny", save_report="Spara")),
    # --- arenas ---
    "arenas:agreement-create": F(
        "arenas.agreement_create",
        args(
            title="IOP om fritid",
            kind="iop",
            purpose="Samverkan.",
            starts_on="2026-01-01",
            status="active",
            parties=["w.org.pk", "w.other_org.pk"],
        ),
    ),
    "arenas:challenge-create": F(
        "arenas.challenge_create:organisation",
        args(
            owner=lambda w: f"organisation:{w.org.pk}",
            **CHALLENGE,
            challenges=["w.challenge_term.pk"],
        ),
        **OWN,
    ),
    "arenas:challenge-detail": P(
        "arenas.idea_create", args(title="Läxhjälp", body="På biblioteket.")
    ),
    "arenas:idea-detail": P("arenas.comment_create", args(body="Jag hjälper till.")),
    "arenas:idea-update": F("arenas.idea_update", args(title="Kapad idé", body="Ändrad.")),
    "arenas:idea-support": P("arenas.support_add"),
    # Each takes back only their own support; nobody here has given any, so nothing changes.
    "arenas:idea-support-withdraw": P(SIGNED_IN, proved=False),
    "arenas:idea-follow": P("arenas.follow_set", args(follow="1")),
    "arenas:idea-initiative": P("arenas.idea_to_initiative"),
    "arenas:report": P("arenas.content_report", args(reason="spam")),
    "arenas:event-register": P("arenas.event_register"),
    "arenas:challenge-follow": P(SIGNED_IN, args(follow="1")),
    "arenas:challenge-open": P("arenas.challenge_set_open", args(is_open="")),
    "arenas:event-create": F(
        "arenas.event_create",
        args(
            kind="hackathon",
            title="Hackathon",
            starts_at=lambda w: (datetime.datetime.now() + datetime.timedelta(days=20)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            place="Skolan",
            capacity="30",
        ),
    ),
    # A regional hub's coordinators have their area's queue (an empty POST saves nothing).
    "arenas:moderation-queue": P(MODERATORS | {"hub_north", "hub_skane"}, proved=False),
    # --- stories ---
    "stories:story-create": F(
        "stories.story_create",
        args(title="Cykelverkstaden", text="B.", initiatives=["w.initiative.pk"]),
    ),
    "stories:review-queue": P("stories.story_review", args(story="w.story.pk", decision="publish")),
    "stories:report-create": F(
        "stories.report_create",
        args(
            **RESEARCH_REPORT,
            year="2025",
        ),
    ),
    "stories:report-delete": P("stories.report_delete"),
    "stories:suggestion-create": F(
        "stories.suggestion_create",
        SUGGESTION,
        # An anonymous visitor is shown the invitation to log in; nothing is saved.
        anonymous=frozenset({200}),
    ),
    "stories:suggestion-queue": P(
        "stories.suggestion_decline",
        args(suggestion="w.suggestion.pk", action="decline", reason="Finns."),
    ),
    # --- core ---
    "core:term-create": F(
        "core.term_create",
        TERM,
    ),
    "core:term-update": F("core.term_update", args(label_sv="Segregation")),
    "core:synonym-create": F("core.synonym_create", args(words="hbtq, hbtqi")),
    "core:synonym-update": F("core.synonym_update", args(words="lekplats, lekställe")),
    "core:synonym-delete": P("core.synonym_delete"),
    # Marking read and the e-mail choice touch only one's own (rows in test_notifications).
    "core:notifications": P(SIGNED_IN, proved=False),
    "core:pictures": F(
        INITIATIVE_EDITORS,
        args(image=lambda w: RewindingFile("bord.png", png()), alt_text="Ett bord"),
    ),
    "core:picture-edit": F(INITIATIVE_EDITORS, args(alt_text="Ett runt bord")),
    "core:picture-remove": P(INITIATIVE_EDITORS),
}
PAGE_READS: set[str] = set(page_names()) - set(PAGE_WRITES)
API_WRITES: dict[tuple[str, str], Write] = {}


# --- the API: with the persona's own token; PATCH bodies carry the version they edit -----

V1 = "/api/v1"
API_WRITES: dict[tuple[str, str], Write] = {
    # The world's notification is the organisation administrator's; others find none (404).
    ("POST", f"{V1}/notifications/{{notification_id}}/read"): Write(ORG_ADMIN),
    # Only one's own are marked; the persona that proves has none unread in the world.
    ("POST", f"{V1}/notifications/read"): Write(SIGNED_IN, proved=False),
    ("POST", f"{V1}/adaptation-drafts"): Write(
        "spreading.draft_create", args(source_method="w.method.slug")
    ),
    ("PATCH", f"{V1}/adaptation-drafts/{{draft_id}}"): Write(
        "spreading.draft_update",
        args(financing="Bostadsbolaget.", version="w.adaptation_draft.version"),
    ),
    ("POST", f"{V1}/adaptation-drafts/{{draft_id}}/publish"): Write("spreading.draft_publish"),
    ("POST", f"{V1}/adaptation-drafts/{{draft_id}}/messages"): Write(
        "spreading.message_post", args(body="Hur började ni?")
    ),
    ("POST", f"{V1}/spread-plans"): Write(
        "spreading.plan_create",
        args(
            method="w.method.slug",
            title="Tio nya orter",
            goal="Fler orter.",
            target_places=10,
            target_year=lambda w: datetime.date.today().year + 1,
        ),
    ),
    ("POST", f"{V1}/spread-plans/{{plan_id}}/steps"): Write(
        "spreading.step_create", args(title="Ring bolaget")
    ),
    ("POST", f"{V1}/spread-plans/{{plan_id}}/steps/{{step_id}}/done"): Write(
        "spreading.step_set_done", args(done=True)
    ),
    ("POST", f"{V1}/advice-requests"): Write(
        "support.request_create",
        ADVICE_REQUEST,
    ),
    ("POST", f"{V1}/advice-requests/{{request_id}}/assign"): Write(
        "support.request_assign", args(adviser="w.org_admin.email")
    ),
    ("POST", f"{V1}/advice-requests/{{request_id}}/close"): Write(
        "support.request_close", args(outcome="advice_given")
    ),
    ("POST", f"{V1}/advice-requests/{{request_id}}/forward"): Write(
        "support.request_forward", args(structure="w.other_structure.pk")
    ),
    ("POST", f"{V1}/advice-requests/{{request_id}}/notes"): Write(
        "support.request_add_note", args(kind="note", text="Ringde.")
    ),
    ("POST", f"{V1}/arenas"): Write(
        "arenas.arena_create",
        args(name="Ny arena", purpose="Samverkan.", lead_organisations=["w.org.pk"]),
    ),
    ("POST", f"{V1}/challenges"): Write(
        "arenas.challenge_create:organisation",
        args(
            organisation="w.org.pk",
            **CHALLENGE,
        ),
    ),
    ("POST", f"{V1}/challenges/events/{{event_id}}/registration"): Write("arenas.event_register"),
    # Nobody is registered: cancelling is refused to everyone but changes nothing.
    ("DELETE", f"{V1}/challenges/events/{{event_id}}/registration"): Write(SIGNED_IN, proved=False),
    ("POST", f"{V1}/challenges/{{slug}}/ideas"): Write(
        "arenas.idea_create", args(title="Läxhjälp", body="På biblioteket.")
    ),
    ("POST", f"{V1}/stories"): Write(
        "stories.story_create",
        args(title="Cykelverkstaden", text="B.", initiatives=["w.initiative.slug"]),
    ),
    ("POST", f"{V1}/stories/{{story_id}}/review"): Write(
        "stories.story_review", args(decision="publish")
    ),
    ("POST", f"{V1}/research-reports"): Write(
        "stories.report_create",
        args(
            initiative="w.initiative.slug",
            **RESEARCH_REPORT,
            year=2025,
        ),
    ),
    ("DELETE", f"{V1}/research-reports/{{report_id}}"): Write("stories.report_delete"),
    ("POST", f"{V1}/initiative-suggestions"): Write(
        "stories.suggestion_create",
        SUGGESTION,
    ),
    ("POST", f"{V1}/initiative-suggestions/{{suggestion_id}}/accept"): Write(
        "stories.suggestion_accept", args(lead="w.org.pk")
    ),
    ("POST", f"{V1}/initiative-suggestions/{{suggestion_id}}/decline"): Write(
        "stories.suggestion_decline", args(reason="Finns redan.")
    ),
    ("POST", f"{V1}/funding-calls"): Write(
        "support.call_create",
        FUNDING_CALL,
    ),
    ("PATCH", f"{V1}/funding-calls/{{slug}}"): Write(
        "support.call_update", args(title="Nya pengar", version="w.call.version")
    ),
    ("POST", f"{V1}/funding-calls/{{slug}}/follow"): Write("support.call_follow"),
    ("DELETE", f"{V1}/funding-calls/{{slug}}/follow"): Write(SIGNED_IN, proved=False),
    ("POST", f"{V1}/ideas/comments/{{comment_id}}/decision"): Write(
        MODERATORS | HUB_NORTH,
        args(decision="keep", explanation="Följer reglerna."),
        proved=False,  # nothing reported: the moderators' decision has nothing to decide
    ),
    ("POST", f"{V1}/ideas/comments/{{comment_id}}/report"): Write(SIGNED_IN, args(reason="spam")),
    ("PATCH", f"{V1}/ideas/{{idea_id}}"): Write(
        "arenas.idea_update",
        args(title="Kapad idé", body="Ändrad.", version="w.idea.version"),
    ),
    ("POST", f"{V1}/ideas/{{idea_id}}/comments"): Write(
        "arenas.comment_create", args(body="Jag hjälper till.")
    ),
    ("POST", f"{V1}/ideas/{{idea_id}}/decision"): Write(
        "arenas.moderation_decide",
        args(decision="keep", explanation="Följer."),
        proved=False,  # nothing reported: the moderators' decision has nothing to decide
    ),
    ("POST", f"{V1}/ideas/{{idea_id}}/initiative"): Write("arenas.idea_to_initiative"),
    ("POST", f"{V1}/ideas/{{idea_id}}/report"): Write("arenas.content_report", args(reason="spam")),
    ("POST", f"{V1}/ideas/{{idea_id}}/support"): Write("arenas.support_add"),
    ("DELETE", f"{V1}/ideas/{{idea_id}}/support"): Write(SIGNED_IN, proved=False),
    ("POST", f"{V1}/impact/indicators/{{indicator_id}}/measurements"): Write(
        "impact.measurement_create", args(value="130", date="2026-02-01")
    ),
    ("DELETE", f"{V1}/impact/indicators/{{indicator_id}}/measurements/{{measurement_id}}"): Write(
        "impact.measurement_delete"
    ),
    ("POST", f"{V1}/impact/initiatives/{{initiative_id}}/indicators"): Write(
        "impact.indicator_create",
        INDICATOR,
    ),
    ("PUT", f"{V1}/impact/initiatives/{{initiative_id}}/report"): Write(
        "impact.report_update", args(what="Läxhjälp.")
    ),
    ("POST", f"{V1}/impact/initiatives/{{initiative_id}}/report/publish"): Write(
        "impact.report_publish", args(publish=True), proved=False
    ),
    ("POST", f"{V1}/impact/initiatives/{{initiative_id}}/sroi"): Write(
        "impact.analysis_create", args(title="SROI 2026")
    ),
    ("POST", f"{V1}/impact/initiatives/{{initiative_id}}/test-cycles"): Write(
        "impact.test_cycle_create",
        TEST_CYCLE,
    ),
    ("PUT", f"{V1}/impact/initiatives/{{initiative_id}}/theory"): Write(
        "impact.theory_update", args(summary="Läxhjälp hjälper.")
    ),
    ("POST", f"{V1}/impact/initiatives/{{initiative_id}}/theory/elements"): Write(
        "impact.element_create", args(kind="activity", title="Läxhjälp")
    ),
    ("POST", f"{V1}/impact/sroi/{{analysis_id}}/inputs"): Write(
        "impact.input_create",
        args(stakeholder="Regionen", description="Bidrag", value="500"),
    ),
    ("POST", f"{V1}/impact/sroi/{{analysis_id}}/outcomes"): Write(
        "impact.outcome_create",
        args(
            stakeholder="Deltagare",
            name="Bättre hälsa",
            quantity="2",
            duration=1,
            proxy_value="100",
            proxy_source="Folkhälsomyndigheten",
        ),
    ),
    ("PATCH", f"{V1}/impact/initiatives/{{initiative_id}}/theory/elements/{{element_id}}"): Write(
        "impact.element_update",
        args(title="Läxhjälp i skolan", version="w.element.version"),
    ),
    ("PATCH", f"{V1}/impact/sroi/{{analysis_id}}/outcomes/{{outcome_id}}"): Write(
        "impact.outcome_update",
        args(name="Fler i arbete", version=lambda w: w.analysis.outcomes.first().version),
        proved=False,  # refusals checked; the allowed edit is impact's own tests' job
    ),
    ("POST", f"{V1}/imports"): Write(
        "knowledge.initiative_create_many",
        args(file=lambda w: ("a.csv", import_template()), lead_organisation="w.org.pk"),
        multipart=True,
        proved=False,  # a preview (an import batch of the uploader's own), not yet a write
    ),
    ("POST", f"{V1}/imports/{{batch_id}}/commit"): Write(ORG_ADMIN, proved=False),
    # A column mapping saved for an organisation one belongs to (coordinators: any).
    ("POST", f"{V1}/imports/mappings"): Write(
        ORG_PEOPLE | COORDINATORS,
        args(
            organisation="w.org.pk",
            name="Projektlista",
            header=["Project name", "Description", "City", "Stage"],
            fields=["title", "description", "municipality", "stage"],
            defaults={},
        ),
    ),
    # The world's import has no column mapping to choose from, so the uploader is told so.
    ("POST", f"{V1}/imports/{{batch_id}}/mapping"): Write(
        ORG_ADMIN, args(fields=[], defaults={}), proved=False
    ),
    ("POST", f"{V1}/import-mappings"): Write(
        COORDINATORS,
        args(source="hjulet", vocabulary="challenge", value="m", term=None),
    ),
    ("DELETE", f"{V1}/import-mappings/{{mapping_id}}"): Write(COORDINATORS),
    ("POST", f"{V1}/import-mappings/imports/{{batch_id}}/accept-methods"): Write(
        NOBODY, args(titles=["X"]), proved=False
    ),
    ("POST", f"{V1}/initiatives"): Write(
        "knowledge.initiative_create",
        args(
            title="Läxhjälp i Morjärv",
            summary="Läxor.",
            lead_organisation="w.org.pk",
            municipality="2480",
            stage="test",
        ),
    ),
    ("PATCH", f"{V1}/initiatives/{{initiative_id}}"): Write(
        "knowledge.initiative_update",
        args(summary="Ändrad.", version="w.initiative.version"),
    ),
    ("POST", f"{V1}/initiatives/{{initiative_id}}/adaptations"): Write(
        "knowledge.adaptation_create",
        args(what_changed="På lördagar.", source_initiative="w.other_initiative.pk"),
    ),
    ("POST", f"{V1}/initiatives/{{initiative_id}}/editors"): Write(
        "knowledge.initiative_editor_add", args(user="w.membership.user.pk")
    ),
    ("DELETE", f"{V1}/initiatives/{{initiative_id}}/editors/{{user_id}}"): Write(
        "knowledge.initiative_editor_remove"
    ),
    ("POST", f"{V1}/initiatives/{{initiative_id}}/partners"): Write(
        "knowledge.partnership_set", args(organisation="w.other_org.pk", role="partner")
    ),
    # The pending request to the other organisation (the lead itself cannot be removed).
    ("DELETE", f"{V1}/initiatives/{{initiative_id}}/partners/{{organisation_id}}"): Write(
        "knowledge.partnership_remove",
        params=args(organisation_id="w.partnership.organisation_id"),
    ),
    ("POST", f"{V1}/initiatives/partnerships/{{partnership_id}}/accept"): Write(
        "knowledge.partnership_accept"
    ),
    ("POST", f"{V1}/initiatives/partnerships/{{partnership_id}}/decline"): Write(
        "knowledge.partnership_decline"
    ),
    ("POST", f"{V1}/methods"): Write(
        "knowledge.method_create",
        args(title="Läxhjälp", summary="Frivilliga.", what="Läxhjälp.", organisations=["w.org.pk"]),
    ),
    ("PATCH", f"{V1}/methods/{{slug}}"): Write(
        "knowledge.method_update", args(summary="Ändrad.", version="w.method.version")
    ),
    ("POST", f"{V1}/organisations"): Write(
        "accounts.organisation_create", args(name="Ny förening", sector="ideburen")
    ),
    ("PATCH", f"{V1}/organisations/{{organisation_id}}"): Write(
        "accounts.organisation_update",
        args(description="Vi lånar ut.", version="w.org.version"),
    ),
    ("POST", f"{V1}/organisations/{{organisation_id}}/invitations"): Write(
        "accounts.invitation_create", args(email="ny@exempel.se")
    ),
    ("POST", f"{V1}/questions"): Write(
        "scienceshop.question_submit",
        args(
            organisation="w.org.pk",
            **QUESTION,
            non_commercial=True,
            results_may_be_public=True,
            lacks_means=True,
        ),
    ),
    # The API's question (the meeting's) is matched with a researcher assigned.
    ("POST", f"{V1}/questions/{{question_id}}/assignments"): Write(
        COORDINATORS | HUB_NORTH,
        args(
            kind="researcher",
            researcher=lambda w: researcher_with_profile("ny-forskare@exempel.se", "Äldre").pk,
        ),
    ),
    ("POST", f"{V1}/questions/{{question_id}}/decision"): Write(
        COORDINATORS | HUB_NORTH,
        args(decision="accepted", reason="Passar."),
        proved=False,
    ),
    ("POST", f"{V1}/questions/{{question_id}}/follow-up"): Write(
        ORG_PEOPLE | COORDINATORS | HUB_NORTH,
        args(was_used="yes", how="Så."),
        proved=False,
    ),
    ("POST", f"{V1}/questions/{{question_id}}/formulations"): Write(
        "scienceshop.formulation_add",
        args(text="Hur når vi ensamma äldre?"),
        proved=False,  # the API's question is in progress: no more formulations
    ),
    ("POST", f"{V1}/questions/{{question_id}}/interest"): Write(
        RESEARCHERS, args(message="Jag kan."), proved=False
    ),
    ("POST", f"{V1}/questions/{{question_id}}/meetings"): Write(
        "scienceshop.meeting_create",
        args(starts_at="2030-01-01T10:00:00+01:00", participants="Föreningen"),
    ),
    ("PATCH", f"{V1}/questions/{{question_id}}/meetings/{{meeting_id}}"): Write(
        "scienceshop.meeting_update",
        args(place="Biblioteket", version="w.meeting.version"),
    ),
    ("POST", f"{V1}/questions/{{question_id}}/outcome"): Write(
        COORDINATORS | HUB_NORTH, args(kind="closed", reason="Klart."), proved=False
    ),
    ("POST", f"{V1}/questions/{{question_id}}/transition"): Write(
        COORDINATORS | HUB_NORTH, args(target="in_progress"), proved=False
    ),
    ("POST", f"{V1}/me"): Write(SIGNED_IN, args(name="Nytt Namn")),
    ("PUT", f"{V1}/researchers/me"): Write(
        "scienceshop.researcher_profile_save",
        args(university="Umeå universitet", expertise="Äldres hälsa"),
    ),
    ("POST", f"{V1}/support-structures"): Write(
        "support.structure_create",
        SUPPORT_STRUCTURE,
    ),
    ("PATCH", f"{V1}/support-structures/{{slug}}"): Write(
        "support.structure_update",
        args(summary="Vi hjälper idéer.", version="w.structure.version"),
    ),
    ("POST", f"{V1}/surveys"): Write(
        "surveys.survey_create", args(organisation="w.org.pk", title="Ny enkät")
    ),
    ("POST", f"{V1}/surveys/{{slug}}/access"): Write(
        "surveys.survey_access_grant", args(email="forskningspartner@exempel.se")
    ),
    ("DELETE", f"{V1}/surveys/{{slug}}/access/{{access_id}}"): Write(
        "surveys.survey_access_revoke"
    ),
    ("POST", f"{V1}/surveys/{{slug}}/close"): Write("surveys.survey_close"),
    ("POST", f"{V1}/surveys/{{slug}}/open"): Write(
        ORG_ADMIN | COORDINATORS | HUB_NORTH, proved=False
    ),
    ("POST", f"{V1}/surveys/{{slug}}/questions"): Write(
        ORG_ADMIN | COORDINATORS | HUB_NORTH,
        SURVEY_QUESTION,
        proved=False,
    ),
    ("POST", f"{V1}/search-synonyms"): Write("core.synonym_create", args(words="hbtq, hbtqi")),
    ("PATCH", f"{V1}/search-synonyms/{{synonym_id}}"): Write(
        "core.synonym_update",
        args(words="lekplats, lekställe", version="w.synonym.version"),
    ),
    ("DELETE", f"{V1}/search-synonyms/{{synonym_id}}"): Write("core.synonym_delete"),
    ("POST", f"{V1}/pictures/{{kind}}/{{object_id}}"): Write(
        INITIATIVE_EDITORS,
        args(image=lambda w: ("bord.png", png()), alt_text="Ett bord"),
        multipart=True,
    ),
    ("POST", f"{V1}/pictures/{{picture_id}}"): Write(
        INITIATIVE_EDITORS, args(alt_text="Ett runt bord"), multipart=True
    ),
    ("DELETE", f"{V1}/pictures/{{picture_id}}"): Write(INITIATIVE_EDITORS),
    ("PATCH", f"{V1}/vocabularies/terms/{{term_id}}"): Write(
        "core.term_update",
        args(label_sv="Segregation och boende", version="w.challenge_term.version"),
    ),
    ("POST", f"{V1}/vocabularies/{{slug}}/terms"): Write(
        "core.term_create",
        TERM,
    ),
}


def anonymous_page_answer(name: str) -> set[Any]:
    expected = EXPECTED[name]["anonymous"]
    return {"login"} if expected in ("login", 200, 405) else {expected}


def refused_personas(write: Write) -> list[str]:
    allowed = may_write(write)
    return [persona for persona in PERSONAS if persona not in allowed]


def allowed_persona(write: Write) -> str | None:
    allowed = may_write(write)
    return next((persona for persona in PERSONAS if persona in allowed), None)


def page_url(name: str, world: World, write: Write | None = None) -> str:
    kwargs = (write.kwargs if write and write.kwargs else KWARGS.get(name, lambda w: {}))(world)
    return reverse(name, kwargs=kwargs)


def test_every_write_route_has_a_row():
    pages = set(page_names())
    assert sorted(pages - set(PAGE_WRITES) - PAGE_READS) == [], "pages in neither list"
    assert sorted((set(PAGE_WRITES) | PAGE_READS) - pages) == [], "rows for no route"
    assert sorted(set(PAGE_WRITES) & PAGE_READS) == [], "pages in both lists"
    writes = {(m, p) for m, p in api_operations() if m != "GET"}
    assert sorted(writes - set(API_WRITES)) == [], "API writes without a row"
    assert sorted(set(API_WRITES) - writes) == [], "rows for no API write"
    for key, write in [*PAGE_WRITES.items(), *API_WRITES.items()]:
        assert not isinstance(write.who, str) or write.who in SERVICES, key


@pytest.mark.parametrize("name", sorted(PAGE_WRITES))
def test_page_write_is_refused(request, name, organisation, org_admin):
    everyone(request)
    world = World(organisation, org_admin)
    write = PAGE_WRITES[name]
    url = page_url(name, world, write)
    allowed = allowed_persona(write)
    body = write.data(world)
    if write.form and allowed and allowed != "anonymous":
        body = {**form_data(browser(request, allowed), url), **body}
    browsers = {
        persona: browser(request, persona)
        for persona in [*refused_personas(write), *([allowed] if allowed else [])]
    }
    before = snapshot()
    for persona in refused_personas(write):
        client = browsers[persona]
        response = client.post(url, {**body, "csrfmiddlewaretoken": client.csrf})
        if persona == "anonymous":
            expected = write.anonymous or anonymous_page_answer(name)
        else:
            expected = write.refused
        got = outcome(response)
        assert got in expected, f"{persona}: POST {url} answered {got}, not one of {expected}"
        assert_unchanged(before, f"{persona}'s refused POST {url}")
    if allowed and write.proved:
        client = browsers[allowed]
        response = client.post(url, {**body, "csrfmiddlewaretoken": client.csrf})
        assert response.status_code < 400, (
            f"{allowed} may write but POST {url} answered {response.status_code}: "
            f"{response.content.decode()[:3000]}"
        )
        assert changes(before, snapshot()), f"{allowed}'s POST {url} wrote nothing"


@pytest.mark.parametrize("name", sorted(PAGE_READS))
def test_page_read_writes_nothing_on_post(request, name, organisation, org_admin):
    everyone(request)
    world = World(organisation, org_admin)
    url = page_url(name, world)
    browsers = {persona: browser(request, persona) for persona in PERSONAS}
    before = snapshot()
    for persona, client in browsers.items():
        response = client.post(url, {"csrfmiddlewaretoken": client.csrf})
        assert response.status_code < 500, (persona, url)
        assert_unchanged(before, f"{persona}'s POST {url}")


def api_url(world: World, path: str, write: Write) -> str:
    for name, value in (write.params(world) if write.params else {}).items():
        path = path.replace(f"{{{name}}}", str(value))
    return api_path(world, path)


def import_template() -> bytes:
    return Client().get(reverse("knowledge:import-template")).content


def api_send(client: Client, method: str, url: str, write: Write, body: dict, headers: dict):
    if write.multipart:
        files = {
            key: SimpleUploadedFile(value[0], value[1]) if isinstance(value, tuple) else value
            for key, value in body.items()
        }
        return client.post(url, data=files, headers=headers)
    return getattr(client, method.lower())(
        url, data=body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize(("method", "path"), sorted(API_WRITES))
def test_api_write_is_refused(request, method, path, organisation, org_admin):
    everyone(request)
    world = World(organisation, org_admin)
    write = API_WRITES[(method, path)]
    url = api_url(world, path, write)
    body = write.data(world)
    allowed = allowed_persona(write)
    programs = {
        persona: api_client(request, persona)
        for persona in [*refused_personas(write), *([allowed] if allowed else [])]
    }
    before = snapshot()
    for persona in refused_personas(write):
        client, headers = programs[persona]
        response = api_send(client, method, url, write, body, headers)
        expected = {401} if persona == "anonymous" else write.refused
        assert response.status_code in expected, (
            f"{persona}: {method} {url} answered {response.status_code}: {response.content!r}"
        )
        assert response.json()["detail"]
        assert_unchanged(before, f"{persona}'s refused {method} {url}")
    if allowed and write.proved:
        client, headers = programs[allowed]
        response = api_send(client, method, url, write, body, headers)
        assert response.status_code < 400, (
            f"{allowed} may write but {method} {url} answered {response.status_code}: "
            f"{response.content!r}"
        )
        assert changes(before, snapshot()), f"{allowed}'s {method} {url} wrote nothing"


_ = (ADMIN, COORDINATORS, EVERYONE, MODERATORS, NOBODY, ORG_ADMIN, ORG_PEOPLE, SIGNED_IN)
