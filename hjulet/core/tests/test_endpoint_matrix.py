"""Permission matrix of the site's addresses: every URL pattern (a walk of the resolver) and
every operation of the API's OpenAPI schema × every persona, anonymous included.

``PAGES`` and ``API`` say, per route, how to fill in its parameters with objects of the
personas' organisation (``permission_world.World``) and what each persona gets for a GET:
200, "login" (a redirect to the log-in page), 401, 403, 404 (hidden: the person may not know
it exists) or 405 (the address only takes POST). For every route that writes, the personas
that may not write are refused (pages: the log-in redirect or 403/404; API: 401/403/404 with
a JSON error body) and nothing is written (every row's values as before). Here only the
anonymous visitor writes; ``test_endpoint_writes`` sends every page write as every persona
that is refused it. A route without a row fails
``test_every_route_is_in_the_matrix``.

Each route is one test that asks as all eight personas in turn: GETs write nothing, so the
objects are shared between the personas of a route."""

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .permission_world import World, args, from_world
from .snapshots import assert_unchanged, snapshot
from .test_permission_matrix import (
    ADMIN,
    COORDINATORS,
    HUB_NORTH,
    INITIATIVE_EDITORS,
    MODERATORS,
    ORG_ADMIN,
    ORG_PEOPLE,
    PARTNER_PEOPLE,
    PERSONAS,
    SIGNED_IN,
)

OBSERVE = os.environ.get("PERMISSION_MATRIX_OBSERVE") == "1"


def statuses(default: Any, **overrides: Any) -> dict[str, Any]:
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


def only(who: frozenset[str], refused: Any = 403, anonymous: Any = "login") -> dict[str, Any]:
    """200 for ``who``, ``refused`` for the other signed-in personas, ``anonymous`` else."""
    return {
        persona: 200 if persona in who else (anonymous if persona == "anonymous" else refused)
        for persona in PERSONAS
    }


RESEARCHERS = frozenset({"researcher"})
# Who reads an initiative's unpublished impact follow-up: its editors and the people of its
# lead and of the partner that accepted (the editor persona is one of the partner's).
FOLLOWERS = ORG_PEOPLE | PARTNER_PEOPLE | COORDINATORS
PUBLIC = statuses(200)
SIGNED = only(SIGNED_IN)
POST_ONLY = statuses(405)
# A button (an address that only takes a POST) for those signed in; the anonymous visitor is
# sent to log in first.
BUTTON = statuses(405, anonymous="login")
NOT_FOUND = statuses(404)


def url_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, prefix + str(pattern.pattern)


def observed(clients: dict[str, Client], url: str) -> dict[str, Any]:
    """What each persona gets for a GET of ``url``."""
    result = {}
    for persona, client in clients.items():
        response = client.get(url)
        status: Any = response.status_code
        if status == 302 and "/konto/logga-in/" in response.headers.get("Location", ""):
            status = "login"
        result[persona] = status
    return result


@pytest.fixture
def world(organisation, org_admin) -> World:
    return World(organisation, org_admin)


@pytest.fixture
def clients(request, world) -> dict[str, Client]:
    result = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        result[persona] = client
    return result


def page_names() -> list[str]:
    return sorted({name for name, _ in url_patterns() if not name.startswith(("admin:", "api:"))})


