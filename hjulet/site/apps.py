from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top floor: pages and commands that draw on every app (the start page, the
    site-wide search, the demo loader, backups). No app below imports it."""

    name = "hjulet.site"
    label = "site"
    verbose_name = _("The site as a whole")
