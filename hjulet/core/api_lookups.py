"""The objects an API client names by code or id, found for the services, or a 400 that
names the field: every API module turns a payload's or a filter's codes into objects the
same way, with the same messages.

Each lookup takes the field's name first, so that the error lands on the field the client
sent (``{"municipality": ["Unknown municipality code '9999'."]}``)."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .models import Municipality, Term


def _queryset(source: type[Model] | QuerySet) -> QuerySet:
    return source._default_manager.all() if isinstance(source, type) else source


def _unknown_codes(field: str, codes: Sequence[str], found: Sequence[Any]) -> None:
    unknown = sorted(set(codes) - {obj.code for obj in found})
    if unknown:
        raise ValidationError(
            {field: _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )


def terms(field: str, vocabulary: str, codes: Sequence[str]) -> list[Term]:
    """The active terms of ``vocabulary`` (its slug) with these codes."""
    found = list(
        Term.objects.in_vocabulary(vocabulary)
        .active()
        .filter(code__in=codes)
        .select_related("vocabulary")
    )
    _unknown_codes(field, codes, found)
    return found


def areas(model: type[Model], field: str, codes: Sequence[str]) -> list[Any]:
    """The counties or municipalities (``model``) with these SCB codes."""
    found = list(model._default_manager.filter(code__in=codes))
    _unknown_codes(field, codes, found)
    return found


def municipality(field: str, code: str) -> Municipality:
    """The municipality (with its county) with this SCB code."""
    found = Municipality.objects.select_related("county").filter(code=code).first()
    if found is None:
        raise ValidationError({field: _("Unknown municipality code '%(code)s'.") % {"code": code}})
    return found


def existing(source: type[Model] | QuerySet, field: str, pk: Any, message: str) -> Any:
    """The object of ``source`` (a model, or a queryset of those the client may name) with
    primary key ``pk``; else a 400 on ``field`` saying ``message``."""
    found = _queryset(source).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


def all_existing(
    source: type[Model] | QuerySet, field: str, pks: Sequence[Any], message: str
) -> list[Any]:
    """The objects of ``source`` with these primary keys, as ``existing``: all or a 400."""
    found = list(_queryset(source).filter(pk__in=pks))
    if len(found) != len(set(pks)):
        raise ValidationError({field: message})
    return found