INITIATIVE = args(slug="w.initiative.slug")
# Route parameters, filled with the world's objects (routes without parameters need none).
KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "accounts:verify": args(token="ogiltig"),
    "accounts:email-login-complete": args(token="ogiltig"),
    "accounts:password-reset-confirm": args(uidb64="MQ", token="x-y"),
    "accounts:api-token-revoke": args(pk="w.stranger_token.pk"),
    "accounts:organisation-detail": args(slug="w.org.slug"),
    "accounts:organisation-update": args(slug="w.org.slug"),
    "accounts:organisation-invite": args(slug="w.org.slug"),
    "accounts:membership-update": args(pk="w.membership.pk"),
    "accounts:invitation": args(secret="w.invitation_secret"),
    "knowledge:initiative-export": args(fmt="csv"),
    "regions:hub-start": args(slug="w.hub.slug"),
    "regions:hub-colours": args(slug="w.hub.slug"),
    "regions:hub-dashboard": args(slug="w.hub.slug"),
    "regions:hub-update": args(slug="w.hub.slug"),
    "regions:hub-people": args(slug="w.hub.slug"),
    "regions:hub-person-remove": args(slug="w.hub.slug", pk="w.hub_person.pk"),
    "knowledge:partner-remove": args(pk="w.partnership.pk"),
    "knowledge:partner-answer": args(pk="w.partner_request.pk"),
    "knowledge:editor-remove": args(pk="w.named_editor.pk"),
    "knowledge:import-preview": args(pk="w.import_batch.pk"),
    "knowledge:import-progress": args(pk="w.import_batch.pk"),
    "knowledge:initiative-export-build": args(fmt="xlsx"),
    "core:export-detail": args(pk="w.export_file.pk"),
    "core:export-progress": args(pk="w.export_file.pk"),
    "core:export-download": args(pk="w.export_file.pk"),
    "knowledge:import-commit": args(pk="w.import_batch.pk"),
    "knowledge:import-accept-methods": args(pk="w.import_batch.pk"),
    "knowledge:value-mapping-delete": args(pk="w.value_mapping.pk"),
    "knowledge:import-remap": args(pk="w.import_batch.pk"),
    "knowledge:import-errors": args(pk="w.import_batch.pk"),
    "knowledge:initiative-detail": INITIATIVE,
    "knowledge:initiative-update": INITIATIVE,
    "knowledge:adaptation-create": INITIATIVE,
    "knowledge:partner-add": INITIATIVE,
    "knowledge:editor-add": INITIATIVE,
    "knowledge:method-detail": args(slug="w.method.slug"),
    "knowledge:method-update": args(slug="w.method.slug"),
    "knowledge:method-spread": args(slug="w.method.slug"),
    "knowledge:review": args(kind="initiativ", slug="w.initiative.slug"),
    "spreading:plan-create": args(slug="w.method.slug"),
    "spreading:start-method": args(slug="w.method.slug"),
    "spreading:lessons": args(slug="w.method.slug"),
    "spreading:start-initiative": INITIATIVE,
    "spreading:plan-detail": args(pk="w.spread_plan.pk"),
    "spreading:plan-edit": args(pk="w.spread_plan.pk"),
    "spreading:step-create": args(pk="w.spread_plan.pk"),
    "spreading:step-done": args(pk="w.plan_step.pk"),
    "spreading:draft-detail": args(pk="w.adaptation_draft.pk"),
    "spreading:draft-edit": args(pk="w.adaptation_draft.pk"),
    "spreading:draft-publish": args(pk="w.adaptation_draft.pk"),
    "spreading:draft-stop": args(pk="w.published_adaptation.pk"),
    "spreading:draft-thread": args(pk="w.adaptation_draft.pk"),
    "scienceshop:question-detail": args(pk="w.question.pk"),
    "scienceshop:formulation-add": args(pk="w.question.pk"),
    "scienceshop:decide": args(pk="w.question.pk"),
    "scienceshop:interest": args(pk="w.question.pk"),
    "scienceshop:assign": args(pk="w.question.pk"),
    "scienceshop:meeting-create": args(pk="w.question.pk"),
    "scienceshop:meeting-update": args(pk="w.meeting.question_id", meeting_pk="w.meeting.pk"),
    "scienceshop:meeting-ics": args(pk="w.meeting.question_id", meeting_pk="w.meeting.pk"),
    "scienceshop:outcome": args(pk="w.question.pk"),
    "scienceshop:follow-up": args(pk="w.question.pk"),
    "impact:overview": INITIATIVE,
    "impact:export": INITIATIVE,
    "impact:theory-edit": INITIATIVE,
    "impact:element-delete": args(slug="w.initiative.slug", pk="w.element.pk"),
    "impact:element-update": args(slug="w.initiative.slug", pk="w.element.pk"),
    "impact:indicator-create": INITIATIVE,
    "impact:indicator-detail": args(slug="w.initiative.slug", pk="w.indicator.pk"),
    "impact:indicator-update": args(slug="w.initiative.slug", pk="w.indicator.pk"),
    "impact:measurement-delete": args(
        slug="w.initiative.slug", pk="w.measurement.indicator_id", row="w.measurement.pk"
    ),
    "impact:test-cycles": INITIATIVE,
    "impact:test-cycle-create": INITIATIVE,
    "impact:test-cycle-update": args(slug="w.initiative.slug", pk="w.cycle.pk"),
    "impact:sroi-create": INITIATIVE,
    "impact:sroi-detail": args(slug="w.initiative.slug", pk="w.analysis.pk"),
    "impact:sroi-export": args(slug="w.initiative.slug", pk="w.analysis.pk"),
    "impact:outcome-update": args(
        slug="w.initiative.slug", pk="w.analysis.pk", row=lambda w: w.analysis.outcomes.first().pk
    ),
    "impact:sroi-row-delete": args(
        slug="w.initiative.slug",
        pk="w.analysis.pk",
        kind="insats",
        row=lambda w: w.analysis.inputs.first().pk,
    ),
    "impact:report": INITIATIVE,
    "impact:report-edit": INITIATIVE,
    "impact:report-publish": INITIATIVE,
    "support:structure-export": args(fmt="csv"),
    "opendata:catalogue-file": args(fmt="ttl"),
    "opendata:sitemap-section": args(section="initiatives"),
    "opendata:download": args(slug="initiativ", fmt="csv"),
    "support:structure-export-build": args(fmt="xlsx"),
    "support:structure-detail": args(slug="w.structure.organisation.slug"),
    "support:structure-update": args(slug="w.structure.organisation.slug"),
    "support:call-export": args(fmt="csv"),
    "support:call-export-build": args(fmt="xlsx"),
    "support:calls-for-initiative": INITIATIVE,
    "support:call-detail": args(slug="w.call.slug"),
    "support:call-update": args(slug="w.call.slug"),
    "support:call-follow": args(slug="w.call.slug"),
    "support:request-detail": args(pk="w.advice_request.pk"),
    "support:request-assign": args(pk="w.advice_request.pk"),
    "support:request-forward": args(pk="w.advice_request.pk"),
    "support:request-note": args(pk="w.advice_request.pk"),
    "support:request-close": args(pk="w.advice_request.pk"),
    "stories:story-detail": args(pk="w.story.pk"),
    "stories:story-export": args(fmt="csv"),
    "stories:report-export": args(fmt="csv"),
    "stories:report-create": args(kind="initiativ", slug="w.initiative.slug"),
    "stories:report-detail": args(pk="w.research_report.pk"),
    "stories:report-document": args(pk="w.research_report.pk"),
    "stories:report-delete": args(pk="w.research_report.pk"),
    "surveys:answer": args(token="w.answer_token"),
    "surveys:answer-conditions": args(token="w.answer_token"),
    "surveys:report": args(slug="w.report.slug"),
    "surveys:report-edit": args(slug="w.report.slug"),
    "surveys:detail": args(slug="w.draft_survey.slug"),
    "surveys:update": args(slug="w.draft_survey.slug"),
    "surveys:action": args(slug="w.draft_survey.slug", action="open"),
    "surveys:question-create": args(slug="w.draft_survey.slug"),
    "surveys:question-update": args(slug="w.draft_survey.slug", pk=lambda w: w.draft_question().pk),
    "surveys:question-action": args(
        slug="w.draft_survey.slug", pk=lambda w: w.draft_question().pk, action="delete"
    ),
    "surveys:distribution": args(slug="w.open_survey.slug"),
    "surveys:preview": args(slug="w.open_survey.slug"),
    "surveys:preview-conditions": args(slug="w.open_survey.slug"),
    "surveys:anonymous": args(
        slug="w.anonymous_survey.slug", key="w.anonymous_survey.anonymous_key"
    ),
    "surveys:results": args(slug="w.open_survey.slug"),
    "surveys:coding": args(slug="w.open_survey.slug"),
    "surveys:export": args(slug="w.open_survey.slug", fmt="csv"),
    "surveys:export-build": args(slug="w.open_survey.slug", fmt="xlsx"),
    "surveys:report-create": args(slug="w.open_survey.slug"),
    "surveys:access-grant": args(slug="w.open_survey.slug"),
    "surveys:access-revoke": args(slug="w.open_survey.slug", pk="w.survey_access.pk"),
    "arenas:arena-detail": args(slug="w.arena.slug"),
    "arenas:agreement-create": args(slug="w.arena.slug"),
    "arenas:agreement-document": args(slug="w.arena.slug", pk="w.agreement.pk"),
    "arenas:idea-detail": args(pk="w.idea.pk"),
    "arenas:idea-update": args(pk="w.idea.pk"),
    "arenas:idea-support": args(pk="w.idea.pk"),
    "arenas:idea-support-withdraw": args(pk="w.idea.pk"),
    "arenas:idea-follow": args(pk="w.idea.pk"),
    "arenas:idea-initiative": args(pk="w.idea.pk"),
    "arenas:report": args(kind="ide", pk="w.idea.pk"),
    "arenas:event-register": args(pk="w.event.pk"),
    "arenas:challenge-detail": args(slug="w.challenge.slug"),
    "arenas:challenge-follow": args(slug="w.challenge.slug"),
    "arenas:challenge-open": args(slug="w.challenge.slug"),
    "arenas:event-create": args(slug="w.challenge.slug"),
    "core:county-detail": args(code="24"),
    "core:term-create": args(slug="challenge"),
    "scienceshop:summary-detail": args(pk="w.summary.pk"),
    "core:term-update": args(pk="w.challenge_term.pk"),
    "core:synonym-update": args(pk="w.synonym.pk"),
    "core:pictures": args(kind="initiative", pk="w.initiative.pk"),
    "core:picture-edit": args(token="w.picture.token"),
    "core:picture-remove": args(token="w.picture.token"),
    "core:picture-file": args(token="w.picture.token", width=400),
    "core:synonym-delete": args(pk="w.synonym.pk"),
}


