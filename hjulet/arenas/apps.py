from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hjulet.arenas"
    verbose_name = _("Arenas and challenges")

    def ready(self) -> None:
        from . import pictures, searching

        searching.register_kinds()
        pictures.register_kinds()
