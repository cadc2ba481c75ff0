from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("region/", views.hub_list, name="hub-list"),
    path("region/ny/", views.hub_create, name="hub-create"),
    path("region/<slug:slug>/", views.hub_start, name="hub-start"),
    path("region/<slug:slug>/farger.css", views.hub_colours, name="hub-colours"),
    path("region/<slug:slug>/oversikt/", views.hub_dashboard, name="hub-dashboard"),
    path("region/<slug:slug>/andra/", views.hub_update, name="hub-update"),
    path("region/<slug:slug>/personer/", views.hub_people, name="hub-people"),
    path(
        "region/<slug:slug>/personer/<int:pk>/ta-bort/",
        views.hub_person_remove,
        name="hub-person-remove",
    ),
]
