from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", views.site_search, name="search"),
    path("karta/", views.geography, name="geography"),
    path("karta/lan/<str:code>/", views.county_detail, name="county-detail"),
    path("vokabular/", views.vocabulary_list, name="vocabulary-list"),
    path("vokabular/<slug:slug>/ny-term/", views.term_create, name="term-create"),
    path("vokabular/term/<int:pk>/andra/", views.term_update, name="term-update"),
    path("granskningslogg/", views.audit_log, name="audit-log"),
]
