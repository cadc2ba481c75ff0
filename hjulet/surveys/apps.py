from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "hjulet.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from .searching import register_kinds

        register_kinds()
