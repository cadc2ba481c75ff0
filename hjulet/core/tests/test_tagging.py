"""``core.tagging.attach_terms``: the terms of many objects from the terms the process
keeps, as a prefetch would give them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hjulet.core import tagging
from hjulet.core.models import Term, Vocabulary
from hjulet.knowledge.models import Method
from hjulet.knowledge.tests.factories import make_method, term

pytestmark = pytest.mark.django_db

RELATIONS = ("challenges", "target_groups", "sdgs")


@pytest.fixture
def methods(member):
    return [
        make_method(
            member,
            title="Språkcafé",
            challenges=[
                term(Vocabulary.CHALLENGE, "integration"),
                term(Vocabulary.CHALLENGE, "ohalsa"),
            ],
            sdgs=[term(Vocabulary.SDG, "10"), term(Vocabulary.SDG, "4")],
        ),
        make_method(
            member, title="Fritidsbank", target_groups=[term(Vocabulary.TARGET_GROUP, "barn")]
        ),
        make_method(member, title="Utan taggar"),
    ]


def _terms_of(objects, relations=RELATIONS):
    return [[[t.code for t in getattr(obj, name).all()] for name in relations] for obj in objects]


def test_the_terms_are_those_a_prefetch_gives_in_the_same_order(methods):
    prefetched = list(Method.objects.prefetch_related(*RELATIONS).order_by("pk"))
    attached = list(Method.objects.order_by("pk"))
    tagging.attach_terms(attached, RELATIONS)
    assert _terms_of(attached) == _terms_of(prefetched)
    assert sorted(_terms_of(attached)[0][2]) == ["10", "4"]  # both goals, whichever order
    with CaptureQueriesContext(connection) as queries:
        _terms_of(attached)
        assert attached[0].challenges.all()[0].label  # a term as the pages show it
    assert not queries.captured_queries


def test_one_query_whatever_the_number_of_objects_and_relations(methods, member):
    tagging.kept_terms()  # read once per process
    objects = list(Method.objects.all())
    with CaptureQueriesContext(connection) as queries:
        tagging.attach_terms(objects, RELATIONS)
    # The terms' generation (read once a request; here, outside one, each time) and the
    # through tables of every relation together.
    assert len(queries.captured_queries) == 2
    assert sum("UNION ALL" in q["sql"].upper() for q in queries.captured_queries) == 1


def test_a_term_written_without_a_service_is_read_anew(methods):
    tagging.kept_terms()
    vocabulary = Vocabulary.objects.get(slug=Vocabulary.CHALLENGE)
    new = Term.objects.create(vocabulary=vocabulary, code="ny", label_sv="Ny utmaning")
    methods[2].challenges.add(new)  # no audit entry: the kept terms do not know it yet
    objects = list(Method.objects.filter(pk=methods[2].pk))
    tagging.attach_terms(objects, ["challenges"])
    assert [t.code for t in objects[0].challenges.all()] == ["ny"]


def test_nothing_to_attach_asks_nothing():
    with CaptureQueriesContext(connection) as queries:
        tagging.attach_terms([], RELATIONS)
    assert not queries.captured_queries
