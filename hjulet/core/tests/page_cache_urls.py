"""Views for the page cache's tests: what no real page of Hjulet shows to visitors today (a
one-time token, a private response), beside the real pages."""

from itertools import count

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from hjulet.core.forms import SubmitOnceMixin
from hjulet.core.page_cache import for_visitors

renders = count(1)


class OneTimeForm(SubmitOnceMixin, forms.Form):
    name = forms.CharField()


@for_visitors
def counted(request):
    return HttpResponse(f"render {next(renders)}")


@for_visitors
def with_one_time_token(request):
    template = engines["django"].from_string("{{ form }} render {{ n }}")
    return HttpResponse(template.render({"form": OneTimeForm(), "n": next(renders)}, request))


@for_visitors
def private(request):
    response = HttpResponse(f"render {next(renders)}")
    response["Cache-Control"] = "private"
    return response


urlpatterns = [
    path("test/counted/", counted),
    path("test/one-time/", with_one_time_token),
    path("test/private/", private),
    path("", include("config.urls")),
]
