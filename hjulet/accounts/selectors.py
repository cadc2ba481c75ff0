"""Reads for organisations, memberships and users."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from hjulet.core.models import County, Municipality

from .models import Membership, Organisation, User


def organisations(
    *, q: str = "", sector_code: str = "", county_code: str = "", municipality_code: str = ""
) -> QuerySet[Organisation]:
    result = Organisation.objects.select_related("sector", "municipality__county")
    if q:
        result = result.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if sector_code:
        result = result.filter(sector__code=sector_code)
    if county_code:
        result = result.filter(municipality__county_id=county_code)
    if municipality_code:
        result = result.filter(municipality_id=municipality_code)
    return result.order_by("name", "pk")


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by(
        "-role", "user__name", "user__email"
    )


def memberships_of(user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("organisation__sector").order_by("organisation__name")


def organisations_of(user: Any) -> list[Organisation]:
    """The organisations a person is a member of (any role), by name; none when signed out."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(memberships__user=user).order_by("name"))


def platform_figures() -> dict[str, Any]:
    return {
        "organisations": Organisation.objects.count(),
        "municipalities_with_organisations": Municipality.objects.filter(
            organisations__isnull=False
        )
        .distinct()
        .count(),
        "counties": County.objects.count(),
        "municipalities": Municipality.objects.count(),
    }


def users_with_roles(q: str = "") -> QuerySet[User]:
    users = User.objects.prefetch_related("role_grants").annotate(
        membership_count=Count("memberships")
    )
    if q:
        users = users.filter(Q(email__icontains=q) | Q(name__icontains=q))
    return users.order_by("email")
