from django.urls import path

from . import views

app_name = "arenas"

urlpatterns = [
    path("arenor/", views.arena_list, name="arena-list"),
    path("arenor/<slug:slug>/", views.arena_detail, name="arena-detail"),
    path("arenor/<slug:slug>/overenskommelse/", views.agreement_create, name="agreement-create"),
    path(
        "arenor/<slug:slug>/overenskommelse/<int:pk>/dokument/",
        views.agreement_document,
        name="agreement-document",
    ),
    path("utmaningar/", views.challenge_list, name="challenge-list"),
    path("utmaningar/ny/", views.challenge_create, name="challenge-create"),
    path("utmaningar/moderering/", views.moderation_queue, name="moderation-queue"),
    path("utmaningar/ide/<int:pk>/", views.idea_detail, name="idea-detail"),
    path("utmaningar/ide/<int:pk>/andra/", views.idea_update, name="idea-update"),
    path("utmaningar/ide/<int:pk>/stod/", views.idea_support, name="idea-support"),
    path(
        "utmaningar/ide/<int:pk>/stod/ta-tillbaka/",
        views.idea_support_withdraw,
        name="idea-support-withdraw",
    ),
    path("utmaningar/ide/<int:pk>/folj/", views.idea_follow, name="idea-follow"),
    path("utmaningar/ide/<int:pk>/initiativ/", views.idea_to_initiative, name="idea-initiative"),
    path("utmaningar/anmal/<str:kind>/<int:pk>/", views.report, name="report"),
    path("utmaningar/evenemang/<int:pk>/", views.event_register, name="event-register"),
    path("utmaningar/<slug:slug>/", views.challenge_detail, name="challenge-detail"),
    path("utmaningar/<slug:slug>/folj/", views.challenge_follow, name="challenge-follow"),
    path("utmaningar/<slug:slug>/oppna/", views.challenge_open, name="challenge-open"),
    path("utmaningar/<slug:slug>/evenemang/", views.event_create, name="event-create"),
]
