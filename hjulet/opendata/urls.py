from django.contrib.sitemaps.views import sitemap
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
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
