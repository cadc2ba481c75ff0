from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import ImpactReport, Indicator, Measurement, SroiAnalysis, TestCycle, TheoryOfChange


@admin.register(TheoryOfChange)
class TheoryOfChangeAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "updated_at"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["name", "initiative", "unit", "baseline_value", "target_value"]
    search_fields = ["name"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "date", "value", "breakdown_value"]


@admin.register(TestCycle)
class TestCycleAdmin(ReadOnlyAdmin):
    list_display = ["title", "initiative", "started_on", "decision"]


@admin.register(SroiAnalysis)
class SroiAnalysisAdmin(ReadOnlyAdmin):
    list_display = ["title", "initiative", "discount_rate", "created_at"]


@admin.register(ImpactReport)
class ImpactReportAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "is_published", "published_at"]
    list_filter = ["is_published"]
