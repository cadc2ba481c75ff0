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

from .permission_world import World
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


def kw(**builders: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    return lambda w: {key: build(w) for key, build in builders.items()}


INITIATIVE = kw(slug=lambda w: w.initiative.slug)
# Route parameters, filled with the world's objects (routes without parameters need none).
KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "accounts:verify": kw(token=lambda w: "ogiltig"),
    "accounts:email-login-complete": kw(token=lambda w: "ogiltig"),
    "accounts:password-reset-confirm": kw(uidb64=lambda w: "MQ", token=lambda w: "x-y"),
    "accounts:api-token-revoke": kw(pk=lambda w: w.stranger_token.pk),
    "accounts:organisation-detail": kw(slug=lambda w: w.org.slug),
    "accounts:organisation-update": kw(slug=lambda w: w.org.slug),
    "accounts:organisation-invite": kw(slug=lambda w: w.org.slug),
    "accounts:membership-update": kw(pk=lambda w: w.membership.pk),
    "accounts:invitation": kw(secret=lambda w: w.invitation_secret),
    "knowledge:initiative-export": kw(fmt=lambda w: "csv"),
    "regions:hub-start": kw(slug=lambda w: w.hub.slug),
    "regions:hub-colours": kw(slug=lambda w: w.hub.slug),
    "regions:hub-dashboard": kw(slug=lambda w: w.hub.slug),
    "regions:hub-update": kw(slug=lambda w: w.hub.slug),
    "regions:hub-people": kw(slug=lambda w: w.hub.slug),
    "regions:hub-person-remove": kw(slug=lambda w: w.hub.slug, pk=lambda w: w.hub_person.pk),
    "knowledge:partner-remove": kw(pk=lambda w: w.partnership.pk),
    "knowledge:partner-answer": kw(pk=lambda w: w.partner_request.pk),
    "knowledge:editor-remove": kw(pk=lambda w: w.named_editor.pk),
    "knowledge:import-preview": kw(pk=lambda w: w.import_batch.pk),
    "knowledge:import-progress": kw(pk=lambda w: w.import_batch.pk),
    "knowledge:initiative-export-build": kw(fmt=lambda w: "xlsx"),
    "core:export-detail": kw(pk=lambda w: w.export_file.pk),
    "core:export-progress": kw(pk=lambda w: w.export_file.pk),
    "core:export-download": kw(pk=lambda w: w.export_file.pk),
    "knowledge:import-commit": kw(pk=lambda w: w.import_batch.pk),
    "knowledge:import-accept-methods": kw(pk=lambda w: w.import_batch.pk),
    "knowledge:value-mapping-delete": kw(pk=lambda w: w.value_mapping.pk),
    "knowledge:import-remap": kw(pk=lambda w: w.import_batch.pk),
    "knowledge:import-errors": kw(pk=lambda w: w.import_batch.pk),
    "knowledge:initiative-detail": INITIATIVE,
    "knowledge:initiative-update": INITIATIVE,
    "knowledge:adaptation-create": INITIATIVE,
    "knowledge:partner-add": INITIATIVE,
    "knowledge:editor-add": INITIATIVE,
    "knowledge:method-detail": kw(slug=lambda w: w.method.slug),
    "knowledge:method-update": kw(slug=lambda w: w.method.slug),
    "knowledge:review": kw(kind=lambda w: "initiativ", slug=lambda w: w.initiative.slug),
    "spreading:plan-create": kw(slug=lambda w: w.method.slug),
    "spreading:start-method": kw(slug=lambda w: w.method.slug),
    "spreading:start-initiative": INITIATIVE,
    "spreading:plan-detail": kw(pk=lambda w: w.spread_plan.pk),
    "spreading:plan-edit": kw(pk=lambda w: w.spread_plan.pk),
    "spreading:step-create": kw(pk=lambda w: w.spread_plan.pk),
    "spreading:step-done": kw(pk=lambda w: w.plan_step.pk),
    "spreading:draft-detail": kw(pk=lambda w: w.adaptation_draft.pk),
    "spreading:draft-edit": kw(pk=lambda w: w.adaptation_draft.pk),
    "spreading:draft-publish": kw(pk=lambda w: w.adaptation_draft.pk),
    "spreading:draft-stop": kw(pk=lambda w: w.published_adaptation.pk),
    "spreading:draft-thread": kw(pk=lambda w: w.adaptation_draft.pk),
    "scienceshop:question-detail": kw(pk=lambda w: w.question.pk),
    "scienceshop:formulation-add": kw(pk=lambda w: w.question.pk),
    "scienceshop:decide": kw(pk=lambda w: w.question.pk),
    "scienceshop:interest": kw(pk=lambda w: w.question.pk),
    "scienceshop:assign": kw(pk=lambda w: w.question.pk),
    "scienceshop:meeting-create": kw(pk=lambda w: w.question.pk),
    "scienceshop:meeting-update": kw(
        pk=lambda w: w.meeting.question_id, meeting_pk=lambda w: w.meeting.pk
    ),
    "scienceshop:meeting-ics": kw(
        pk=lambda w: w.meeting.question_id, meeting_pk=lambda w: w.meeting.pk
    ),
    "scienceshop:outcome": kw(pk=lambda w: w.question.pk),
    "scienceshop:follow-up": kw(pk=lambda w: w.question.pk),
    "impact:overview": INITIATIVE,
    "impact:export": INITIATIVE,
    "impact:theory-edit": INITIATIVE,
    "impact:element-delete": kw(slug=lambda w: w.initiative.slug, pk=lambda w: w.element.pk),
    "impact:element-update": kw(slug=lambda w: w.initiative.slug, pk=lambda w: w.element.pk),
    "impact:indicator-create": INITIATIVE,
    "impact:indicator-detail": kw(slug=lambda w: w.initiative.slug, pk=lambda w: w.indicator.pk),
    "impact:indicator-update": kw(slug=lambda w: w.initiative.slug, pk=lambda w: w.indicator.pk),
    "impact:measurement-delete": kw(
        slug=lambda w: w.initiative.slug,
        pk=lambda w: w.measurement.indicator_id,
        row=lambda w: w.measurement.pk,
    ),
    "impact:test-cycles": INITIATIVE,
    "impact:test-cycle-create": INITIATIVE,
    "impact:test-cycle-update": kw(slug=lambda w: w.initiative.slug, pk=lambda w: w.cycle.pk),
    "impact:sroi-create": INITIATIVE,
    "impact:sroi-detail": kw(slug=lambda w: w.initiative.slug, pk=lambda w: w.analysis.pk),
    "impact:sroi-export": kw(slug=lambda w: w.initiative.slug, pk=lambda w: w.analysis.pk),
    "impact:outcome-update": kw(
        slug=lambda w: w.initiative.slug,
        pk=lambda w: w.analysis.pk,
        row=lambda w: w.analysis.outcomes.first().pk,
    ),
    "impact:sroi-row-delete": kw(
        slug=lambda w: w.initiative.slug,
        pk=lambda w: w.analysis.pk,
        kind=lambda w: "insats",
        row=lambda w: w.analysis.inputs.first().pk,
    ),
    "impact:report": INITIATIVE,
    "impact:report-edit": INITIATIVE,
    "impact:report-publish": INITIATIVE,
    "support:structure-export": kw(fmt=lambda w: "csv"),
    "opendata:catalogue-file": kw(fmt=lambda w: "ttl"),
    "opendata:sitemap-section": kw(section=lambda w: "initiatives"),
    "opendata:download": kw(slug=lambda w: "initiativ", fmt=lambda w: "csv"),
    "support:structure-export-build": kw(fmt=lambda w: "xlsx"),
    "support:structure-detail": kw(slug=lambda w: w.structure.organisation.slug),
    "support:structure-update": kw(slug=lambda w: w.structure.organisation.slug),
    "support:call-export": kw(fmt=lambda w: "csv"),
    "support:call-export-build": kw(fmt=lambda w: "xlsx"),
    "support:calls-for-initiative": INITIATIVE,
    "support:call-detail": kw(slug=lambda w: w.call.slug),
    "support:call-update": kw(slug=lambda w: w.call.slug),
    "support:call-follow": kw(slug=lambda w: w.call.slug),
    "support:request-detail": kw(pk=lambda w: w.advice_request.pk),
    "support:request-assign": kw(pk=lambda w: w.advice_request.pk),
    "support:request-forward": kw(pk=lambda w: w.advice_request.pk),
    "support:request-note": kw(pk=lambda w: w.advice_request.pk),
    "support:request-close": kw(pk=lambda w: w.advice_request.pk),
    "stories:story-detail": kw(pk=lambda w: w.story.pk),
    "stories:story-export": kw(fmt=lambda w: "csv"),
    "stories:report-export": kw(fmt=lambda w: "csv"),
    "stories:report-create": kw(kind=lambda w: "initiativ", slug=lambda w: w.initiative.slug),
    "stories:report-detail": kw(pk=lambda w: w.research_report.pk),
    "stories:report-document": kw(pk=lambda w: w.research_report.pk),
    "stories:report-delete": kw(pk=lambda w: w.research_report.pk),
    "surveys:answer": kw(token=lambda w: w.answer_token),
    "surveys:answer-conditions": kw(token=lambda w: w.answer_token),
    "surveys:report": kw(slug=lambda w: w.report.slug),
    "surveys:report-edit": kw(slug=lambda w: w.report.slug),
    "surveys:detail": kw(slug=lambda w: w.draft_survey.slug),
    "surveys:update": kw(slug=lambda w: w.draft_survey.slug),
    "surveys:action": kw(slug=lambda w: w.draft_survey.slug, action=lambda w: "open"),
    "surveys:question-create": kw(slug=lambda w: w.draft_survey.slug),
    "surveys:question-update": kw(
        slug=lambda w: w.draft_survey.slug, pk=lambda w: w.draft_question().pk
    ),
    "surveys:question-action": kw(
        slug=lambda w: w.draft_survey.slug,
        pk=lambda w: w.draft_question().pk,
        action=lambda w: "delete",
    ),
    "surveys:distribution": kw(slug=lambda w: w.open_survey.slug),
    "surveys:preview": kw(slug=lambda w: w.open_survey.slug),
    "surveys:preview-conditions": kw(slug=lambda w: w.open_survey.slug),
    "surveys:anonymous": kw(
        slug=lambda w: w.anonymous_survey.slug, key=lambda w: w.anonymous_survey.anonymous_key
    ),
    "surveys:results": kw(slug=lambda w: w.open_survey.slug),
    "surveys:coding": kw(slug=lambda w: w.open_survey.slug),
    "surveys:export": kw(slug=lambda w: w.open_survey.slug, fmt=lambda w: "csv"),
    "surveys:export-build": kw(slug=lambda w: w.open_survey.slug, fmt=lambda w: "xlsx"),
    "surveys:report-create": kw(slug=lambda w: w.open_survey.slug),
    "surveys:access-grant": kw(slug=lambda w: w.open_survey.slug),
    "surveys:access-revoke": kw(slug=lambda w: w.open_survey.slug, pk=lambda w: w.survey_access.pk),
    "arenas:arena-detail": kw(slug=lambda w: w.arena.slug),
    "arenas:agreement-create": kw(slug=lambda w: w.arena.slug),
    "arenas:agreement-document": kw(slug=lambda w: w.arena.slug, pk=lambda w: w.agreement.pk),
    "arenas:idea-detail": kw(pk=lambda w: w.idea.pk),
    "arenas:idea-update": kw(pk=lambda w: w.idea.pk),
    "arenas:idea-support": kw(pk=lambda w: w.idea.pk),
    "arenas:idea-support-withdraw": kw(pk=lambda w: w.idea.pk),
    "arenas:idea-follow": kw(pk=lambda w: w.idea.pk),
    "arenas:idea-initiative": kw(pk=lambda w: w.idea.pk),
    "arenas:report": kw(kind=lambda w: "ide", pk=lambda w: w.idea.pk),
    "arenas:event-register": kw(pk=lambda w: w.event.pk),
    "arenas:challenge-detail": kw(slug=lambda w: w.challenge.slug),
    "arenas:challenge-follow": kw(slug=lambda w: w.challenge.slug),
    "arenas:challenge-open": kw(slug=lambda w: w.challenge.slug),
    "arenas:event-create": kw(slug=lambda w: w.challenge.slug),
    "core:county-detail": kw(code=lambda w: "24"),
    "core:term-create": kw(slug=lambda w: "challenge"),
    "scienceshop:summary-detail": kw(pk=lambda w: w.summary.pk),
    "core:term-update": kw(pk=lambda w: w.challenge_term.pk),
    "core:synonym-update": kw(pk=lambda w: w.synonym.pk),
    "core:pictures": kw(kind=lambda w: "initiative", pk=lambda w: w.initiative.pk),
    "core:picture-edit": kw(token=lambda w: w.picture.token),
    "core:picture-remove": kw(token=lambda w: w.picture.token),
    "core:picture-file": kw(token=lambda w: w.picture.token, width=lambda w: 400),
    "core:synonym-delete": kw(pk=lambda w: w.synonym.pk),
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


API_PARAMS: dict[str, Callable[[World], Any]] = {
    "code": None,  # a county's or a municipality's: see api_path
    "slug": None,  # depends on the path: see api_path
    "term_id": lambda w: w.challenge_term.pk,
    "synonym_id": lambda w: w.synonym.pk,
    "kind": lambda w: "initiative",
    "object_id": lambda w: w.initiative.pk,
    "picture_id": lambda w: w.picture.token,
    "organisation_id": lambda w: w.org.pk,
    "initiative_id": lambda w: w.initiative.pk,
    "batch_id": lambda w: w.import_batch.pk,
    "mapping_id": lambda w: w.value_mapping.pk,
    "summary_id": lambda w: w.summary.pk,
    "question_id": lambda w: w.meeting.question_id,
    "meeting_id": lambda w: w.meeting.pk,
    "indicator_id": lambda w: w.measurement.indicator_id,
    "measurement_id": lambda w: w.measurement.pk,
    "analysis_id": lambda w: w.analysis.pk,
    "outcome_id": lambda w: w.analysis.outcomes.first().pk,
    "element_id": lambda w: w.element.pk,
    "request_id": lambda w: w.advice_request.pk,
    "event_id": lambda w: w.event.pk,
    "idea_id": lambda w: w.idea.pk,
    "comment_id": lambda w: w.comment.pk,
    "access_id": lambda w: w.survey_access.pk,
    "partnership_id": lambda w: w.partner_request.pk,
    "user_id": lambda w: w.named_editor.user_id,
    "notification_id": lambda w: w.notification.pk,
    "story_id": lambda w: w.story.pk,
    "report_id": lambda w: w.research_report.pk,
    "suggestion_id": lambda w: w.suggestion.pk,
    "plan_id": lambda w: w.spread_plan.pk,
    "step_id": lambda w: w.plan_step.pk,
    "draft_id": lambda w: w.adaptation_draft.pk,
}
API_SLUGS: dict[str, Callable[[World], str]] = {
    "/api/v1/vocabularies/": lambda w: "challenge",
    "/api/v1/methods/": lambda w: w.method.slug,
    "/api/v1/support-structures/": lambda w: w.structure.organisation.slug,
    "/api/v1/funding-calls/": lambda w: w.call.slug,
    "/api/v1/open-data/": lambda w: "initiativ",
    "/api/v1/surveys/": lambda w: w.open_survey.slug,
    "/api/v1/arenas/": lambda w: w.arena.slug,
    "/api/v1/challenges/": lambda w: w.challenge.slug,
    "/api/v1/hubs/": lambda w: w.hub.slug,
}


def api_path(w: World, path: str) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name == "code":
            return "24" if "/counties/" in path else "2480"
        if name == "slug":
            prefix = next(p for p in API_SLUGS if path.startswith(p))
            return str(API_SLUGS[prefix](w))
        return str(API_PARAMS[name](w))

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
    "accounts:api-token-create": statuses(405, anonymous="login"),
    "accounts:api-token-revoke": statuses(405, anonymous="login"),
    "accounts:delete-account": only(SIGNED_IN),
    "accounts:email-login": PUBLIC,
    "accounts:email-login-complete": statuses(400),  # the link is checked before the button
    "accounts:export-data": only(SIGNED_IN),
    # For the invited address only: the signed-in personas (other addresses) are refused.
    "accounts:invitation": statuses(403, anonymous=200),
    "accounts:login": statuses(302, anonymous=200),
    "accounts:logout": POST_ONLY,
    "accounts:membership-update": statuses(405, anonymous="login"),
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
    "arenas:challenge-follow": statuses(405, anonymous="login"),
    "arenas:challenge-list": PUBLIC,
    "arenas:challenge-open": statuses(405, anonymous="login"),
    "arenas:event-create": only(ORG_PEOPLE | COORDINATORS),
    "arenas:event-register": statuses(405, anonymous="login"),
    "arenas:idea-detail": PUBLIC,
    "arenas:idea-follow": statuses(405, anonymous="login"),
    "arenas:idea-initiative": statuses(405, anonymous="login"),
    "arenas:idea-support": statuses(405, anonymous="login"),
    "arenas:idea-support-withdraw": statuses(405, anonymous="login"),
    "arenas:idea-update": statuses(403, anonymous="login"),
    "arenas:moderation-queue": only(MODERATORS),
    "arenas:report": statuses(405, anonymous="login"),
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
    "core:synonym-delete": statuses(405, anonymous="login"),
    "core:synonym-list": only(COORDINATORS),
    "core:synonym-update": only(COORDINATORS),
    "core:term-create": only(COORDINATORS),
    "core:term-update": only(COORDINATORS),
    "core:vocabulary-list": PUBLIC,
    "impact:element-delete": statuses(405, anonymous="login"),
    "impact:element-update": only(INITIATIVE_EDITORS),
    "impact:export": only(FOLLOWERS, anonymous=403),
    "impact:indicator-create": only(INITIATIVE_EDITORS),
    "impact:indicator-detail": only(FOLLOWERS, anonymous=403),
    "impact:indicator-update": only(INITIATIVE_EDITORS),
    "impact:measurement-delete": statuses(405, anonymous="login"),
    "impact:outcome-update": only(INITIATIVE_EDITORS),
    "impact:overview": only(FOLLOWERS, anonymous=403),
    "impact:report": only(FOLLOWERS, anonymous=403),
    "impact:report-edit": only(INITIATIVE_EDITORS),
    "impact:report-publish": statuses(405, anonymous="login"),
    "impact:sroi-create": only(INITIATIVE_EDITORS),
    "impact:sroi-detail": only(FOLLOWERS, anonymous=403),
    "impact:sroi-export": only(FOLLOWERS, anonymous=403),
    "impact:sroi-row-delete": statuses(405, anonymous="login"),
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
    "spreading:step-create": statuses(405, anonymous="login"),
    "spreading:step-done": statuses(405, anonymous="login"),
    "spreading:start-method": SIGNED,
    "spreading:start-initiative": SIGNED,
    "spreading:my-drafts": SIGNED,
    "spreading:draft-detail": only(ORG_ADMIN | COORDINATORS, refused=404, anonymous=404),
    "spreading:draft-edit": {**only(COORDINATORS, refused=404), "org_admin": 403},
    "spreading:draft-publish": statuses(405, anonymous="login"),
    "spreading:draft-stop": statuses(405, anonymous="login"),
    "spreading:draft-thread": only(ORG_ADMIN | COORDINATORS, refused=404),
    "knowledge:import": only(ORG_PEOPLE | COORDINATORS | PARTNER_PEOPLE, refused=302),
    "knowledge:import-commit": statuses(405, anonymous="login"),
    "knowledge:import-accept-methods": statuses(405, anonymous="login"),
    "knowledge:value-mapping-delete": statuses(405, anonymous="login"),
    "knowledge:value-mappings": only(COORDINATORS),
    "knowledge:import-remap": statuses(405, anonymous="login"),
    "knowledge:import-errors": only(ORG_ADMIN),
    "knowledge:import-preview": only(ORG_ADMIN),
    "knowledge:import-progress": only(ORG_ADMIN),
    "knowledge:import-list": only(SIGNED_IN),
    # Built on a POST by a signed-in person (a GET is not allowed).
    "knowledge:initiative-export-build": statuses(405, anonymous="login"),
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
    "knowledge:partner-add": statuses(405, anonymous="login"),
    "knowledge:partner-answer": statuses(405, anonymous="login"),
    "knowledge:editor-add": statuses(405, anonymous="login"),
    "knowledge:editor-remove": statuses(405, anonymous="login"),
    "knowledge:partner-remove": statuses(405, anonymous="login"),
    "knowledge:review": statuses(405, anonymous="login"),
    "knowledge:similar": PUBLIC,
    "scienceshop:assign": only(COORDINATORS),
    "scienceshop:decide": statuses(405, anonymous="login"),
    "scienceshop:follow-up": statuses(405, anonymous="login"),
    "scienceshop:formulation-add": statuses(405, anonymous="login"),
    "scienceshop:index": PUBLIC,
    "scienceshop:interest": statuses(405, anonymous="login"),
    "scienceshop:meeting-create": statuses(405, anonymous="login"),
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
    "regions:hub-person-remove": statuses(405, anonymous="login"),
    "/api/v1/hubs": PUBLIC,
    "/api/v1/hubs/{slug}": PUBLIC,
    "/api/v1/hubs/{slug}/dashboard": only(COORDINATORS, anonymous=401),
    "set-language": statuses(302),
    "stories:my-suggestions": only(SIGNED_IN),
    "stories:report-create": only(INITIATIVE_EDITORS),
    "stories:report-delete": statuses(405, anonymous="login"),
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
    "support:call-export-build": statuses(405, anonymous="login"),
    "support:structure-export-build": statuses(405, anonymous="login"),
    "support:call-follow": statuses(405, anonymous="login"),
    "support:call-list": PUBLIC,
    "support:call-update": only(ORG_PEOPLE | COORDINATORS),
    "support:calls-for-initiative": PUBLIC,
    "support:directory": PUBLIC,
    "support:request-assign": statuses(405, anonymous="login"),
    "support:request-close": statuses(405, anonymous="login"),
    "support:request-create": PUBLIC,
    "support:request-detail": only(ORG_PEOPLE | COORDINATORS, refused=404),
    "support:request-forward": statuses(405, anonymous="login"),
    "support:request-inbox": only(SIGNED_IN),
    "support:request-note": statuses(405, anonymous="login"),
    "support:structure-create": only(SIGNED_IN),
    "support:structure-detail": PUBLIC,
    "support:structure-export": PUBLIC,
    "support:structure-update": only(ORG_PEOPLE | COORDINATORS),
    "surveys:access-grant": statuses(405, anonymous="login"),
    "surveys:access-revoke": statuses(405, anonymous="login"),
    "surveys:action": statuses(405, anonymous="login"),
    "surveys:anonymous": PUBLIC,
    "surveys:answer": PUBLIC,
    "surveys:answer-conditions": POST_ONLY,
    "surveys:coding": only(ORG_ADMIN | COORDINATORS),
    "surveys:create": only(SIGNED_IN),
    "surveys:detail": only(ORG_PEOPLE | COORDINATORS, refused=404),  # a draft
    "surveys:distribution": only(ORG_ADMIN | COORDINATORS),
    "surveys:preview": only(ORG_ADMIN | COORDINATORS),
    "surveys:preview-conditions": statuses(405, anonymous="login"),
    "surveys:export": only(ORG_PEOPLE | COORDINATORS),
    "surveys:export-build": statuses(405, anonymous="login"),
    "surveys:import": only(SIGNED_IN),
    "surveys:import-commit": statuses(405, anonymous="login"),
    "surveys:list": PUBLIC,
    "surveys:question-action": statuses(405, anonymous="login"),
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