# --- API ---------------------------------------------------------------------------------


def api_operations() -> list[tuple[str, str]]:
    from config.api import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    )


# Each parameter of the API's paths, by name: a spec of ``permission_world.from_world``.
API_PARAMS: dict[str, Any] = {
    "code": None,  # a county's or a municipality's: see api_path
    "slug": None,  # depends on the path: see api_path
    "term_id": "w.challenge_term.pk",
    "synonym_id": "w.synonym.pk",
    "kind": "initiative",
    "object_id": "w.initiative.pk",
    "picture_id": "w.picture.token",
    "organisation_id": "w.org.pk",
    "initiative_id": "w.initiative.pk",
    "batch_id": "w.import_batch.pk",
    "mapping_id": "w.value_mapping.pk",
    "summary_id": "w.summary.pk",
    "question_id": "w.meeting.question_id",
    "meeting_id": "w.meeting.pk",
    "indicator_id": "w.measurement.indicator_id",
    "measurement_id": "w.measurement.pk",
    "analysis_id": "w.analysis.pk",
    "outcome_id": lambda w: w.analysis.outcomes.first().pk,
    "element_id": "w.element.pk",
    "request_id": "w.advice_request.pk",
    "event_id": "w.event.pk",
    "idea_id": "w.idea.pk",
    "comment_id": "w.comment.pk",
    "access_id": "w.survey_access.pk",
    "partnership_id": "w.partner_request.pk",
    "user_id": "w.named_editor.user_id",
    "notification_id": "w.notification.pk",
    "story_id": "w.story.pk",
    "report_id": "w.research_report.pk",
    "suggestion_id": "w.suggestion.pk",
    "plan_id": "w.spread_plan.pk",
    "step_id": "w.plan_step.pk",
    "draft_id": "w.adaptation_draft.pk",
}
API_SLUGS: dict[str, Any] = {
    "/api/v1/vocabularies/": "challenge",
    "/api/v1/methods/": "w.method.slug",
    "/api/v1/support-structures/": "w.structure.organisation.slug",
    "/api/v1/funding-calls/": "w.call.slug",
    "/api/v1/open-data/": "initiativ",
    "/api/v1/surveys/": "w.open_survey.slug",
    "/api/v1/arenas/": "w.arena.slug",
    "/api/v1/challenges/": "w.challenge.slug",
    "/api/v1/hubs/": "w.hub.slug",
}


def api_path(w: World, path: str) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name == "code":
            return "24" if "/counties/" in path else "2480"
        if name == "slug":
            prefix = next(p for p in API_SLUGS if path.startswith(p))
            return str(from_world(w, API_SLUGS[prefix]))
        return str(from_world(w, API_PARAMS[name]))

    return re.sub(r"{(\w+)}", fill, path) + API_QUERIES.get(path, "")


API_QUERIES = {
    "/api/v1/initiatives/similar": "?text=läxhjälp",
    "/api/v1/surveys/{slug}/crosstab": "?row=nya&col=nya",
}


# --- what each persona gets -----------------------------------------------------------------

