from django.urls import path

from . import views

app_name = "impact"

P = "initiativ/<slug:slug>/effekt/"

urlpatterns = [
    path("effekt/", views.totals, name="totals"),
    path("effekt/export.xlsx", views.totals_export, name="totals-export"),
    path(P, views.overview, name="overview"),
    path(P + "export.xlsx", views.follow_up_export, name="export"),
    path(P + "forandringsteori/", views.theory_edit, name="theory-edit"),
    path(P + "forandringsteori/<int:pk>/andra/", views.element_update, name="element-update"),
    path(P + "forandringsteori/<int:pk>/ta-bort/", views.element_delete, name="element-delete"),
    path(P + "indikatorer/ny/", views.indicator_create, name="indicator-create"),
    path(P + "indikatorer/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path(P + "indikatorer/<int:pk>/andra/", views.indicator_update, name="indicator-update"),
    path(
        P + "indikatorer/<int:pk>/matning/<int:row>/ta-bort/",
        views.measurement_delete,
        name="measurement-delete",
    ),
    path(P + "tester/", views.test_cycles, name="test-cycles"),
    path(P + "tester/ny/", views.test_cycle_form, name="test-cycle-create"),
    path(P + "tester/<int:pk>/andra/", views.test_cycle_form, name="test-cycle-update"),
    path(P + "sroi/ny/", views.analysis_create, name="sroi-create"),
    path(P + "sroi/<int:pk>/", views.analysis_detail, name="sroi-detail"),
    path(P + "sroi/<int:pk>/export.xlsx", views.analysis_export, name="sroi-export"),
    path(P + "sroi/<int:pk>/utfall/<int:row>/andra/", views.outcome_update, name="outcome-update"),
    path(
        P + "sroi/<int:pk>/<str:kind>/<int:row>/ta-bort/",
        views.analysis_row_delete,
        name="sroi-row-delete",
    ),
    path(P + "rapport/", views.report, name="report"),
    path(P + "rapport/andra/", views.report_edit, name="report-edit"),
    path(P + "rapport/publicera/", views.report_publish, name="report-publish"),
]
