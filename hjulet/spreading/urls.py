from django.urls import path

from . import views

app_name = "spreading"

urlpatterns = [
    path("metoder/<slug:slug>/spridningsplan/ny/", views.plan_create, name="plan-create"),
    path("metoder/<slug:slug>/anpassa/", views.draft_start_method, name="start-method"),
    path("metoder/<slug:slug>/lardomar/", views.lessons, name="lessons"),
    path("initiativ/<slug:slug>/anpassa/", views.draft_start_initiative, name="start-initiative"),
    path("spridning/export.csv", views.plan_export, name="plan-export"),
    path("spridning/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("spridning/<int:pk>/andra/", views.plan_edit, name="plan-edit"),
    path("spridning/<int:pk>/steg/", views.step_create, name="step-create"),
    path("spridning/steg/<int:pk>/klar/", views.step_done, name="step-done"),
    path("anpassningar/", views.my_drafts, name="my-drafts"),
    path("anpassningar/<int:pk>/", views.draft_detail, name="draft-detail"),
    path("anpassningar/<int:pk>/andra/", views.draft_edit, name="draft-edit"),
    path("anpassningar/<int:pk>/publicera/", views.draft_publish, name="draft-publish"),
    path("anpassningar/<int:pk>/avslutad/", views.draft_stop, name="draft-stop"),
    path("anpassningar/<int:pk>/samtal/", views.draft_thread, name="draft-thread"),
]
