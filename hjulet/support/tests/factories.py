import datetime

from django.utils import timezone

from hjulet.accounts.models import MembershipRole, Organisation
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.core.models import County, Municipality
from hjulet.support import services
from hjulet.support.models import FundingCall, SupportStructure


def today() -> datetime.date:
    return timezone.localdate()


def make_structure(
    name: str,
    *,
    scope: str = "municipality",
    counties: list[str] = (),
    municipalities: list[str] = (),
    services_offered: list[str] = ("advice",),
    audiences: list[str] = ("ideburen", "residents"),
    admin=None,
    coordinator=None,
) -> SupportStructure:
    """An organisation with an administrator (returned as ``structure.admin``) in the
    directory, registered through the service as that administrator would."""
    organisation = OrganisationFactory(name=name)
    admin = admin or UserFactory(email=f"{organisation.slug}@exempel.se")
    MembershipFactory(user=admin, organisation=organisation, role=MembershipRole.ADMIN)
    structure = services.structure_create(
        actor=admin,
        organisation=organisation,
        summary=f"{name} hjälper idéer att växa.",
        contact_email=f"kontakt@{organisation.slug}.se",
        scope=scope,
        counties=list(County.objects.filter(code__in=counties)),
        municipalities=list(Municipality.objects.filter(code__in=municipalities)),
        services=list(services_offered),
        audiences=list(audiences),
    )
    structure.admin = admin
    return structure


def make_call(
    actor,
    funder: Organisation,
    *,
    title: str = "Bidrag till lokala initiativ",
    opens_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
    **fields,
) -> FundingCall:
    defaults = {
        "purpose": "Pengar för att testa nya idéer i bygden.",
        "scope": "national",
        "audiences": ["ideburen", "residents"],
    }
    return services.call_create(
        actor=actor,
        funder=funder,
        title=title,
        opens_on=opens_on or today() - datetime.timedelta(days=10),
        deadline=deadline or today() + datetime.timedelta(days=30),
        **{**defaults, **fields},
    )
