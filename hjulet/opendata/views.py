"""Open data pages: the catalogue (DCAT-AP-SE as Turtle or RDF/XML), whole collections as
downloads, the list of them for people, and robots.txt."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from hjulet.core.exports import XLSX_MAX_ROWS
from hjulet.core.exports import download as send_table
from hjulet.core.ratelimits import export_limited

from . import catalogue
from .collections import COLLECTIONS
from .feeds import FEEDS

#: rdflib serialiser name and content type for each stable catalogue address.
RDF_FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
}


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    collections = [
        {"collection": c, "count": c.public().count(), "modified": c.modified()}
        for c in COLLECTIONS.values()
    ]
    return render(
        request,
        "opendata/index.html",
        {"collections": collections, "feeds": FEEDS, "formats": catalogue.FORMATS},
    )


def _catalogue_response(fmt: str) -> HttpResponse:
    name, content_type = RDF_FORMATS[fmt]
    body = catalogue.build().serialize(format=name, encoding="utf-8")
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalogue_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in RDF_FORMATS:
        raise Http404
    return _catalogue_response(fmt)


@require_safe
def catalogue_negotiated(request: HttpRequest) -> HttpResponse:
    """``/data/katalog``: RDF/XML (what harvesters ask for) unless Turtle is preferred."""
    accept = request.headers.get("Accept", "")
    wants_turtle = "text/turtle" in accept and (
        "application/rdf+xml" not in accept
        or accept.index("text/turtle") < accept.index("application/rdf+xml")
    )
    response = _catalogue_response("ttl" if wants_turtle else "rdf")
    response["Vary"] = "Accept"
    return response


@require_safe
@export_limited
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """A whole collection: CSV and JSON streamed as they are read, XLSX from a temporary file."""
    collection = COLLECTIONS.get(slug)
    if collection is None or fmt not in {f[0] for f in catalogue.FORMATS}:
        raise Http404
    # Beyond it an XLSX file would hold a worker too long: the CSV instead.
    if fmt == "xlsx" and collection.public().count() > XLSX_MAX_ROWS:
        return redirect("opendata:download", slug=slug, fmt="csv")
    stamp = timezone.localdate().isoformat()
    response = send_table(
        fmt,
        collection.header(),
        collection.rows(),
        filename=f"hjulet-{slug}-{stamp}.{fmt}",
        title=collection.title_sv[:31],
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public pages; not the admin, accounts, tokens or exports."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in settings.ROBOTS_DISALLOW),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('opendata:sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
