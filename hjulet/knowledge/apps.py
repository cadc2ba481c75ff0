from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "hjulet.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge bank")

    def ready(self) -> None:
        from hjulet.core import export_jobs, freshness

        from . import pictures, searching
        from .selectors.facet_index import SCOPE, WATCHED_MODELS

        freshness.watch(SCOPE, WATCHED_MODELS)
        searching.register_kinds()
        pictures.register_kinds()
        export_jobs.register("initiatives", "hjulet.knowledge.exports.background_export")
