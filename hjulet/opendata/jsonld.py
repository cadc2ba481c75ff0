"""schema.org JSON-LD for the public page types that ``knowledge/jsonld.py`` does not cover
(it has initiatives and methods): funding calls, support structures, organisations,
challenges with their events, arenas, knowledge summaries, impact reports and the start page
as a WebSite with a SearchAction. Templates add it with ``{% schema_org object %}``."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString

from hjulet.accounts.models import Organisation
from hjulet.arenas.models import Arena, Challenge
from hjulet.impact.models import ImpactReport
from hjulet.knowledge.jsonld import _script
from hjulet.scienceshop.models import Outcome
from hjulet.support.models import FundingCall, Scope, SupportStructure

CONTEXT = "https://schema.org"


def _url(request: HttpRequest, route: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(route, args=args))


def _organisation(organisation: Organisation, request: HttpRequest) -> dict:
    data = {
        "@type": "Organization",
        "@id": _url(request, "accounts:organisation-detail", organisation.slug),
        "name": organisation.name,
        "url": _url(request, "accounts:organisation-detail", organisation.slug),
    }
    if organisation.website:
        data["sameAs"] = organisation.website
    return data


def _area(entry: SupportStructure | FundingCall) -> list[dict]:
    if entry.scope == Scope.NATIONAL:
        return [{"@type": "Country", "name": "Sverige", "identifier": "SE"}]
    places = entry.counties.all() if entry.scope == Scope.COUNTY else entry.municipalities.all()
    return [{"@type": "AdministrativeArea", "name": p.name, "identifier": p.code} for p in places]


def funding_call(call: FundingCall, request: HttpRequest) -> dict:
    url = _url(request, "support:call-detail", call.slug)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "MonetaryGrant",
        "@id": url,
        "url": url,
        "name": call.title,
        "description": call.purpose,
        "funder": _organisation(call.funder, request),
        "areaServed": _area(call),
        "keywords": [t.label_sv for t in call.challenges.all()],
        "startDate": call.opens_on.isoformat(),
        "endDate": call.deadline.isoformat(),
    }
    if call.amount_min is not None or call.amount_max is not None:
        data["amount"] = {
            "@type": "MonetaryAmount",
            "currency": "SEK",
            **({"minValue": call.amount_min} if call.amount_min is not None else {}),
            **({"maxValue": call.amount_max} if call.amount_max is not None else {}),
        }
    if call.link:
        data["sameAs"] = call.link
    return data


def support_structure(structure: SupportStructure, request: HttpRequest) -> dict:
    url = _url(request, "support:structure-detail", structure.organisation.slug)
    data = {
        **_organisation(structure.organisation, request),
        "@context": CONTEXT,
        "url": url,
        "description": structure.summary,
        "areaServed": _area(structure),
    }
    data["knowsAbout"] = [str(label) for label in structure.service_labels]
    if structure.phone:
        data["telephone"] = structure.phone
    return data


def organisation(entry: Organisation, request: HttpRequest) -> dict:
    data = {"@context": CONTEXT, **_organisation(entry, request)}
    if entry.municipality_id:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": entry.municipality.name,
            "addressCountry": "SE",
        }
    return data


def challenge(entry: Challenge, request: HttpRequest) -> dict:
    """The challenge and its workshops and hackathons as schema.org Events."""
    url = _url(request, "arenas:challenge-detail", entry.slug)
    place = {"@type": "Place", "name": entry.municipality.name}
    owner = {"@type": "Organization", "name": entry.owner_name}
    nodes: list[dict] = [
        {
            "@type": "CreativeWork",
            "@id": url,
            "url": url,
            "name": entry.title,
            "description": entry.problem,
            "genre": "Samhällsutmaning",
            "contentLocation": place,
            "author": owner,
            "keywords": [t.label_sv for t in entry.challenges.all()],
            "dateModified": entry.updated_at.isoformat(),
        }
    ]
    for event in entry.events.all():
        nodes.append(
            {
                "@type": "Event",
                "@id": f"{url}#evenemang-{event.pk}",
                "name": event.title,
                "startDate": event.starts_at.isoformat(),
                "location": {"@type": "Place", "name": event.place},
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "maximumAttendeeCapacity": event.capacity,
                "organizer": owner,
                "about": {"@id": url},
                "url": url,
            }
        )
    return {"@context": CONTEXT, "@graph": nodes}


def arena(entry: Arena, request: HttpRequest) -> dict:
    url = _url(request, "arenas:arena-detail", entry.slug)
    data = {
        "@context": CONTEXT,
        "@type": "Organization",
        "@id": url,
        "url": url,
        "name": entry.name,
        "description": entry.purpose,
        "member": [{"@type": "Organization", "name": o.name} for o in entry.organisations.all()],
    }
    if entry.municipality_id:
        data["areaServed"] = {"@type": "AdministrativeArea", "name": entry.municipality.name}
    return data


def summary(outcome: Outcome, request: HttpRequest) -> dict:
    url = _url(request, "scienceshop:summary-detail", outcome.pk)
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "@id": url,
        "url": url,
        "headline": outcome.title[:110],
        "articleBody": outcome.summary,
        "inLanguage": "sv",
        "keywords": [t.label_sv for t in outcome.challenges.all()],
        "dateModified": outcome.updated_at.isoformat(),
        "publisher": {"@type": "Organization", "name": settings.OPEN_DATA_PUBLISHER_NAME},
    }
    if outcome.published_at:
        data["datePublished"] = outcome.published_at.isoformat()
    return data


def impact_report(report: ImpactReport, request: HttpRequest) -> dict:
    url = _url(request, "impact:report", report.initiative.slug)
    data = {
        "@context": CONTEXT,
        "@type": "Report",
        "@id": url,
        "url": url,
        "name": report.initiative.title,
        "about": {
            "@type": "Project",
            "@id": _url(request, "knowledge:initiative-detail", report.initiative.slug),
            "name": report.initiative.title,
        },
        "abstract": report.what,
        "inLanguage": "sv",
        "dateModified": report.updated_at.isoformat(),
    }
    if report.published_at:
        data["datePublished"] = report.published_at.isoformat()
    return data


def website(request: HttpRequest) -> dict:
    home = request.build_absolute_uri(reverse("site:home"))
    search = request.build_absolute_uri(reverse("site:search"))
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": f"{home}#webbplats",
        "url": home,
        "name": "Hjulet",
        "inLanguage": ["sv", "en"],
        "publisher": {"@type": "Organization", "name": settings.OPEN_DATA_PUBLISHER_NAME},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


BUILDERS = {
    FundingCall: funding_call,
    SupportStructure: support_structure,
    Organisation: organisation,
    Challenge: challenge,
    Arena: arena,
    Outcome: summary,
    ImpactReport: impact_report,
}


def for_object(obj: Any, request: HttpRequest) -> SafeString:
    build = BUILDERS.get(type(obj))
    return _script(build(obj, request)) if build is not None else SafeString("")


def for_website(request: HttpRequest) -> SafeString:
    return _script(website(request))