# Reviewed against the rules in DESIGN.md and docs/architecture.md. The world's question is
# "submitted" for the science-shop pages but "matched" (with a meeting) for the API's
# question routes, which is why researchers see the latter (accepted and later questions are
# open to researchers). A survey's raw answers and everything computed from them (results,
# exports, unpublished reports) are for the owning organisation's people and coordinators (and
# those it gives access, not personas here); researchers see the questionnaire once the survey
# is no longer a draft, and nobody else finds a draft. Building surveys is for the owning
# organisation's administrators and coordinators.
# Building a draft: its organisation's members see it but may not build; others do not find it.
DRAFT_BUILDING = {**only(ORG_ADMIN | COORDINATORS, refused=404), "member": 403}
EXPECTED: dict[str, dict[str, Any]] = {
    "/api/v1/advice-requests": only(SIGNED_IN, anonymous=401),
    "/api/v1/advice-requests/{request_id}": only(
        ORG_PEOPLE | COORDINATORS, refused=404, anonymous=401
    ),
    "/api/v1/adaptation-drafts": only(SIGNED_IN, anonymous=401),
    "/api/v1/adaptation-drafts/{draft_id}": only(
        ORG_ADMIN | COORDINATORS, refused=404, anonymous=404
    ),
    "/api/v1/adaptation-drafts/{draft_id}/messages": only(
        ORG_ADMIN | COORDINATORS, refused=404, anonymous=401
    ),
    "/api/v1/spread-plans": PUBLIC,
    "/api/v1/spread-plans/{plan_id}": PUBLIC,
    "/api/v1/arenas": PUBLIC,
    "/api/v1/arenas/{slug}": PUBLIC,
    "/api/v1/challenges": PUBLIC,
    "/api/v1/challenges/{slug}": PUBLIC,
    "/api/v1/challenges/{slug}/ideas": PUBLIC,
    "/api/v1/funding-calls": PUBLIC,
    "/api/v1/funding-calls/for-initiative/{initiative_id}": PUBLIC,
    "/api/v1/funding-calls/{slug}": PUBLIC,
    "/api/v1/geography/counties": PUBLIC,
    "/api/v1/geography/counties/{code}": PUBLIC,
    "/api/v1/geography/map": PUBLIC,
    "/api/v1/geography/municipalities": PUBLIC,
    "/api/v1/geography/municipalities/{code}": PUBLIC,
    "/api/v1/ideas/{idea_id}": PUBLIC,
    # Open data: every collection, its records and its ids are for anyone.
    "/api/v1/open-data": PUBLIC,
    "/api/v1/open-data/{slug}": PUBLIC,
    "/api/v1/open-data/{slug}/ids": PUBLIC,
    "/api/v1/pictures/{kind}/{object_id}": PUBLIC,
    "/api/v1/search": PUBLIC,
    "/api/v1/ideas/{idea_id}/comments": PUBLIC,
    "/api/v1/impact/indicators/{indicator_id}": only(FOLLOWERS, anonymous=403),
    "/api/v1/impact/initiatives/{initiative_id}": only(FOLLOWERS, anonymous=403),
    "/api/v1/impact/sroi/{analysis_id}": only(FOLLOWERS, anonymous=403),
    "/api/v1/impact/totals": PUBLIC,
    "/api/v1/imports/fields": only(SIGNED_IN, anonymous=401),
    "/api/v1/imports/mappings": only(SIGNED_IN, anonymous=401),
    "/api/v1/imports": only(SIGNED_IN, anonymous=401),
    "/api/v1/imports/{batch_id}": only(ORG_ADMIN, anonymous=401),
    "/api/v1/imports/{batch_id}/progress": only(ORG_ADMIN, anonymous=401),
    "/api/v1/imports/{batch_id}/errors.csv": only(ORG_ADMIN, anonymous=401),
    # The world's import is a file in Hjulet's format of old, without a column mapping.
    "/api/v1/imports/{batch_id}/mapping": only(ORG_ADMIN, refused=403, anonymous=401)
    | {"org_admin": 404},
    "/api/v1/initiatives": PUBLIC,
    "/api/v1/initiatives/similar": PUBLIC,
    "/api/v1/initiatives/{initiative_id}": PUBLIC,
    "/api/v1/me": only(SIGNED_IN, anonymous=401),
    "/api/v1/me/export": only(SIGNED_IN, anonymous=401),
    "/api/v1/notifications": only(SIGNED_IN, anonymous=401),
    "/api/v1/notifications/unread-count": only(SIGNED_IN, anonymous=401),
    "/api/v1/methods": PUBLIC,
    "/api/v1/methods/{slug}": PUBLIC,
    "/api/v1/methods/{slug}/spread": PUBLIC,
    "/api/v1/organisations": PUBLIC,
    "/api/v1/organisations/{organisation_id}": PUBLIC,
    "/api/v1/organisations/{organisation_id}/members": only(
        ORG_PEOPLE | COORDINATORS, anonymous=401
    ),
    "/api/v1/questions": only(SIGNED_IN, anonymous=401),
    "/api/v1/questions/overview": only(COORDINATORS, anonymous=401),
    "/api/v1/questions/summaries": PUBLIC,
    "/api/v1/questions/summaries/{summary_id}": PUBLIC,
    "/api/v1/questions/{question_id}": only(ORG_PEOPLE | COORDINATORS | RESEARCHERS, anonymous=401),
    # Other researchers see a matched question, not the meetings of those working on it.
    "/api/v1/questions/{question_id}/meetings/{meeting_id}/ics": statuses(
        403,
        anonymous=401,
        member=200,
        org_admin=200,
        researcher=404,
        coordinator=200,
        admin_user=200,
    ),
    "/api/v1/questions/{question_id}/suggestions": only(COORDINATORS, anonymous=401),
    "/api/v1/researchers": only(RESEARCHERS | COORDINATORS, anonymous=401),
    "/api/v1/researchers/me": statuses(404, anonymous=401),
    "/api/v1/search-synonyms": only(COORDINATORS, anonymous=401),
    "/api/v1/import-mappings": only(COORDINATORS, anonymous=401),
    "/api/v1/import-mappings/imports/{batch_id}": only(ORG_ADMIN, anonymous=401),
    "/api/v1/stories": PUBLIC,
    "/api/v1/stories/review-queue": only(MODERATORS | COORDINATORS, anonymous=401),
    # The world's story is a resident's, waiting for review: only reviewers find it.
    "/api/v1/stories/{story_id}": only(MODERATORS | COORDINATORS, refused=404, anonymous=404),
    "/api/v1/research-reports": PUBLIC,
    "/api/v1/research-reports/{report_id}": PUBLIC,
    # One's own suggestions (the world's is the stranger's); coordinators see all.
    "/api/v1/initiative-suggestions": only(SIGNED_IN, anonymous=401),
    "/api/v1/initiative-suggestions/{suggestion_id}": only(
        COORDINATORS, refused=404, anonymous=401
    ),
    "/api/v1/support-structures": PUBLIC,
    "/api/v1/support-structures/{slug}": PUBLIC,
    "/api/v1/surveys": only(SIGNED_IN, anonymous=401),
    "/api/v1/surveys/{slug}": only(ORG_PEOPLE | COORDINATORS | RESEARCHERS, anonymous=401),
    "/api/v1/surveys/{slug}/access": only(ORG_ADMIN | COORDINATORS, anonymous=401),
    "/api/v1/surveys/{slug}/crosstab": only(ORG_PEOPLE | COORDINATORS, anonymous=401),
    "/api/v1/surveys/{slug}/responses": only(ORG_PEOPLE | COORDINATORS, anonymous=401),
    "/api/v1/surveys/{slug}/results": only(ORG_PEOPLE | COORDINATORS, anonymous=401),
    "/api/v1/vocabularies": PUBLIC,
    "/api/v1/vocabularies/{slug}/terms": PUBLIC,
    "accounts:api-token-create": BUTTON,
    "accounts:api-token-revoke": BUTTON,
    "accounts:delete-account": only(SIGNED_IN),
    "accounts:email-login": PUBLIC,
    "accounts:email-login-complete": statuses(400),  # the link is checked before the button
    "accounts:export-data": only(SIGNED_IN),
    # For the invited address only: the signed-in personas (other addresses) are refused.
    "accounts:invitation": statuses(403, anonymous=200),
    "accounts:login": statuses(302, anonymous=200),
    "accounts:logout": POST_ONLY,
    "accounts:membership-update": BUTTON,
    "accounts:organisation-create": only(SIGNED_IN),
    "accounts:organisation-detail": PUBLIC,
    "accounts:organisation-invite": only(ORG_ADMIN | COORDINATORS),
    "accounts:organisation-list": PUBLIC,
    "accounts:organisation-update": only(ORG_ADMIN | COORDINATORS),
    "accounts:password-change": only(SIGNED_IN),
    "accounts:password-reset": PUBLIC,
    "accounts:password-reset-confirm": PUBLIC,
    "accounts:password-reset-done": PUBLIC,
    "accounts:profile": only(SIGNED_IN),
    "accounts:display-name": only(SIGNED_IN),
    "accounts:signup": statuses(302, anonymous=200),
    "accounts:user-roles": only(ADMIN),
    "accounts:verify": statuses(400),
    "accounts:verify-resend": PUBLIC,
    "arenas:agreement-create": only(ORG_PEOPLE | COORDINATORS),
    # The world's agreement is a draft: its PDF is for the arena's managers and the parties.
    "arenas:agreement-document": only(ORG_PEOPLE | COORDINATORS, refused=404, anonymous=404),
    "arenas:arena-detail": PUBLIC,
    "arenas:arena-list": PUBLIC,
    "arenas:challenge-create": only(SIGNED_IN),
    "arenas:challenge-detail": PUBLIC,
    "arenas:challenge-follow": BUTTON,
    "arenas:challenge-list": PUBLIC,
    "arenas:challenge-open": BUTTON,
    "arenas:event-create": only(ORG_PEOPLE | COORDINATORS),
    "arenas:event-register": BUTTON,
    "arenas:idea-detail": PUBLIC,
    "arenas:idea-follow": BUTTON,
    "arenas:idea-initiative": BUTTON,
    "arenas:idea-support": BUTTON,
    "arenas:idea-support-withdraw": BUTTON,
    "arenas:idea-update": statuses(403, anonymous="login"),
    "arenas:moderation-queue": only(MODERATORS),
    "arenas:report": BUTTON,
    "core:audit-log": only(COORDINATORS),
    "core:county-detail": PUBLIC,
    "core:geography": PUBLIC,
    "site:home": PUBLIC,
    "core:notifications": only(SIGNED_IN),
    "core:picture-edit": only(INITIATIVE_EDITORS),
    "core:picture-file": PUBLIC,
    "core:picture-remove": only(INITIATIVE_EDITORS),
    "core:pictures": only(INITIATIVE_EDITORS),
    "site:search": PUBLIC,
    "core:synonym-create": only(COORDINATORS),
    "core:synonym-delete": BUTTON,
    "core:synonym-list": only(COORDINATORS),
    "core:synonym-update": only(COORDINATORS),
    "core:term-create": only(COORDINATORS),
    "core:term-update": only(COORDINATORS),
    "core:vocabulary-list": PUBLIC,
    "impact:element-delete": BUTTON,
    "impact:element-update": only(INITIATIVE_EDITORS),
    "impact:export": only(FOLLOWERS, anonymous=403),
    "impact:indicator-create": only(INITIATIVE_EDITORS),
    "impact:indicator-detail": only(FOLLOWERS, anonymous=403),
    "impact:indicator-update": only(INITIATIVE_EDITORS),
    "impact:measurement-delete": BUTTON,
    "impact:outcome-update": only(INITIATIVE_EDITORS),
    "impact:overview": only(FOLLOWERS, anonymous=403),
    "impact:report": only(FOLLOWERS, anonymous=403),
    "impact:report-edit": only(INITIATIVE_EDITORS),
    "impact:report-publish": BUTTON,
    "impact:sroi-create": only(INITIATIVE_EDITORS),
    "impact:sroi-detail": only(FOLLOWERS, anonymous=403),
    "impact:sroi-export": only(FOLLOWERS, anonymous=403),
    "impact:sroi-row-delete": BUTTON,
    "impact:test-cycle-create": only(INITIATIVE_EDITORS),
    "impact:test-cycle-update": only(INITIATIVE_EDITORS),
    "impact:test-cycles": only(FOLLOWERS, anonymous=403),
    "impact:theory-edit": only(INITIATIVE_EDITORS),
    "impact:totals": PUBLIC,
    "impact:totals-export": PUBLIC,
    "knowledge:adaptation-create": only(INITIATIVE_EDITORS),
    # Plans are public; making one is for the method's people. Anyone signed in adapts. The
    # stranger's draft is read by its owner, the method's team (the organisation's
    # administrator, who may not edit it) and coordinators; others do not find it.
    "spreading:plan-create": only(ORG_PEOPLE | COORDINATORS),
    "spreading:plan-detail": PUBLIC,
    "spreading:plan-edit": only(ORG_PEOPLE | COORDINATORS),
    "spreading:plan-export": PUBLIC,
    "spreading:lessons": PUBLIC,
    "spreading:step-create": BUTTON,
    "spreading:step-done": BUTTON,
    "spreading:start-method": SIGNED,
    "spreading:start-initiative": SIGNED,
    "spreading:my-drafts": SIGNED,
    "spreading:draft-detail": only(ORG_ADMIN | COORDINATORS, refused=404, anonymous=404),
    "spreading:draft-edit": {**only(COORDINATORS, refused=404), "org_admin": 403},
    "spreading:draft-publish": BUTTON,
    "spreading:draft-stop": BUTTON,
    "spreading:draft-thread": only(ORG_ADMIN | COORDINATORS, refused=404),
    "knowledge:import": only(ORG_PEOPLE | COORDINATORS | PARTNER_PEOPLE, refused=302),
    "knowledge:import-commit": BUTTON,
    "knowledge:import-accept-methods": BUTTON,
    "knowledge:value-mapping-delete": BUTTON,
    "knowledge:value-mappings": only(COORDINATORS),
    "knowledge:import-remap": BUTTON,
    "knowledge:import-errors": only(ORG_ADMIN),
    "knowledge:import-preview": only(ORG_ADMIN),
    "knowledge:import-progress": only(ORG_ADMIN),
    "knowledge:import-list": only(SIGNED_IN),
    # Built on a POST by a signed-in person (a GET is not allowed).
    "knowledge:initiative-export-build": BUTTON,
    # A large export is its asker's alone.
    "core:export-detail": only(ORG_ADMIN),
    "core:export-progress": only(ORG_ADMIN),
    "core:export-download": only(ORG_ADMIN),
    "knowledge:import-template": PUBLIC,
    "knowledge:initiative-create": only(ORG_PEOPLE | COORDINATORS | PARTNER_PEOPLE, refused=302),
    "knowledge:initiative-detail": PUBLIC,
    "knowledge:initiative-export": PUBLIC,
    "knowledge:initiative-list": PUBLIC,
    "knowledge:initiative-update": only(INITIATIVE_EDITORS),
    "knowledge:map": PUBLIC,
    "knowledge:method-create": only(SIGNED_IN),
    "knowledge:method-detail": PUBLIC,
    "knowledge:method-list": PUBLIC,
    "knowledge:method-update": only(ORG_PEOPLE | COORDINATORS),
    "knowledge:method-spread": PUBLIC,
    "knowledge:partner-add": BUTTON,
    "knowledge:partner-answer": BUTTON,
    "knowledge:editor-add": BUTTON,
    "knowledge:editor-remove": BUTTON,
    "knowledge:partner-remove": BUTTON,
    "knowledge:review": BUTTON,
    "knowledge:similar": PUBLIC,
    "scienceshop:assign": only(COORDINATORS),
    "scienceshop:decide": BUTTON,
    "scienceshop:follow-up": BUTTON,
    "scienceshop:formulation-add": BUTTON,
    "scienceshop:index": PUBLIC,
    "scienceshop:interest": BUTTON,
    "scienceshop:meeting-create": BUTTON,
    "scienceshop:meeting-ics": statuses(
        403,
        anonymous="login",
        member=200,
        org_admin=200,
        researcher=404,
        coordinator=200,
        admin_user=200,
    ),
    "scienceshop:meeting-update": only(COORDINATORS),
    "scienceshop:my-questions": only(SIGNED_IN),
    "scienceshop:open-questions": only(RESEARCHERS | COORDINATORS),
    "scienceshop:outcome": only(COORDINATORS),
    "scienceshop:overview": only(COORDINATORS),
    "opendata:index": PUBLIC,
    "opendata:catalogue": PUBLIC,
    "opendata:catalogue-file": PUBLIC,
    "opendata:download": PUBLIC,
    "opendata:feed-initiatives": PUBLIC,
    "opendata:feed-calls": PUBLIC,
    "opendata:sitemap": PUBLIC,
    "opendata:sitemap-section": PUBLIC,
    "opendata:robots": PUBLIC,
    "scienceshop:question-create": only(ORG_PEOPLE | PARTNER_PEOPLE, refused=302),
    "scienceshop:question-detail": only(ORG_PEOPLE | COORDINATORS),
    "scienceshop:question-list": only(COORDINATORS),
    "scienceshop:researcher-profile": only(RESEARCHERS),
    "scienceshop:summary-detail": PUBLIC,
    "scienceshop:summary-list": PUBLIC,
    # Regional hubs: national coordinators set them up; a hub's dashboard is for its own
    # people (the world's hub is not the hub personas') and national coordinators.
    "regions:hub-list": PUBLIC,
    "regions:hub-create": only(COORDINATORS),
    "regions:hub-start": PUBLIC,
    "regions:hub-colours": PUBLIC,
    "regions:hub-dashboard": only(COORDINATORS),
    "regions:hub-update": only(COORDINATORS),
    "regions:hub-people": only(COORDINATORS),
    "regions:hub-person-remove": BUTTON,
    "/api/v1/hubs": PUBLIC,
    "/api/v1/hubs/{slug}": PUBLIC,
    "/api/v1/hubs/{slug}/dashboard": only(COORDINATORS, anonymous=401),
    "set-language": statuses(302),
    "stories:my-suggestions": only(SIGNED_IN),
    "stories:report-create": only(INITIATIVE_EDITORS),
    "stories:report-delete": BUTTON,
    "stories:report-detail": PUBLIC,
    "stories:report-document": PUBLIC,
    "stories:report-export": PUBLIC,
    "stories:review-queue": only(MODERATORS | COORDINATORS),
    "stories:story-create": only(SIGNED_IN),
    "stories:story-detail": only(MODERATORS | COORDINATORS, refused=404, anonymous=404),
    "stories:story-export": PUBLIC,
    "stories:story-feed": PUBLIC,
    "stories:story-list": PUBLIC,
    # Anyone may read the invitation; the form is for those signed in.
    "stories:suggestion-create": PUBLIC,
    "stories:suggestion-queue": only(COORDINATORS),
    "support:call-create": only(SIGNED_IN),
    "support:call-detail": PUBLIC,
    "support:call-export": PUBLIC,
    # A long list's file is built on a POST by a signed-in person (a GET is not allowed).
    "support:call-export-build": BUTTON,
    "support:structure-export-build": BUTTON,
    "support:call-follow": BUTTON,
    "support:call-list": PUBLIC,
    "support:call-update": only(ORG_PEOPLE | COORDINATORS),
    "support:calls-for-initiative": PUBLIC,
    "support:directory": PUBLIC,
    "support:request-assign": BUTTON,
    "support:request-close": BUTTON,
    "support:request-create": PUBLIC,
    "support:request-detail": only(ORG_PEOPLE | COORDINATORS, refused=404),
    "support:request-forward": BUTTON,
    "support:request-inbox": only(SIGNED_IN),
    "support:request-note": BUTTON,
    "support:structure-create": only(SIGNED_IN),
    "support:structure-detail": PUBLIC,
    "support:structure-export": PUBLIC,
    "support:structure-update": only(ORG_PEOPLE | COORDINATORS),
    "surveys:access-grant": BUTTON,
    "surveys:access-revoke": BUTTON,
    "surveys:action": BUTTON,
    "surveys:anonymous": PUBLIC,
    "surveys:answer": PUBLIC,
    "surveys:answer-conditions": POST_ONLY,
    "surveys:coding": only(ORG_ADMIN | COORDINATORS),
    "surveys:create": only(SIGNED_IN),
    "surveys:detail": only(ORG_PEOPLE | COORDINATORS, refused=404),  # a draft
    "surveys:distribution": only(ORG_ADMIN | COORDINATORS),
    "surveys:preview": only(ORG_ADMIN | COORDINATORS),
    "surveys:preview-conditions": BUTTON,
    "surveys:export": only(ORG_PEOPLE | COORDINATORS),
    "surveys:export-build": BUTTON,
    "surveys:import": only(SIGNED_IN),
    "surveys:import-commit": BUTTON,
    "surveys:list": PUBLIC,
    "surveys:question-action": BUTTON,
    "surveys:question-create": DRAFT_BUILDING,
    "surveys:question-update": DRAFT_BUILDING,
    "surveys:report": only(ORG_PEOPLE | COORDINATORS, anonymous=403),
    "surveys:report-create": only(ORG_ADMIN | COORDINATORS),
    "surveys:report-edit": only(ORG_ADMIN | COORDINATORS),
    "surveys:results": only(ORG_PEOPLE | COORDINATORS),
    "surveys:update": DRAFT_BUILDING,
}

