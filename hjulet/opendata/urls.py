from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .feeds import NewInitiativesFeed, OpenCallsFeed
from .sitemaps import SITEMAPS

app_name = "opendata"

urlpatterns = [
    path("data/", views.index, name="index"),
    path("data/katalog", views.catalogue_negotiated, name="catalogue"),
    path("data/katalog.<str:fmt>", views.catalogue_file, name="catalogue-file"),
    path("data/<slug:slug>.<str:fmt>", views.download, name="download"),
    path("data/flode/initiativ.atom", NewInitiativesFeed(), name="feed-initiatives"),
    path("data/flode/utlysningar.atom", OpenCallsFeed(), name="feed-calls"),
    # An index of one sitemap per kind of page, each split in pages of Sitemap.limit addresses.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "opendata:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
