"""Fields and constraints that the apps' models declare alike.

Each factory returns a new field (or constraint) defined exactly as the models wrote it out
before, so using one changes no migration. A field keeps its place in the model (unlike a
field from an abstract base, which would come first in forms and the admin)::

    class FundingCall(AreaServed, TimeStamped):
        challenges = terms_field(Vocabulary.CHALLENGE, _("societal challenges"))
        created_by = person_field()
        version = version_field()

        class Meta:
            constraints = [
                not_before_constraint("deadline", "opens_on", name="fundingcall_deadline_after"),
                choices_constraint("scope", Scope, name="fundingcall_scope_valid"),
            ]
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# PostgreSQL cannot store NUL characters; refuse them as bad input, never a 500.
NO_NUL = [ProhibitNullCharactersValidator()]


def version_field() -> models.PositiveIntegerField:
    """The row's version: raised on every change, and an edit based on an older version is
    refused as a conflict (``hjulet.core.changes``)."""
    return models.PositiveIntegerField(default=1, editable=False)


def _emptied_on_delete(to: str, verbose_name, *, blank: bool, related_name: str):
    """A reference the row outlives: emptied when what it points to is deleted."""
    return models.ForeignKey(
        to,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def person_field(verbose_name=None, *, blank: bool = True) -> models.ForeignKey:
    """A person the row records: who made it, decided on it or wrote it. The row outlives
    the person's account (the field is emptied when the account is deleted), and the person
    gets no reverse accessor. ``blank=False``: a form must name someone."""
    return _emptied_on_delete(settings.AUTH_USER_MODEL, verbose_name, blank=blank, related_name="+")


def organisation_field(verbose_name=None, *, related_name: str = "+") -> models.ForeignKey:
    """An organisation the row may name: who someone acted for, who is responsible. The row
    outlives the organisation (the field is emptied when it is deleted)."""
    return _emptied_on_delete(
        "accounts.Organisation", verbose_name, blank=True, related_name=related_name
    )


def municipality_field(
    *, optional: bool = False, related_name: str = "+", help_text=""
) -> models.ForeignKey:
    """The kommun a row is in or about; a municipality in use cannot be deleted."""
    return models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=_("municipality"),
        help_text=help_text,
    )


def terms_field(vocabulary: str, verbose_name) -> models.ManyToManyField:
    """Optional tags from one controlled vocabulary (``Vocabulary.CHALLENGE``, ``.SDG`` …)."""
    return models.ManyToManyField(
        "core.Term",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary__slug": vocabulary},
        verbose_name=verbose_name,
    )


def choices_constraint(
    field: str, allowed: type[models.Choices] | Iterable[str], *, name: str
) -> models.CheckConstraint:
    """The database refuses a value of ``field`` that is not one of ``allowed`` (a choices
    class, or the values themselves when they are not all of one)."""
    values = allowed.values if isinstance(allowed, type) else allowed
    return models.CheckConstraint(condition=Q(**{f"{field}__in": list(values)}), name=name)


def not_before_constraint(
    later: str, earlier: str, *, name: str, later_optional: bool = False
) -> models.CheckConstraint:
    """The date in ``later`` is not before the one in ``earlier`` (an end after its start);
    ``later_optional``: an empty ``later`` is allowed (not ended yet)."""
    condition = Q(**{f"{later}__gte": F(earlier)})
    if later_optional:
        condition = Q(**{f"{later}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)


def exactly_one_constraint(first: str, second: str, *, name: str) -> models.CheckConstraint:
    """Exactly one of the two fields is set (a row about either this or that)."""
    return models.CheckConstraint(
        condition=(Q(**{f"{first}__isnull": False}) & Q(**{f"{second}__isnull": True}))
        | (Q(**{f"{first}__isnull": True}) & Q(**{f"{second}__isnull": False})),
        name=name,
    )