# A regional hub's coordinators have a coordinator's rights in the hub's area
# (``hjulet.regions.permissions.can_coordinate``): the northern hub's coordinator sees what a
# coordinator sees of the world's objects (Umeå); the Skåne hub's gets what any outsider gets,
# except the science shop's list of questions, which she may open (it lists her area's only).
HUB_SCOPED_ROUTES = (
    "/api/v1/advice-requests/{request_id}",
    "/api/v1/questions/{question_id}",
    "/api/v1/questions/{question_id}/meetings/{meeting_id}/ics",
    "/api/v1/questions/{question_id}/suggestions",
    "/api/v1/surveys/{slug}",
    "/api/v1/surveys/{slug}/access",
    "/api/v1/surveys/{slug}/crosstab",
    "/api/v1/surveys/{slug}/responses",
    "/api/v1/surveys/{slug}/results",
    "arenas:agreement-create",
    "arenas:agreement-document",
    "arenas:event-create",
    "scienceshop:assign",
    "scienceshop:meeting-ics",
    "scienceshop:meeting-update",
    "scienceshop:outcome",
    "scienceshop:question-detail",
    "scienceshop:question-list",
    "support:request-detail",
    "surveys:coding",
    "surveys:detail",
    "surveys:distribution",
    "surveys:export",
    "surveys:preview",
    "surveys:question-create",
    "surveys:question-update",
    "surveys:report",
    "surveys:report-create",
    "surveys:report-edit",
    "surveys:results",
    "surveys:update",
)
for _name in HUB_SCOPED_ROUTES:
    EXPECTED[_name] = {**EXPECTED[_name], "hub_north": 200}
