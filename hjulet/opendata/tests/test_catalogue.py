"""The DCAT-AP-SE catalogue: it validates against the shapes kept in the repository, the
shapes are not vacuous, and the stable addresses serve Turtle and RDF/XML."""

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef, namespace

from hjulet.opendata import catalogue
from hjulet.opendata.collections import COLLECTIONS

from .factories import make_open_data

SHAPES = Graph().parse(Path(__file__).parents[1] / "shapes" / "dcat-ap-se.ttl")


@pytest.fixture
def data(org_admin, organisation, coordinator):
    return make_open_data(org_admin, organisation, coordinator)


def _validate(graph: Graph) -> tuple[bool, Graph, str]:
    conforms, results, text = validate(
        graph, shacl_graph=SHAPES, inference="none", allow_warnings=True
    )
    return conforms, results, text


def _results(results: Graph) -> list:
    return list(
        results.subjects(namespace.RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationResult"))
    )


def test_the_catalogue_has_every_mandatory_and_recommended_property(data):
    graph = catalogue.build()
    conforms, results, text = _validate(graph)
    assert conforms, text
    # Not even a warning: the recommended properties are there too.
    assert _results(results) == [], text


def test_one_dataset_per_collection_in_swedish_and_english(data):
    graph = catalogue.build()
    datasets = set(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))
    assert len(datasets) == len(COLLECTIONS) == 7
    assert set(graph.objects(catalogue.catalogue_uri(), namespace.DCAT.dataset)) == datasets
    for dataset in datasets:
        for predicate in (namespace.DCTERMS.title, namespace.DCTERMS.description):
            languages = {o.language for o in graph.objects(dataset, predicate)}
            assert languages == {"sv", "en"}, (dataset, predicate)
        formats = {
            str(graph.value(d, namespace.DCTERMS.format)).rsplit("/", 1)[-1]
            for d in graph.objects(dataset, namespace.DCAT.distribution)
        }
        assert formats == {"CSV", "XLSX", "JSON"}
        apis = [
            d
            for d in graph.objects(dataset, namespace.DCAT.distribution)
            if (d, namespace.DCTERMS.conformsTo, None) in graph
        ]
        assert len(apis) == 1
        openapi = graph.value(apis[0], namespace.DCTERMS.conformsTo)
        assert str(openapi).endswith("/api/v1/openapi.json")
        for distribution in graph.objects(dataset, namespace.DCAT.distribution):
            assert graph.value(distribution, namespace.DCTERMS.license) == catalogue.LICENSE
        assert (dataset, namespace.DCTERMS.spatial, catalogue.SWEDEN) in graph


def test_modified_is_the_latest_change_of_the_collection(data):
    data.initiative.refresh_from_db()
    graph = catalogue.build()
    dataset = catalogue.dataset_uri(COLLECTIONS["initiativ"])
    modified = graph.value(dataset, namespace.DCTERMS.modified).toPython()
    latest = max(data.initiative.updated_at, data.draft_initiative.updated_at)
    assert modified == latest
    # Only published reports count, so the dataset of reports has the published one's time.
    data.report.refresh_from_db()
    reports = catalogue.dataset_uri(COLLECTIONS["effektrapporter"])
    assert graph.value(reports, namespace.DCTERMS.modified).toPython() == data.report.updated_at


def test_a_catalogue_without_a_mandatory_property_fails(data):
    graph = catalogue.build()
    graph.remove((catalogue.catalogue_uri(), namespace.DCTERMS.publisher, None))
    conforms, _results_graph, text = _validate(graph)
    assert not conforms
    assert "dct:publisher" in text


def test_a_distribution_without_access_url_or_a_dataset_without_title_fails(data):
    graph = catalogue.build()
    distribution = next(graph.subjects(namespace.RDF.type, namespace.DCAT.Distribution))
    graph.remove((distribution, namespace.DCAT.accessURL, None))
    assert not _validate(graph)[0]
    graph = catalogue.build()
    dataset = next(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))
    graph.remove((dataset, namespace.DCTERMS.title, None))
    assert not _validate(graph)[0]


def test_a_missing_recommended_property_is_a_warning(data):
    graph = catalogue.build()
    dataset = next(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))
    graph.remove((dataset, namespace.DCAT.theme, None))
    conforms, results, text = _validate(graph)
    assert conforms  # a warning does not break conformance …
    assert len(_results(results)) == 1, text  # … but it is reported
    # A theme must be an IRI of the EU data theme vocabulary, not a word.
    graph.add((dataset, namespace.DCAT.theme, Literal("Samhälle")))
    results = _validate(graph)[1]
    assert _results(results)
    severities = set(results.objects(None, URIRef("http://www.w3.org/ns/shacl#resultSeverity")))
    assert severities == {URIRef("http://www.w3.org/ns/shacl#Warning")}


def test_the_stable_addresses_serve_turtle_and_rdf_xml(client, data):
    turtle = client.get("/data/katalog.ttl")
    assert turtle.status_code == 200
    assert turtle["Content-Type"].startswith("text/turtle")
    parsed = Graph().parse(data=turtle.content, format="turtle")
    assert len(set(parsed.subjects(namespace.RDF.type, namespace.DCAT.Dataset))) == 7
    xml = client.get("/data/katalog.rdf")
    assert xml["Content-Type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=xml.content, format="xml")) == len(parsed)
    assert _validate(parsed)[0]


def test_content_negotiation_on_the_catalogue(client, db):
    assert client.get("/data/katalog")["Content-Type"].startswith("application/rdf+xml")
    negotiated = client.get("/data/katalog", HTTP_ACCEPT="text/turtle")
    assert negotiated["Content-Type"].startswith("text/turtle")
    assert "Accept" in [v.strip() for v in negotiated["Vary"].split(",")]
    both = client.get("/data/katalog", HTTP_ACCEPT="application/rdf+xml, text/turtle;q=0.5")
    assert both["Content-Type"].startswith("application/rdf+xml")


def test_unknown_format_and_writes_are_refused(client, db):
    assert client.get("/data/katalog.json").status_code == 404
    assert client.post("/data/katalog.ttl").status_code == 405


def test_an_empty_installation_still_has_a_valid_catalogue(db):
    conforms, _results_graph, text = _validate(catalogue.build())
    assert conforms, text
