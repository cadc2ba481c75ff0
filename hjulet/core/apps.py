from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hjulet.core"
    label = "core"
    verbose_name = _("Geography, vocabularies and audit")

    def ready(self) -> None:
        from . import freshness, tagging

        freshness.watch(tagging.SCOPE, tagging.WATCHED_MODELS)


class HjuletAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Hjulet's admin site (login through Hjulet's login page)."""

    default = False  # hjulet.core's own app is CoreConfig
    default_site = "hjulet.core.admin_site.HjuletAdminSite"