EXPECTED["scienceshop:question-list"]["hub_skane"] = 200
# Each hub's coordinator has the moderation queue of her own area.
EXPECTED["arenas:moderation-queue"] = only(MODERATORS | {"hub_north", "hub_skane"})

# Routes where an anonymous POST may write: the invitation link makes an account, the open
# survey link and the answer link start and save a response.
ANONYMOUS_WRITES = {"accounts:invitation", "surveys:anonymous", "surveys:answer"}


def test_every_route_is_in_the_matrix():
    routes = set(page_names()) | set(api_get_paths())
    assert sorted(routes - set(EXPECTED)) == [], "routes without a row in EXPECTED"
    assert sorted(set(EXPECTED) - routes) == [], "rows for routes that no longer exist"


@pytest.mark.parametrize("name", page_names())
def test_page(name, world, clients):
    url = reverse(name, kwargs=KWARGS.get(name, lambda w: {})(world))
    got = observed(clients, url)
    if OBSERVE:
        print(f"\nOBSERVED {name} {got}")
    assert got == EXPECTED[name]
    if name in ANONYMOUS_WRITES:
        return
    before = snapshot()
    response = clients["anonymous"].post(url, data={})
    assert_unchanged(before, f"an anonymous POST to {url}")
    if EXPECTED[name]["anonymous"] == "login":
        assert response.status_code == 302
        assert "/konto/logga-in/" in response.headers["Location"]


