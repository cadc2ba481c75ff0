from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadingConfig(AppConfig):
    name = "hjulet.spreading"
    label = "spreading"
    verbose_name = _("Spreading")
