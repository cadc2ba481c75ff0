from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hjulet.regions"
    verbose_name = _("Regional hubs")

    def ready(self) -> None:
        from . import pictures

        pictures.register_kinds()