def api_get_paths() -> list[str]:
    return [path for method, path in api_operations() if method == "GET"]


def api_write_operations() -> list[tuple[str, str]]:
    return [(method, path) for method, path in api_operations() if method != "GET"]


@pytest.mark.parametrize("path", api_get_paths())
def test_api_read(path, world, clients):
    got = observed(clients, api_path(world, path))
    if OBSERVE:
        print(f"\nOBSERVED {path} {got}")
    assert got == EXPECTED[path]


@pytest.mark.parametrize(("method", "path"), api_write_operations())
def test_api_write_without_signing_in(method, path, world):
    """Every write of the API refuses an anonymous caller with a JSON error before it reads
    the body, and writes nothing. (Which signed-in personas may write is the services'
    matrix: the API calls the same services.)"""
    url = api_path(world, path)
    before = snapshot()
    response = getattr(Client(), method.lower())(url, data={}, content_type="application/json")
    assert response.status_code == 401, response.content
    assert response.json()["detail"]
    assert_unchanged(before, f"an anonymous {method} {url}")


def test_admin_site(clients):
    """The read-only admin site (every admin route, by its model lists) is for the operators'
    staff accounts (``createsuperuser``); no persona gets in, not even the platform role
    "admin", which works through the site's own pages."""
    from hjulet.accounts.models import User

    names = [
        name
        for name, _ in url_patterns()
        if name.startswith("admin:") and name.endswith("_changelist")
    ]
    assert names
    operator = Client()
    operator.force_login(User.objects.create_superuser("drift@exempel.se", "ett-bra-losenord"))
    for name in ["admin:index", *names]:
        assert operator.get(reverse(name)).status_code == 200, name
        for persona, client in clients.items():
            response = client.get(reverse(name))
            assert response.status_code == 302, (name, persona)
            assert "/admin/login/" in response.headers["Location"]


