from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "hjulet.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from hjulet.core import export_jobs

        from .searching import register_kinds

        register_kinds()
        export_jobs.register("survey_responses", "hjulet.surveys.exports.background_responses")
