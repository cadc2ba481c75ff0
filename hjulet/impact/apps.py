from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "hjulet.impact"
    label = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        from .searching import register_kinds

        register_kinds()
