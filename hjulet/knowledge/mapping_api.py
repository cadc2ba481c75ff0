"""The imports' value-mapping table and a Participedia file's methods, through the API."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from hjulet.core.api_auth import signed_in
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import require, require_coordinator
from hjulet.core.schemas import ERRORS

from . import import_mappings, participedia
from .models import ImportBatch, ImportValueMapping

import_mappings_router = Router(tags=["imports"])


class ImportValueMappingIn(Schema):
    source: str = Field(description="participedia or hjulet")
    vocabulary: str = Field(description="challenge, target-group or sdg")
    value: str = Field(description="The value as the file writes it")
    term: str | None = Field(description="The term's code; null skips the value")


class ImportValueMappingOut(Schema):
    id: int
    source: str
    vocabulary: str
    value: str
    term: str | None = Field(description="The term's code; null: the value is skipped")


class ImportValueOut(Schema):
    vocabulary: str
    value: str
    rows: int
    known: bool = Field(description="The table has the value (mapped or skipped)")
    term: str | None


class ImportMethodOut(Schema):
    title: str
    participedia_id: str
    rows: int
    method: str | None = Field(description="Slug of the matched method; null: proposed")


class ImportMappingsOut(Schema):
    values: list[ImportValueOut]
    methods: list[ImportMethodOut]


class ImportAcceptMethodsIn(Schema):
    titles: list[str] = Field(description="Titles of proposed methods to create")


class ImportAcceptMethodsOut(Schema):
    created: list[str] = Field(description="Slugs of the new methods")


def _out(mapping: ImportValueMapping) -> dict:
    return {"id": mapping.pk, **import_mappings.mapping_snapshot(mapping)}


@import_mappings_router.get(
    "", response={200: list[ImportValueMappingOut], **ERRORS}, auth=signed_in
)
def list_mappings(request: HttpRequest, source: str = ""):
    """The table (coordinators)."""
    require_coordinator(request.auth)
    return [_out(m) for m in import_mappings.value_mappings(source or None)]


@import_mappings_router.post("", response={200: ImportValueMappingOut, **ERRORS}, auth=signed_in)
def set_mapping(request: HttpRequest, payload: ImportValueMappingIn):
    """Add or change what one value means (coordinators): the value's row is replaced
    whole, so there is no version to send."""
    require_coordinator(request.auth)
    vocabulary = Vocabulary.objects.filter(slug=payload.vocabulary).first()
    if vocabulary is None:
        raise ValidationError({"vocabulary": _("Unknown vocabulary.")})
    term = None
    if payload.term:
        term = Term.objects.filter(vocabulary=vocabulary, code=payload.term).first()
        if term is None:
            raise ValidationError(
                {"term": _("Unknown codes: %(codes)s.") % {"codes": payload.term}}
            )
    mapping = import_mappings.value_mapping_set(
        actor=request.auth,
        source=payload.source,
        vocabulary=vocabulary,
        value=payload.value,
        term=term,
    )
    return _out(mapping)


@import_mappings_router.delete("/{mapping_id}", response={204: None, **ERRORS}, auth=signed_in)
def delete_mapping(request: HttpRequest, mapping_id: int):
    require_coordinator(request.auth)
    mapping = get_object_or_404(ImportValueMapping, pk=mapping_id)
    import_mappings.value_mapping_delete(actor=request.auth, mapping=mapping)
    return Status(204, None)


def _own(request: HttpRequest, batch_id: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    require(
        batch.user_id == request.auth.pk,
        _("Only the person who uploaded the file can see this import."),
    )
    return batch


@import_mappings_router.get(
    "/imports/{batch_id}", response={200: ImportMappingsOut, **ERRORS}, auth=signed_in
)
def batch_mappings(request: HttpRequest, batch_id: int):
    """A Participedia file's values and methods and what each becomes now."""
    mappings = participedia.batch_mappings(_own(request, batch_id))
    if mappings is None:
        return {"values": [], "methods": []}
    return {
        "values": [
            {
                "vocabulary": row.vocabulary.slug,
                "value": row.value,
                "rows": row.rows,
                "known": row.known,
                "term": row.term.code if row.term else None,
            }
            for row in mappings.values
        ],
        "methods": [
            {
                "title": row.title,
                "participedia_id": row.participedia_id,
                "rows": row.rows,
                "method": row.method.slug if row.method else None,
            }
            for row in mappings.methods
        ],
    }


@import_mappings_router.post(
    "/imports/{batch_id}/accept-methods",
    response={201: ImportAcceptMethodsOut, **ERRORS},
    auth=signed_in,
)
def accept_methods(request: HttpRequest, batch_id: int, payload: ImportAcceptMethodsIn):
    """Create proposed methods (coordinators), so the cases link to them when imported."""
    created = participedia.method_proposals_accept(
        actor=request.auth, batch=_own(request, batch_id), titles=payload.titles
    )
    return Status(201, {"created": [m.slug for m in created]})
