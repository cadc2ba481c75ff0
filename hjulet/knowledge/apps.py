from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "hjulet.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge bank")

    def ready(self) -> None:
        from .searching import register_kinds

        register_kinds()
