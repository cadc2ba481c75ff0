"""What the services of methods and initiatives share: their fields, tags and slugs."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation
from hjulet.core import slugs
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import require

ENTRY_FIELDS = ("title", "summary", "evidence", "links", "language")
METHOD_FIELDS = (*ENTRY_FIELDS, "what", "how", "why", "requirements")
INITIATIVE_FIELDS = (
    *ENTRY_FIELDS,
    "description",
    "municipality",
    "country",
    "place",
    "address",
    "stage",
    "start_date",
    "end_date",
    "participants_reached",
    "results",
    "contact_name",
    "contact_email",
)
TAGS = {
    "challenges": Vocabulary.CHALLENGE,
    "target_groups": Vocabulary.TARGET_GROUP,
    "sdgs": Vocabulary.SDG,
}

# Addresses under /initiativ/ and /metoder/ that pages use; no entry may take them.
RESERVED_SLUGS = frozenset({"nytt", "ny", "liknande", "import", "partner", "redaktor", "export"})


def slug_base(model: type, title: str) -> str:
    return slugs.slug_base(title, model._meta.model_name)


def unique_slug(model: type, title: str, exclude_pk: int | None = None) -> str:
    return slugs.unique_slug(model, title, reserved=RESERVED_SLUGS, exclude_pk=exclude_pk)


def check_terms(tags: dict[str, Sequence[Term] | None]) -> None:
    errors = {}
    for field, terms in tags.items():
        if terms is None:
            continue
        slug = TAGS.get(field, Vocabulary.STAGE)
        wrong = [term for term in terms if term.vocabulary.slug != slug]
        if wrong:
            errors[field] = _("%(terms)s cannot be used here.") % {
                "terms": ", ".join(term.label for term in wrong)
            }
    if errors:
        raise ValidationError(errors)


def created_tags(tags: dict[str, Sequence[Term]]) -> dict[str, list]:
    """The tags of a new entry, for its audit entry."""
    return {field: [None, sorted(term.code for term in terms)] for field, terms in tags.items()}


def check_lead(actor: Any, lead: Organisation) -> None:
    require(
        actor.is_coordinator or Membership.objects.filter(user=actor, organisation=lead).exists(),
        _("You can register initiatives for organisations you are a member of."),
    )
