from django.urls import path

from . import exports, import_views, mapping_views, views

app_name = "knowledge"

urlpatterns = [
    path("initiativ/", views.initiative_list, name="initiative-list"),
    path("initiativ/nytt/", views.initiative_create, name="initiative-create"),
    path("initiativ/liknande/", views.similar, name="similar"),
    path("initiativ/export.<str:fmt>", exports.export, name="initiative-export"),
    path("initiativ/export-fil.<str:fmt>", exports.build, name="initiative-export-build"),
    path("initiativ/partner/<int:pk>/ta-bort/", views.partner_remove, name="partner-remove"),
    path("initiativ/partner/<int:pk>/svara/", views.partner_answer, name="partner-answer"),
    path("initiativ/redaktor/<int:pk>/ta-bort/", views.editor_remove, name="editor-remove"),
    path("initiativ/import/", import_views.upload, name="import"),
    path("initiativ/import/mall.csv", import_views.template, name="import-template"),
    path("initiativ/import/mina/", import_views.my_imports, name="import-list"),
    path("initiativ/import/<int:pk>/", import_views.preview, name="import-preview"),
    path("initiativ/import/<int:pk>/framsteg/", import_views.progress, name="import-progress"),
    path("initiativ/import/<int:pk>/importera/", import_views.commit, name="import-commit"),
    path(
        "initiativ/import/<int:pk>/metoder/",
        mapping_views.accept_methods,
        name="import-accept-methods",
    ),
    path("initiativ/import/varden/", mapping_views.value_mappings, name="value-mappings"),
    path(
        "initiativ/import/varden/<int:pk>/ta-bort/",
        mapping_views.value_mapping_delete,
        name="value-mapping-delete",
    ),
    path("initiativ/import/<int:pk>/kolumner/", import_views.remap, name="import-remap"),
    path("initiativ/import/<int:pk>/fel.csv", import_views.errors_csv, name="import-errors"),
    path("initiativ/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
    path("initiativ/<slug:slug>/andra/", views.initiative_update, name="initiative-update"),
    path("initiativ/<slug:slug>/anpassning/", views.adaptation_create, name="adaptation-create"),
    path("initiativ/<slug:slug>/partner/", views.partner_add, name="partner-add"),
    path("initiativ/<slug:slug>/redaktorer/", views.editor_add, name="editor-add"),
    path("metoder/", views.method_list, name="method-list"),
    path("metoder/ny/", views.method_create, name="method-create"),
    path("metoder/<slug:slug>/", views.method_detail, name="method-detail"),
    path("metoder/<slug:slug>/andra/", views.method_update, name="method-update"),
    path("metoder/<slug:slug>/spridning/", views.method_spread, name="method-spread"),
    path("kunskapsbank/karta/", views.knowledge_map, name="map"),
    path("granska/<str:kind>/<slug:slug>/", views.review, name="review"),
]
