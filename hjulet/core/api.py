from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from hjulet.lib.geo import svg_view_box

from . import pictures, selectors, services
from .api_auth import signed_in
from .api_versions import VERSION_ERRORS, IfMatch, patch_fields
from .models import County, Municipality, Picture, SearchSynonym, Term, Vocabulary
from .permissions import require_coordinator
from .schemas import (
    ERRORS,
    CountyDetailOut,
    CountyOut,
    ErrorOut,
    MapOut,
    MarkedReadOut,
    MunicipalityDetailOut,
    MunicipalityOut,
    NotificationOut,
    PictureOut,
    SearchSynonymIn,
    SearchSynonymOut,
    SearchSynonymPatch,
    TermIn,
    TermOut,
    TermPatch,
    UnreadCountOut,
    VocabularyOut,
)

geography_router = Router(tags=["geography"])
vocabularies_router = Router(tags=["vocabularies"])
search_synonyms_router = Router(tags=["search synonyms"])
notifications_router = Router(tags=["notifications"], auth=signed_in)


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
    fields, version = patch_fields(request, payload, if_match)
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
    fields, version = patch_fields(request, payload, if_match)
    return services.synonym_update(
        actor=request.auth, synonym=synonym, expected_version=version, **fields
    )


@search_synonyms_router.delete("/{synonym_id}", response={204: None, **ERRORS}, auth=signed_in)
def delete_search_synonym(request: HttpRequest, synonym_id: int):
    """Remove a group of synonyms (coordinators)."""
    synonym = get_object_or_404(SearchSynonym, pk=synonym_id)
    services.synonym_delete(actor=request.auth, synonym=synonym)
    return Status(204, None)


# --- notifications: one's own, with the same services as the page ----------------------


@notifications_router.get("", response=list[NotificationOut])
@paginate
def list_notifications(request: HttpRequest):
    """One's own notifications, newest first."""
    return selectors.notifications_for(request.auth)


@notifications_router.get("/unread-count", response=UnreadCountOut)
def notifications_unread_count(request: HttpRequest):
    return {"unread": selectors.unread_count(request.auth)}


@notifications_router.post("/read", response={200: MarkedReadOut, **ERRORS})
def notifications_mark_all_read(request: HttpRequest):
    """Mark all of one's notifications as read."""
    return {"marked": services.notifications_mark_all_read(actor=request.auth)}


@notifications_router.post("/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def notification_mark_read(request: HttpRequest, notification_id: int):
    """Mark one of one's notifications as read; another person's is not found (404)."""
    notification = get_object_or_404(selectors.notifications_for(request.auth), pk=notification_id)
    return services.notification_mark_read(actor=request.auth, notification=notification)


pictures_router = Router(tags=["pictures"])


def _visible_target(request: HttpRequest, kind: str, object_id: int):
    picture_kind, target = pictures.target_of(kind, object_id)
    if not picture_kind.can_see(request.auth, target):
        raise ObjectDoesNotExist(kind)
    return target


def _editable_picture(request: HttpRequest, picture_id: str) -> Picture:
    picture = get_object_or_404(Picture, token=picture_id)
    if picture.target is None:
        raise ObjectDoesNotExist(picture_id)
    return picture


@pictures_router.get("/{kind}/{object_id}", response={200: list[PictureOut], 404: ErrorOut})
def list_pictures(request: HttpRequest, kind: str, object_id: int):
    """The pictures of an object (`kind`: initiative, method, challenge or idea), in order.
    The objects' own schemas carry them too (`pictures`)."""
    return pictures.pictures_of(_visible_target(request, kind, object_id))


@pictures_router.post("/{kind}/{object_id}", response={201: PictureOut, **ERRORS}, auth=signed_in)
def add_picture(
    request: HttpRequest,
    kind: str,
    object_id: int,
    image: File[UploadedFile],
    alt_text: Form[str] = "",
    is_decorative: Form[bool] = False,
):
    """Upload a picture (multipart: `image`, `alt_text`, `is_decorative`): JPEG, PNG or
    WebP of at most 10 MB, re-encoded without its metadata. A description is required unless
    the picture is marked decorative. Same rights as editing the object."""
    target = _visible_target(request, kind, object_id)
    picture = pictures.picture_add(
        actor=request.auth,
        target=target,
        upload=image,
        alt_text=alt_text,
        is_decorative=is_decorative,
    )
    return Status(201, picture)


@pictures_router.post("/{picture_id}", response={200: PictureOut, **ERRORS}, auth=signed_in)
def replace_picture(
    request: HttpRequest,
    picture_id: str,
    image: File[UploadedFile] | None = None,
    alt_text: Form[str] = "",
    is_decorative: Form[bool] = False,
):
    """Change a picture's description and, when `image` is sent, its file (multipart). The
    picture's `id` and addresses change with its file."""
    return pictures.picture_replace(
        actor=request.auth,
        picture=_editable_picture(request, picture_id),
        upload=image,
        alt_text=alt_text,
        is_decorative=is_decorative,
    )


@pictures_router.delete("/{picture_id}", response={204: None, **ERRORS}, auth=signed_in)
def remove_picture(request: HttpRequest, picture_id: str):
    pictures.picture_remove(actor=request.auth, picture=_editable_picture(request, picture_id))
    return Status(204, None)
