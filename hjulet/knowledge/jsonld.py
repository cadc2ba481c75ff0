"""schema.org JSON-LD for detail pages, so search engines and aggregators understand them."""

import json

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Initiative, Method, PartnerRole


def _script(data: dict) -> SafeString:
    # Escape "<" so no text in the data can close the script element.
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _location(entry: Initiative) -> dict:
    if entry.is_international:
        locality, region = entry.place, ""
    else:
        locality, region = entry.municipality.name, entry.municipality.county.name
    return {
        "@type": "Place",
        "name": entry.place_name,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": locality,
            **({"addressRegion": region} if region else {}),
            "addressCountry": entry.country,
            **({"streetAddress": entry.address} if entry.address else {}),
        },
    }


def initiative(entry: Initiative, request: HttpRequest) -> SafeString:
    url = request.build_absolute_uri(reverse("knowledge:initiative-detail", args=[entry.slug]))
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "@id": url,
        "url": url,
        "name": entry.title,
        "description": entry.summary,
        "location": _location(entry),
        "keywords": [t.label_sv for t in entry.challenges.all()],
        "member": [
            {"@type": "Organization", "name": p.organisation.name}
            for p in entry.partnerships.all()
            if p.role != PartnerRole.FUNDER
        ],
        "funder": [
            {"@type": "Organization", "name": p.organisation.name}
            for p in entry.partnerships.all()
            if p.role == PartnerRole.FUNDER
        ],
        "dateModified": entry.updated_at.isoformat(),
    }
    if entry.start_date:
        data["foundingDate"] = entry.start_date.isoformat()
    return _script(data)


def method(entry: Method, request: HttpRequest) -> SafeString:
    url = request.build_absolute_uri(reverse("knowledge:method-detail", args=[entry.slug]))
    return _script(
        {
            "@context": "https://schema.org",
            "@type": "HowTo",
            "@id": url,
            "url": url,
            "name": entry.title,
            "description": entry.summary,
            "text": entry.what,
            "step": [{"@type": "HowToStep", "text": entry.how}] if entry.how else [],
            "keywords": [t.label_sv for t in entry.challenges.all()],
            "dateModified": entry.updated_at.isoformat(),
        }
    )