# --- what lists and pages leave out ------------------------------------------------------
# A status code is not the whole story: a public page or an open list must not show private
# things either.


def test_hidden_idea_is_hidden_from_all_but_moderators_and_its_author(world, clients):
    from hjulet.accounts.tests.factories import UserFactory
    from hjulet.arenas import services as arenas

    idea = world.idea
    for n in range(3):
        reporter = UserFactory(email=f"anmalare{n}@exempel.se")
        arenas.content_report(actor=reporter, idea=idea, reason="spam")
    idea.refresh_from_db()
    assert not idea.is_visible
    page = reverse("arenas:idea-detail", kwargs={"pk": idea.pk})
    api = f"/api/v1/ideas/{idea.pk}"
    author = Client()
    author.force_login(world.stranger)
    assert author.get(page).status_code == 200
    for persona, client in clients.items():
        expected = 200 if persona in MODERATORS | HUB_NORTH else 404
        assert client.get(page).status_code == expected, persona
        assert client.get(api).status_code == expected, persona
        for url in (
            reverse("arenas:challenge-detail", kwargs={"slug": world.challenge.slug}),
            f"/api/v1/challenges/{world.challenge.slug}/ideas",
        ):
            shown = idea.title in client.get(url).content.decode()
            assert shown == (persona in MODERATORS | HUB_NORTH), (persona, url)


def test_drafts_and_unpublished_reports_stay_out_of_public_lists(world, clients):
    draft, report = world.draft_survey, world.report
    draft.title, report.title = "Hemligt utkast", "Opublicerad rapport"
    draft.save(update_fields=["title"])
    report.save(update_fields=["title"])
    can_see_workings = ORG_PEOPLE | COORDINATORS | HUB_NORTH
    for persona, client in clients.items():
        page = client.get(reverse("surveys:list")).content.decode()
        assert ("Hemligt utkast" in page) == (persona in can_see_workings), persona
        assert "Opublicerad rapport" not in page, persona
        if persona != "anonymous":
            listed = {s["slug"] for s in client.get("/api/v1/surveys").json()["items"]}
            assert (draft.slug in listed) == (persona in can_see_workings), persona


def test_private_requests_and_questions_stay_out_of_lists(world, clients):
    request, question = world.advice_request, world.question
    for persona, client in clients.items():
        if persona == "anonymous":
            continue
        requests = {r["id"] for r in client.get("/api/v1/advice-requests").json()["items"]}
        handlers = ORG_PEOPLE | COORDINATORS | HUB_NORTH
        assert (request.pk in requests) == (persona in handlers), persona
        inbox = client.get(reverse("support:request-inbox")).content.decode()
        assert (request.title in inbox) == (persona in handlers), persona
        questions = {q["id"] for q in client.get("/api/v1/questions").json()["items"]}
        assert (question.pk in questions) == (persona in handlers), persona


def test_meetings_are_for_the_people_working_on_the_question(world, clients):
    meeting = world.meeting
    meeting.notes = "Föreningen har svårt att nå byarna."
    meeting.save(update_fields=["notes"])
    page = reverse("scienceshop:question-detail", kwargs={"pk": meeting.question_id})
    api = f"/api/v1/questions/{meeting.question_id}"
    parties = ORG_PEOPLE | COORDINATORS
    for persona in ("member", "researcher", "coordinator"):
        client = clients[persona]
        shown = [m["notes"] for m in client.get(api).json()["meetings"]]
        assert shown == ([meeting.notes] if persona in parties else []), persona
        assert (meeting.notes in client.get(page).content.decode()) == (persona in parties)
    assigned = Client()
    assigned.force_login(meeting.question.assignments.get().researcher)
    assert [m["notes"] for m in assigned.get(api).json()["meetings"]] == [meeting.notes]
