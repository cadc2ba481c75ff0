from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from .api import api

handler400 = "hjulet.core.views.bad_request"
handler403 = "hjulet.core.views.permission_denied"
handler404 = "hjulet.core.views.page_not_found"
handler500 = "hjulet.core.views.server_error"

urlpatterns = [
    path("sprak/", set_language, name="set-language"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("hjulet.accounts.urls")),
    path("", include("hjulet.knowledge.urls")),
    path("", include("hjulet.scienceshop.urls")),
    path("", include("hjulet.impact.urls")),
    path("", include("hjulet.support.urls")),
    path("", include("hjulet.surveys.urls")),
    path("", include("hjulet.arenas.urls")),
    path("", include("hjulet.stories.urls")),
    path("", include("hjulet.opendata.urls")),
    path("", include("hjulet.regions.urls")),
    path("", include("hjulet.spreading.urls")),
    path("", include("hjulet.core.urls")),
    path("", include("hjulet.site.urls")),
]
