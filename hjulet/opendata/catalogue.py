"""The DCAT-AP-SE catalogue of Hjulet's open collections, built with rdflib.

One ``dcat:Dataset`` per collection (``collections.COLLECTIONS``), each with a distribution
per download format and one for the API. Every URI is made from ``SITE_URL`` so that the
catalogue names the same things whichever host it was fetched through; Sweden's data portal
(dataportal.se) harvests it from ``/data/katalog.rdf``."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .collections import COLLECTIONS, THEME, Collection, site_url

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
LICENSE = URIRef("http://creativecommons.org/licenses/by/4.0/")
SWEDEN = URIRef(EU + "country/SWE")
SWEDISH = URIRef(EU + "language/SWE")
ENGLISH = URIRef(EU + "language/ENG")
PUBLISHER_TYPE = URIRef("http://purl.org/adms/publishertype/NationalAuthority")
CATALOGUE_PATH = "/data/katalog"

#: Download formats: (extension, EU file type, IANA media type).
FORMATS = (
    ("csv", "CSV", "text/csv"),
    ("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("json", "JSON", "application/json"),
)


def catalogue_uri() -> URIRef:
    return URIRef(site_url(CATALOGUE_PATH))


def dataset_uri(collection: Collection) -> URIRef:
    return URIRef(site_url(f"{CATALOGUE_PATH}#{collection.slug}"))


def _texts(graph: Graph, subject, predicate, sv: str, en: str) -> None:
    graph.add((subject, predicate, Literal(sv, lang="sv")))
    graph.add((subject, predicate, Literal(en, lang="en")))


def _publisher(graph: Graph) -> URIRef:
    agent = URIRef(site_url("/#utgivare"))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER_NAME, lang="sv")))
    graph.add((agent, DCTERMS.type, PUBLISHER_TYPE))
    graph.add((agent, FOAF.mbox, URIRef(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")))
    graph.add((agent, FOAF.homepage, URIRef(site_url("/"))))
    return agent


def _contact(graph: Graph) -> BNode:
    contact = BNode("kontakt")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER_NAME)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")))
    return contact


def _distribution(graph: Graph, collection: Collection, fmt: tuple[str, str, str]) -> URIRef:
    extension, file_type, media_type = fmt
    url = URIRef(site_url(reverse("opendata:download", args=[collection.slug, extension])))
    node = URIRef(f"{url}#distribution")
    graph.add((node, RDF.type, DCAT.Distribution))
    _texts(
        graph,
        node,
        DCTERMS.title,
        f"{collection.title_sv} ({file_type})",
        f"{collection.title_en} ({file_type})",
    )
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCTERMS.format, URIRef(f"{EU}file-type/{file_type}")))
    graph.add(
        (node, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media_type}"))
    )
    graph.add((node, DCTERMS.license, LICENSE))
    return node


def _api_distribution(graph: Graph, collection: Collection) -> URIRef:
    url = URIRef(site_url(f"/api/v1/open-data/{collection.slug}"))
    node = URIRef(f"{url}#distribution")
    service = URIRef(site_url("/api/v1/#tjanst"))
    graph.add((node, RDF.type, DCAT.Distribution))
    _texts(
        graph,
        node,
        DCTERMS.title,
        f"{collection.title_sv} (API, JSON, med changed_since)",
        f"{collection.title_en} (API, JSON, with changed_since)",
    )
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCTERMS.format, URIRef(f"{EU}file-type/JSON")))
    graph.add(
        (
            node,
            DCAT.mediaType,
            URIRef("https://www.iana.org/assignments/media-types/application/json"),
        )
    )
    graph.add((node, DCTERMS.conformsTo, URIRef(site_url("/api/v1/openapi.json"))))
    graph.add((node, DCTERMS.license, LICENSE))
    graph.add((node, DCAT.accessService, service))
    graph.add((service, RDF.type, DCAT.DataService))
    _texts(graph, service, DCTERMS.title, "Hjulets öppna API", "Hjulet's open API")
    graph.add((service, DCAT.endpointURL, URIRef(site_url("/api/v1/"))))
    graph.add((service, DCAT.endpointDescription, URIRef(site_url("/api/v1/openapi.json"))))
    graph.add((service, DCTERMS.license, LICENSE))
    return node


def _dataset(graph: Graph, collection: Collection, publisher, contact) -> URIRef:
    node = dataset_uri(collection)
    graph.add((node, RDF.type, DCAT.Dataset))
    _texts(graph, node, DCTERMS.title, collection.title_sv, collection.title_en)
    _texts(graph, node, DCTERMS.description, collection.description_sv, collection.description_en)
    graph.add((node, DCTERMS.identifier, Literal(str(node))))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((node, DCTERMS.spatial, SWEDEN))
    graph.add((node, DCTERMS.language, SWEDISH))
    graph.add((node, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/CONT")))
    graph.add((node, DCAT.landingPage, URIRef(site_url(reverse("opendata:index")))))
    for theme in collection.themes:
        graph.add((node, DCAT.theme, URIRef(THEME + theme)))
    for keyword in collection.keywords_sv:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="sv")))
    modified = collection.modified()
    if modified is not None:
        graph.add((node, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))
    for fmt in FORMATS:
        graph.add((node, DCAT.distribution, _distribution(graph, collection, fmt)))
    graph.add((node, DCAT.distribution, _api_distribution(graph, collection)))
    return node


def build() -> Graph:
    """The whole catalogue as an rdflib graph."""
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("adms", ADMS),
    ):
        graph.bind(prefix, namespace)
    catalogue = catalogue_uri()
    publisher = _publisher(graph)
    contact = _contact(graph)
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _texts(
        graph,
        catalogue,
        DCTERMS.title,
        "Hjulets öppna data",
        "Hjulet open data",
    )
    _texts(
        graph,
        catalogue,
        DCTERMS.description,
        "Öppna samlingar från Hjulet, den digitala stödstrukturen för social innovation i "
        "Sverige: initiativ, metoder, spridning, stödstrukturer, utlysningar, "
        "kunskapssammanställningar och effektrapporter.",
        "Open collections from Hjulet, the digital support structure for social innovation "
        "in Sweden: initiatives, methods, spread, support structures, funding calls, knowledge "
        "summaries and impact reports.",
    )
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCAT.contactPoint, contact))
    graph.add((catalogue, FOAF.homepage, URIRef(site_url("/"))))
    graph.add((catalogue, DCTERMS.license, LICENSE))
    graph.add((catalogue, DCTERMS.language, SWEDISH))
    graph.add((catalogue, DCTERMS.language, ENGLISH))
    graph.add((catalogue, DCTERMS.spatial, SWEDEN))
    graph.add((catalogue, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    for collection in COLLECTIONS.values():
        dataset = _dataset(graph, collection, publisher, contact)
        graph.add((catalogue, DCAT.dataset, dataset))
    # The catalogue changed when its newest dataset did (or now, while all are empty).
    latest = max(graph.objects(None, DCTERMS.modified), default=None, key=lambda d: d.toPython())
    graph.add((catalogue, DCTERMS.modified, latest or _now()))
    return graph


def _now() -> Literal:
    return Literal(timezone.now().isoformat(), datatype=XSD.dateTime)
