from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from .api import api

handler400 = "hjulet.core.views.bad_request"
handler403 = "hjulet.core.views.permission_denied"
handler404 = "hjulet.core.views.page_not_found"
handler500 = "hjulet.core.views.server_error"

#: The apps whose pages sit at the root, in the order their paths are tried.
APPS_AT_ROOT = (
    "accounts",
    "knowledge",
    "scienceshop",
    "impact",
    "support",
    "surveys",
    "arenas",
    "stories",
    "opendata",
    "regions",
    "spreading",
    "core",
    "site",
)

urlpatterns = [
    path("sprak/", set_language, name="set-language"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    *(path("", include(f"hjulet.{app}.urls")) for app in APPS_AT_ROOT),
]
