from django.urls import path

from . import export_views, views

app_name = "core"

urlpatterns = [
    path("export/<int:pk>/", export_views.detail, name="export-detail"),
    path("export/<int:pk>/framsteg/", export_views.progress, name="export-progress"),
    path("export/<int:pk>/fil/", export_views.download, name="export-download"),
    path("karta/", views.geography, name="geography"),
    path("karta/lan/<str:code>/", views.county_detail, name="county-detail"),
    path("vokabular/", views.vocabulary_list, name="vocabulary-list"),
    path("vokabular/<slug:slug>/ny-term/", views.term_create, name="term-create"),
    path("vokabular/term/<int:pk>/andra/", views.term_update, name="term-update"),
    path("aviseringar/", views.notifications, name="notifications"),
    path("granskningslogg/", views.audit_log, name="audit-log"),
    path("soksynonymer/", views.synonym_list, name="synonym-list"),
    path("soksynonymer/ny/", views.synonym_create, name="synonym-create"),
    path("soksynonymer/<int:pk>/andra/", views.synonym_update, name="synonym-update"),
    path("soksynonymer/<int:pk>/ta-bort/", views.synonym_delete, name="synonym-delete"),
    path("bilder/<str:kind>/<int:pk>/", views.pictures_manage, name="pictures"),
    path("bilder/bild/<str:token>/andra/", views.picture_edit, name="picture-edit"),
    path("bilder/bild/<str:token>/ta-bort/", views.picture_remove, name="picture-remove"),
    path("bilder/<str:token>/<int:width>.webp", views.picture_file, name="picture-file"),
]
