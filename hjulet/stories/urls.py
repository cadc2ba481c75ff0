from django.urls import path

from . import exports, feeds, views

app_name = "stories"

urlpatterns = [
    path("berattelser/", views.story_list, name="story-list"),
    path("berattelser/ny/", views.story_create, name="story-create"),
    path("berattelser/granska/", views.review_queue, name="review-queue"),
    path("berattelser/flode.atom", feeds.StoryFeed(), name="story-feed"),
    path("berattelser/export.<str:fmt>", exports.stories, name="story-export"),
    path("berattelser/<int:pk>/", views.story_detail, name="story-detail"),
    path("forskning/export.<str:fmt>", exports.reports, name="report-export"),
    path("forskning/ny/<str:kind>/<slug:slug>/", views.report_create, name="report-create"),
    path("forskning/<int:pk>/", views.report_detail, name="report-detail"),
    path("forskning/<int:pk>/rapport.pdf", views.report_document, name="report-document"),
    path("forskning/<int:pk>/ta-bort/", views.report_delete, name="report-delete"),
    path("tipsa/", views.suggestion_create, name="suggestion-create"),
    path("tipsa/mina/", views.my_suggestions, name="my-suggestions"),
    path("tipsa/granska/", views.suggestion_queue, name="suggestion-queue"),
]
