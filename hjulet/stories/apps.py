from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hjulet.stories"
    label = "stories"
    verbose_name = _("Stories, research and suggestions")

    def ready(self) -> None:
        from . import pictures, searching

        searching.register_kinds()
        pictures.register_kinds()
