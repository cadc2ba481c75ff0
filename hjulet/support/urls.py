from django.urls import path

from . import exports, views

app_name = "support"

urlpatterns = [
    path("stod/", views.directory, name="directory"),
    path("stod/ny/", views.structure_create, name="structure-create"),
    path("stod/export.<str:fmt>", exports.export_structures, name="structure-export"),
    path("stod/export-fil.<str:fmt>", exports.build_structures, name="structure-export-build"),
    path("stod/<slug:slug>/", views.structure_detail, name="structure-detail"),
    path("stod/<slug:slug>/andra/", views.structure_update, name="structure-update"),
    path("utlysningar/", views.call_list, name="call-list"),
    path("utlysningar/ny/", views.call_create, name="call-create"),
    path("utlysningar/export.<str:fmt>", exports.export_calls, name="call-export"),
    path("utlysningar/export-fil.<str:fmt>", exports.build_calls, name="call-export-build"),
    path(
        "utlysningar/for-initiativ/<slug:slug>/",
        views.calls_for_initiative,
        name="calls-for-initiative",
    ),
    path("utlysningar/<slug:slug>/", views.call_detail, name="call-detail"),
    path("utlysningar/<slug:slug>/andra/", views.call_update, name="call-update"),
    path("utlysningar/<slug:slug>/folj/", views.call_follow, name="call-follow"),
    path("radgivning/", views.request_inbox, name="request-inbox"),
    path("radgivning/fraga/", views.request_start, name="request-create"),
    path("radgivning/<int:pk>/", views.request_detail, name="request-detail"),
    path("radgivning/<int:pk>/radgivare/", views.request_assign, name="request-assign"),
    path("radgivning/<int:pk>/skicka-vidare/", views.request_forward, name="request-forward"),
    path("radgivning/<int:pk>/anteckning/", views.request_note, name="request-note"),
    path("radgivning/<int:pk>/avsluta/", views.request_close, name="request-close"),
]
