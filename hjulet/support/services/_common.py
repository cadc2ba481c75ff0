"""What the parts of the support services share: choices kept as flags, validation, and the
area a structure or call covers."""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership
from hjulet.core import changes
from hjulet.core.models import County, Municipality

from ..models import Scope, SupportStructure


def _is_member(actor: Any, organisation_id: int) -> bool:
    return Membership.objects.filter(user=actor, organisation_id=organisation_id).exists()


def _check_choices(field: str, values: Sequence[str], allowed: list[str]) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationError(
            {field: _("Unknown choices: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return [value for value in allowed if value in values]


def _set_choices(
    instance: Any, field: str, prefix: str, chosen: Sequence[str] | None, allowed: list[str]
) -> None:
    """Keep the ``chosen`` values (None: leave them as they are) in the flags ``prefix`` +
    value, after refusing unknown ones."""
    if chosen is None:
        return
    chosen = _check_choices(field, chosen, allowed)
    for value in allowed:
        setattr(instance, f"{prefix}{value}", value in chosen)


def _full_clean(instance: Any, errors: dict[str, Any]) -> None:
    """Validate ``instance``, reporting the service's own ``errors`` with the model's."""
    try:
        instance.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


def _area_errors(
    scope: str, counties: Sequence[County] | None, municipalities: Sequence[Municipality] | None
) -> dict[str, str]:
    if scope == Scope.COUNTY and not counties:
        return {"counties": _("Choose at least one county, or another area.")}
    if scope == Scope.MUNICIPALITY and not municipalities:
        return {"municipalities": _("Choose at least one municipality, or another area.")}
    return {}


def _set_area(
    instance: Any, counties: Sequence[County] | None, municipalities: Sequence[Municipality] | None
) -> dict[str, list]:
    """Keep only the areas that the scope uses; return the changes for the audit log."""
    counties = list(counties or []) if instance.scope == Scope.COUNTY else []
    municipalities = list(municipalities or []) if instance.scope == Scope.MUNICIPALITY else []
    return changes.set_related(instance, {"counties": counties, "municipalities": municipalities})


def _save_in_area(
    instance: Any,
    errors: dict[str, Any],
    counties: Sequence[County] | None,
    municipalities: Sequence[Municipality] | None,
    index: Callable[[Any], None],
) -> dict[str, list]:
    """Check the area against the scope (None: the areas it has), validate with the service's
    own ``errors``, save, ``index`` and keep the areas the scope uses; return the area
    changes for the audit log."""
    if instance.pk:
        counties = list(instance.counties.all()) if counties is None else counties
        municipalities = (
            list(instance.municipalities.all()) if municipalities is None else municipalities
        )
    errors.update(_area_errors(instance.scope, counties, municipalities))
    _full_clean(instance, errors)
    instance.save()
    index(instance)
    return _set_area(instance, counties, municipalities)


def _flags(instance: Any) -> dict[str, list[str]]:
    out = {"audiences": instance.audiences}
    if isinstance(instance, SupportStructure):
        out["services"] = instance.services
    return out
