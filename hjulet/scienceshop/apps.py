from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScienceshopConfig(AppConfig):
    name = "hjulet.scienceshop"
    label = "scienceshop"
    verbose_name = _("Science shop")

    def ready(self) -> None:
        from .searching import register_kinds

        register_kinds()
