"""``site.warm``: what gunicorn's master does once before it forks the workers, so that no
worker's first visitors wait for it."""

import gc

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from hjulet.core import freshness
from hjulet.core.tests.gunicorn_conf import load_gunicorn_conf
from hjulet.knowledge import selectors
from hjulet.knowledge.tests.factories import make_initiative
from hjulet.site.warm import warm_up


def _compiled() -> dict:
    """The templates the cached loader holds, by name."""
    (loader,) = [
        loader
        for loader in engines["django"].engine.template_loaders
        if hasattr(loader, "get_template_cache")
    ]
    return loader.get_template_cache


@pytest.mark.django_db(transaction=True)
def test_the_master_compiles_every_template_of_the_project_and_reads_the_facet_index(
    reference_data, member
):
    make_initiative(member, title="Fritidsbanken Umeå")
    _compiled().clear()
    freshness.forget_in_process()
    load_gunicorn_conf().when_ready(server=None)
    compiled = _compiled()
    for name in ("base.html", "knowledge/initiative_list.html", "core/_map.html"):
        assert name in compiled
    assert not any(name.startswith("admin/") for name in compiled)  # Django's own: when used
    with CaptureQueriesContext(connection) as queries:
        index = selectors.facet_index()
    assert len(queries.captured_queries) == 1  # the generation: the index was read before
    assert index.size == 1
    assert tuple(selectors.SORTS["newest"]) in index.orders  # a filtered list's order


@pytest.mark.django_db(transaction=True)
def test_the_master_s_connection_is_closed_after_warming_up():
    if connection.vendor == "sqlite":
        pytest.skip("Django never closes the in-memory SQLite test database; PostgreSQL shows it")
    warm_up()
    assert connection.connection is None  # each worker opens its own
    gc.collect()
