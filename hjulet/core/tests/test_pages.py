"""The shared form page (core.pages.form_page) and the shared form fields (core.forms)."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from hjulet.core import pages
from hjulet.core.forms import checkbox_choices, initial_from_related, term_choices
from hjulet.core.models import Term, Vocabulary


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method: str = "get", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/sida/", data or {})
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    return request


@pytest.fixture
def shown(monkeypatch):
    """What the page rendered: the template and its context (status as render_form's)."""
    pages_shown = []

    def render_form(request, template, context):
        pages_shown.append((template, context))
        return HttpResponse(status=400 if context["form"].errors else 200)

    monkeypatch.setattr(pages, "render_form", render_form)
    return pages_shown


def _page(request, save, **kwargs):
    form = NameForm(request.POST or None)
    kwargs.setdefault("success_url", "/klart/")
    return form, pages.form_page(request, form, save, template="sida.html", **kwargs)


def test_a_get_shows_the_form_with_its_context_and_saves_nothing(shown):
    saved = []
    form, response = _page(_request(), saved.append, context={"extra": 1})
    assert response.status_code == 200
    assert shown == [("sida.html", {"form": form, "extra": 1})]
    assert saved == []


def test_a_valid_post_saves_says_so_and_goes_on(shown):
    request = _request("post", {"name": "Hjulet"})
    calls = []

    def save(version, **data):
        calls.append((version, data))
        return SimpleNamespace(pk=7)

    _form, response = _page(
        request,
        save,
        success_message=lambda thing: f"Saved {thing.pk}.",
        success_url=lambda thing: f"/sak/{thing.pk}/",
        context=lambda: pytest.fail("a redirect builds no page"),
    )
    assert calls == [(None, {"name": "Hjulet"})]
    assert (response.status_code, response["Location"]) == (302, "/sak/7/")
    assert [str(m) for m in get_messages(request)] == ["Saved 7."]
    assert shown == []


def test_without_a_message_it_only_goes_on(shown):
    request = _request("post", {"name": "Hjulet"})
    _form, response = _page(request, lambda _version, **data: data)
    assert response["Location"] == "/klart/"
    assert list(get_messages(request)) == []


def test_a_refusal_of_the_service_lands_on_the_form(shown):
    request = _request("post", {"name": "Hjulet"})

    def save(_version, **data):
        raise ValidationError({"name": "Taken already."})

    form, response = _page(request, save, success_message="Saved.")
    assert response.status_code == 400
    assert form.errors == {"name": ["Taken already."]}
    assert list(get_messages(request)) == []


def test_an_invalid_form_is_not_saved(shown):
    request = _request("post", {"name": ""})
    form, response = _page(request, lambda *_args, **_data: pytest.fail("saved"))
    assert response.status_code == 400
    assert "name" in form.errors


@pytest.mark.django_db
def test_term_choices_offer_the_active_terms_of_one_vocabulary():
    goals = Vocabulary.objects.create(slug="test-goals", name_sv="Mål", name_en="Goals")
    other = Vocabulary.objects.create(slug="test-other", name_sv="Annat", name_en="Other")
    kept = Term.objects.create(vocabulary=goals, code="a", label_sv="A", label_en="A")
    Term.objects.create(vocabulary=goals, code="b", label_sv="B", label_en="B", is_active=False)
    Term.objects.create(vocabulary=other, code="c", label_sv="C", label_en="C")

    class GoalsForm(forms.Form):
        goals = term_choices("test-goals", "Goals")

    field = GoalsForm().fields["goals"]
    assert list(field.queryset) == [kept]
    assert not field.required
    added = Term.objects.create(vocabulary=goals, code="d", label_sv="D", label_en="D")
    assert list(GoalsForm().fields["goals"].queryset) == [kept, added]  # each form asks anew


def test_checkbox_choices_are_optional_checkboxes():
    field = checkbox_choices("Steps")
    assert not field.required
    assert isinstance(field.widget, forms.CheckboxSelectMultiple)


def test_initial_from_related_starts_an_edit_with_the_objects_own_choices():
    def form_for(pk):
        tags = SimpleNamespace(all=lambda: ["a", "b"])
        return SimpleNamespace(
            instance=SimpleNamespace(pk=pk, tags=tags), fields={"tags": forms.Field()}
        )

    edited, new = form_for(1), form_for(None)
    initial_from_related(edited, "tags")
    initial_from_related(new, "tags")
    assert edited.fields["tags"].initial == ["a", "b"]
    assert new.fields["tags"].initial is None
