from hjulet.core.models import County, Municipality
from hjulet.regions import hosts
from hjulet.regions.models import Hub, HubPerson, HubRole


def make_hub(
    name: str,
    slug: str,
    *,
    counties: list[str] = (),
    municipalities: list[str] = (),
    host: str | None = None,
    **fields,
) -> Hub:
    hub = Hub.objects.create(name=name, slug=slug, host=host, **fields)
    hub.counties.set(County.objects.filter(code__in=counties))
    hub.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    hosts.forget()
    return hub


def hub_person(hub: Hub, user, role: str = HubRole.COORDINATOR):
    HubPerson.objects.create(hub=hub, user=user, role=role)
    return user
