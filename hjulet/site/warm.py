"""A server process warmed up before it serves: what each process would otherwise do on its
first requests, done once in gunicorn's master before the workers are forked from it
(``when_ready`` in config/gunicorn.conf.py), so that every worker starts with it and no
visitor waits for it.

Measured on a fresh worker at 100,000 initiatives (docs/benchmarks.md, issue 21): its first
requests took 0.2–0.5 s each while it filled the URL resolver's tables, the ORM's relation
tree, the compiled templates, the translations, the compound lexicon of the search
(0.4 s) and the knowledge bank's facet index (0.3 s). In a 45-second load test with five
workers that was one request in seven, and the 95th percentile.
"""

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.template import TemplateSyntaxError, engines
from django.urls import URLResolver, get_resolver
from django.utils import translation

from hjulet.knowledge.selectors import SORTS, facet_index
from hjulet.lib.compounds import lexicon

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Fill what the process keeps for its whole life, then close every database
    connection opened for it (a forked worker must open its own)."""
    try:
        _resolve_urls(get_resolver())
        _relate_models()
        _compile_templates()
        _load_translations()
        lexicon()
        _read_facet_index()
    finally:
        connections.close_all()


def _resolve_urls(resolver: URLResolver) -> None:
    """The resolver's reverse tables, and each namespace's (``reverse`` fills them on first
    use: 0.2 s)."""
    resolver.reverse_dict  # noqa: B018 (reading it fills it)
    for _prefix, namespace in resolver.namespace_dict.values():
        _resolve_urls(namespace)


def _relate_models() -> None:
    """Each model's fields, reverse relations included (the ORM builds the relation tree
    of every model on the first query that follows one)."""
    for model in apps.get_models():
        model._meta.get_fields()


def _compile_templates() -> None:
    """Every template of the project and its apps, compiled into the cached loader (Django's
    own and third-party apps' are left for when they are used)."""
    engine = engines["django"]
    folders = [Path(folder) for folder in engine.dirs] + [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.name.startswith("hjulet.")
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".html", ".txt", ".xml", ".svg") and path.is_file():
                _compile(engine, path.relative_to(folder).as_posix())


def _compile(engine, name: str) -> None:
    try:
        engine.get_template(name)
    except TemplateSyntaxError:  # shown where the template is used; the server still starts
        logger.exception("Template %s does not compile", name)


def _load_translations() -> None:
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Hjulet")


def _read_facet_index() -> None:
    """The facet index at the current content generation, with the list's default order
    (a filtered list's first page): a worker keeps them until the next write. A database
    that is not there yet (before ``migrate``) is left for later."""
    try:
        facet_index().positions_in(SORTS["newest"])
    except DatabaseError:
        logger.warning("The facet index was not read at start: the database is not ready")
