from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from hjulet.lib.geo import svg_view_box

from . import services
from .api_auth import signed_in
from .api_versions import VERSION_ERRORS, IfMatch, expected_version
from .models import County, Municipality, SearchSynonym, Term, Vocabulary
from .permissions import require_coordinator
from .schemas import (
    CountyDetailOut,
    CountyOut,
    ErrorOut,
    MapOut,
    MunicipalityDetailOut,
    MunicipalityOut,
    SearchSynonymIn,
    SearchSynonymOut,
    SearchSynonymPatch,
    TermIn,
    TermOut,
    TermPatch,
    VocabularyOut,
)

geography_router = Router(tags=["geography"])
vocabularies_router = Router(tags=["vocabularies"])
search_synonyms_router = Router(tags=["search synonyms"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@geography_router.get("/map", response=MapOut)
def map_frame(request: HttpRequest):
    """The SVG view box shared by every boundary path (SWEREF 99 TM, kilometres)."""
    return {"view_box": svg_view_box(), "projection": "EPSG:3006 (SWEREF 99 TM), km, y down"}


@geography_router.get("/counties", response=list[CountyOut])
def list_counties(request: HttpRequest):
    return County.objects.order_by("code")


@geography_router.get("/counties/{code}", response={200: CountyDetailOut, 404: ErrorOut})
def get_county(request: HttpRequest, code: str):
    return get_object_or_404(County, code=code)


@geography_router.get("/municipalities", response=list[MunicipalityOut])
def list_municipalities(request: HttpRequest, county: str | None = None):
    municipalities = Municipality.objects.order_by("code")
    if county:
        municipalities = municipalities.filter(county_id=county)
    return municipalities


@geography_router.get(
    "/municipalities/{code}", response={200: MunicipalityDetailOut, 404: ErrorOut}
)
def get_municipality(request: HttpRequest, code: str):
    return get_object_or_404(Municipality, code=code)


@vocabularies_router.get("", response=list[VocabularyOut])
def list_vocabularies(request: HttpRequest):
    return Vocabulary.objects.all()


@vocabularies_router.get("/{slug}/terms", response={200: list[TermOut], 404: ErrorOut})
def list_terms(request: HttpRequest, slug: str, include_inactive: bool = False):
    vocabulary = get_object_or_404(Vocabulary, slug=slug)
    terms = vocabulary.terms.select_related("vocabulary").order_by("position", "label_sv")
    return terms if include_inactive else terms.filter(is_active=True)


@vocabularies_router.post("/{slug}/terms", response={201: TermOut, **ERRORS}, auth=signed_in)
def create_term(request: HttpRequest, slug: str, payload: TermIn):
    """Add a term (coordinators)."""
    vocabulary = get_object_or_404(Vocabulary, slug=slug)
    term = services.term_create(actor=request.auth, vocabulary=vocabulary, **payload.dict())
    return Status(201, term)


@vocabularies_router.patch(
    "/terms/{term_id}", response={200: TermOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in
)
def update_term(request: HttpRequest, term_id: int, payload: TermPatch, if_match: IfMatch = None):
    """Change a term (coordinators). Send `version` to be protected from lost updates."""
    term = get_object_or_404(Term, pk=term_id)
    fields = payload.dict(exclude_unset=True)
    version = expected_version(request, fields.pop("version", None), if_match)
    return services.term_update(actor=request.auth, term=term, expected_version=version, **fields)


@search_synonyms_router.get(
    "", response={200: list[SearchSynonymOut], 401: ErrorOut, 403: ErrorOut}, auth=signed_in
)
def list_search_synonyms(request: HttpRequest):
    """The groups of words that search treats as near-synonyms (coordinators)."""
    require_coordinator(request.auth)
    return SearchSynonym.objects.order_by("words")


@search_synonyms_router.post("", response={201: SearchSynonymOut, **ERRORS}, auth=signed_in)
def create_search_synonym(request: HttpRequest, payload: SearchSynonymIn):
    """Add a group of synonyms, e.g. "äldre, seniorer, pensionärer" (coordinators)."""
    synonym = services.synonym_create(actor=request.auth, **payload.dict())
    return Status(201, synonym)


@search_synonyms_router.patch(
    "/{synonym_id}",
    response={200: SearchSynonymOut, **ERRORS, **VERSION_ERRORS},
    auth=signed_in,
)
def update_search_synonym(
    request: HttpRequest, synonym_id: int, payload: SearchSynonymPatch, if_match: IfMatch = None
):
    """Change a group of synonyms (coordinators). Send `version` against lost updates."""
    synonym = get_object_or_404(SearchSynonym, pk=synonym_id)
    fields = payload.dict(exclude_unset=True)
    version = expected_version(request, fields.pop("version", None), if_match)
    return services.synonym_update(
        actor=request.auth, synonym=synonym, expected_version=version, **fields
    )


@search_synonyms_router.delete("/{synonym_id}", response={204: None, **ERRORS}, auth=signed_in)
def delete_search_synonym(request: HttpRequest, synonym_id: int):
    """Remove a group of synonyms (coordinators)."""
    synonym = get_object_or_404(SearchSynonym, pk=synonym_id)
    services.synonym_delete(actor=request.auth, synonym=synonym)
    return Status(204, None)
