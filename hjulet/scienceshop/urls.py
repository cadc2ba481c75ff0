from django.urls import path

from . import views

app_name = "scienceshop"

urlpatterns = [
    path("forskarverkstad/", views.index, name="index"),
    path("forskarverkstad/fraga/", views.question_create, name="question-create"),
    path("forskarverkstad/mina-fragor/", views.my_questions, name="my-questions"),
    path("forskarverkstad/oppna-fragor/", views.open_questions, name="open-questions"),
    path("forskarverkstad/fragor/", views.all_questions, name="question-list"),
    path("forskarverkstad/fragor/<int:pk>/", views.question_detail, name="question-detail"),
    path(
        "forskarverkstad/fragor/<int:pk>/formulering/",
        views.formulation_add,
        name="formulation-add",
    ),
    path("forskarverkstad/fragor/<int:pk>/beslut/", views.question_decide, name="decide"),
    path("forskarverkstad/fragor/<int:pk>/intresse/", views.interest_express, name="interest"),
    path("forskarverkstad/fragor/<int:pk>/tilldela/", views.assign, name="assign"),
    path("forskarverkstad/fragor/<int:pk>/moten/", views.meeting_create, name="meeting-create"),
    path(
        "forskarverkstad/fragor/<int:pk>/moten/<int:meeting_pk>/",
        views.meeting_update,
        name="meeting-update",
    ),
    path(
        "forskarverkstad/fragor/<int:pk>/moten/<int:meeting_pk>.ics",
        views.meeting_ics,
        name="meeting-ics",
    ),
    path("forskarverkstad/fragor/<int:pk>/resultat/", views.outcome_record, name="outcome"),
    path(
        "forskarverkstad/fragor/<int:pk>/uppfoljning/",
        views.follow_up_record,
        name="follow-up",
    ),
    path("forskarverkstad/forskarprofil/", views.researcher_profile, name="researcher-profile"),
    path("forskarverkstad/kunskap/", views.summary_list, name="summary-list"),
    path("forskarverkstad/kunskap/<int:pk>/", views.summary_detail, name="summary-detail"),
    path("forskarverkstad/oversikt/", views.overview, name="overview"),
]
