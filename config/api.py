"""Hjulet's JSON API. Every router lives beside its app (``hjulet/<app>/api.py``)."""

from typing import Any

from csp.decorators import csp_update
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from hjulet.accounts.api import me_router, organisations_router
from hjulet.arenas.api import arenas_router, challenges_router, ideas_router
from hjulet.core.api import (
    geography_router,
    notifications_router,
    pictures_router,
    search_synonyms_router,
    vocabularies_router,
)
from hjulet.core.api_auth import public
from hjulet.core.api_versions import etag
from hjulet.core.middleware import is_id_beyond_sqlite
from hjulet.core.services import PreconditionRequired
from hjulet.impact.api import impact_router
from hjulet.knowledge.api import initiatives_router, methods_router
from hjulet.knowledge.import_api import imports_router
from hjulet.knowledge.mapping_api import import_mappings_router
from hjulet.opendata.api import opendata_router
from hjulet.regions.api import hubs_router
from hjulet.scienceshop.api import questions_router, researchers_router
from hjulet.site.api import search_router
from hjulet.spreading.api import drafts_router, plans_router
from hjulet.stories.api import reports_router, stories_router, suggestions_router
from hjulet.support.api import calls_router, requests_router, structures_router
from hjulet.surveys.api import surveys_router


class HjuletAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        """An object with a version carries it as its ETag, for ``If-Match`` on updates."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if (
            response.status_code in (200, 201)
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag(data["version"])
        return response


api = HjuletAPI(
    title="Hjulet API",
    version="1",
    description=(
        "Öppet API för Hjulet. Läsning av öppna uppgifter kräver ingen inloggning. "
        "Skrivningar kräver en personlig API-nyckel (`Authorization: Bearer hjl_…`, skapas på "
        "din profilsida, med en giltighetstid och behörigheten `read` eller `read_write`) "
        "eller en inloggad session med CSRF-token. Fel returneras som JSON "
        "med fältet `detail` (och `errors` per fält). Varje ändring (PATCH/PUT) anger vilken "
        "version den bygger på: fältet `version` eller rubriken `If-Match` med objektets "
        'ETag (`W/"<version>"`, från dess GET). Utan den blir svaret 428; bygger den på en '
        "gammal version blir svaret 409 (412 med If-Match) och inget ändras."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=public,
    # Swagger UI (served from ninja's static files, no CDN) draws its icons from data: URLs.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    if not hasattr(error, "error_dict") and any(e.code == "conflict" for e in error.error_list):
        # A stale version: 412 when it came as If-Match, else 409.
        status = 412 if getattr(request, "hjulet_if_match", False) else 409
        return api.create_response(request, {"detail": " ".join(error.messages)}, status=status)
    if hasattr(error, "error_dict"):
        errors = error.message_dict
        detail = " ".join(message for messages in errors.values() for message in messages)
        return api.create_response(request, {"detail": detail, "errors": errors}, status=400)
    return api.create_response(request, {"detail": " ".join(error.messages)}, status=400)


@api.exception_handler(PreconditionRequired)
def precondition_required(request: HttpRequest, error: PreconditionRequired) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=428)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(error) or _("Permission denied.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    message = (
        str(error)
        if str(error) and str(error) != "Unauthorized"
        else _("Log in or send a personal API token to do this.")
    )
    return api.create_response(request, {"detail": message}, status=401)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(OverflowError)
def id_beyond_any_row(request: HttpRequest, error: OverflowError) -> HttpResponse:
    """An id in the path beyond SQLite's integers names no row: 404, as on PostgreSQL
    (``core.middleware.is_id_beyond_sqlite``). Any other overflow is ours and stays a 500."""
    if not is_id_beyond_sqlite(error):
        raise error
    return not_found(request, error)


api.add_router("/v1/geography", geography_router)
api.add_router("/v1/vocabularies", vocabularies_router)
api.add_router("/v1/search-synonyms", search_synonyms_router)
api.add_router("/v1/organisations", organisations_router)
api.add_router("/v1/me", me_router)
api.add_router("/v1/notifications", notifications_router)
api.add_router("/v1/initiatives", initiatives_router)
api.add_router("/v1/methods", methods_router)
api.add_router("/v1/imports", imports_router)
api.add_router("/v1/import-mappings", import_mappings_router)
api.add_router("/v1/questions", questions_router)
api.add_router("/v1/researchers", researchers_router)
api.add_router("/v1/impact", impact_router)
api.add_router("/v1/support-structures", structures_router)
api.add_router("/v1/funding-calls", calls_router)
api.add_router("/v1/advice-requests", requests_router)
api.add_router("/v1/surveys", surveys_router)
api.add_router("/v1/arenas", arenas_router)
api.add_router("/v1/challenges", challenges_router)
api.add_router("/v1/ideas", ideas_router)
api.add_router("/v1/stories", stories_router)
api.add_router("/v1/research-reports", reports_router)
api.add_router("/v1/initiative-suggestions", suggestions_router)
api.add_router("/v1/spread-plans", plans_router)
api.add_router("/v1/adaptation-drafts", drafts_router)
api.add_router("/v1/search", search_router)
api.add_router("/v1/pictures", pictures_router)
api.add_router("/v1/open-data", opendata_router)
api.add_router("/v1/hubs", hubs_router)
