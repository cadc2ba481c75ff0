from django.urls import path

from . import exports, views

app_name = "surveys"

urlpatterns = [
    path("enkater/", views.survey_list, name="list"),
    path("enkater/ny/", views.survey_create, name="create"),
    path("enkater/import/", views.survey_import, name="import"),
    path("enkater/import/importera/", views.survey_import_commit, name="import-commit"),
    path("enkater/svar/<str:token>/", views.answer, name="answer"),
    path("enkater/svar/<str:token>/villkor/", views.answer_conditions, name="answer-conditions"),
    path("enkater/rapport/<slug:slug>/", views.report_detail, name="report"),
    path("enkater/rapport/<slug:slug>/redigera/", views.report_edit, name="report-edit"),
    path("enkater/<slug:slug>/", views.survey_detail, name="detail"),
    path("enkater/<slug:slug>/andra/", views.survey_update, name="update"),
    path("enkater/<slug:slug>/atgard/<str:action>/", views.survey_action, name="action"),
    path("enkater/<slug:slug>/fragor/ny/", views.question_edit, name="question-create"),
    path("enkater/<slug:slug>/fragor/<int:pk>/", views.question_edit, name="question-update"),
    path(
        "enkater/<slug:slug>/fragor/<int:pk>/<str:action>/",
        views.question_action,
        name="question-action",
    ),
    path("enkater/<slug:slug>/atkomst/", views.access_grant, name="access-grant"),
    path(
        "enkater/<slug:slug>/atkomst/<int:pk>/ta-bort/", views.access_revoke, name="access-revoke"
    ),
    path("enkater/<slug:slug>/utskick/", views.distribution, name="distribution"),
    path("enkater/<slug:slug>/forhandsvisning/", views.survey_preview, name="preview"),
    path(
        "enkater/<slug:slug>/forhandsvisning/villkor/",
        views.preview_conditions,
        name="preview-conditions",
    ),
    path("enkater/<slug:slug>/oppen/<str:key>/", views.anonymous_start, name="anonymous"),
    path("enkater/<slug:slug>/resultat/", views.results, name="results"),
    path("enkater/<slug:slug>/kodning/", views.coding, name="coding"),
    path("enkater/<slug:slug>/export.<str:fmt>", exports.export, name="export"),
    path("enkater/<slug:slug>/export-fil.<str:fmt>", exports.build, name="export-build"),
    path("enkater/<slug:slug>/rapporter/ny/", views.report_create, name="report-create"),
]
