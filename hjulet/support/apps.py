from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hjulet.support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from hjulet.core import export_jobs

        from .searching import register_kinds

        register_kinds()
        export_jobs.register("support_structures", "hjulet.support.exports.background_structures")
        export_jobs.register("funding_calls", "hjulet.support.exports.background_calls")
