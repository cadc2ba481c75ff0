from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hjulet.lib.geo import svg_view_box, view_box_around
from hjulet.lib.images import CONTENT_TYPE

from . import audit_words, pictures, selectors, services
from .forms import (
    AuditFilterForm,
    NotificationPreferenceForm,
    PictureForm,
    SearchSynonymForm,
    TermForm,
)
from .maps import choropleth
from .models import County, Picture, SearchSynonym, Term, Vocabulary
from .pages import form_page, query_without
from .permissions import require_coordinator


def _organisations(count: int) -> str:
    return ngettext("%(count)d organisation", "%(count)d organisations", count) % {"count": count}


def geography(request: HttpRequest) -> HttpResponse:
    counties = list(selectors.counties_with_counts())
    legend = choropleth(
        counties,
        count_of=lambda county: county.organisation_count,
        describe=_organisations,
        none_label=_("No organisations"),
        url_of=lambda county: reverse("core:county-detail", args=[county.code]),
    )
    return render(
        request,
        "core/geography.html",
        {
            "areas": counties,
            "legend": legend,
            "view_box": svg_view_box(),
            "map_title": _("Map of Sweden's counties, shaded by the number of organisations"),
        },
    )


def county_detail(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(County, code=code)
    municipalities = list(selectors.municipalities_in(county))
    legend = choropleth(
        municipalities,
        count_of=lambda municipality: municipality.organisation_count,
        describe=_organisations,
        none_label=_("No organisations"),
        url_of=lambda m: reverse("accounts:organisation-list") + f"?kommun={m.code}",
    )
    return render(
        request,
        "core/county_detail.html",
        {
            "county": county,
            "areas": municipalities,
            "legend": legend,
            "view_box": view_box_around([m.svg_path for m in municipalities]),
            "map_title": _("Map of the municipalities in %(county)s") % {"county": county.name},
        },
    )


def vocabulary_list(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.is_authenticated and request.user.is_coordinator
    return render(
        request,
        "core/vocabulary_list.html",
        {
            "vocabularies": selectors.vocabularies_with_terms(include_inactive=can_edit),
            "can_edit": can_edit,
        },
    )


def _vocabulary_url(vocabulary: Vocabulary) -> str:
    return reverse("core:vocabulary-list") + f"#{vocabulary.slug}"


@login_required
def term_create(request: HttpRequest, slug: str) -> HttpResponse:
    require_coordinator(request.user)
    vocabulary = get_object_or_404(Vocabulary, slug=slug)
    return form_page(
        request,
        TermForm(request.POST or None, instance=Term(vocabulary=vocabulary)),
        lambda _version, **data: services.term_create(
            actor=request.user, vocabulary=vocabulary, **data
        ),
        template="core/term_form.html",
        success_url=_vocabulary_url(vocabulary),
        context={"vocabulary": vocabulary},
    )


@login_required
def term_update(request: HttpRequest, pk: int) -> HttpResponse:
    require_coordinator(request.user)
    term = get_object_or_404(Term.objects.select_related("vocabulary"), pk=pk)
    return form_page(
        request,
        TermForm(request.POST or None, instance=Term.objects.get(pk=pk)),
        lambda version, **data: services.term_update(
            actor=request.user, term=term, expected_version=version, **data
        ),
        template="core/term_form.html",
        success_url=_vocabulary_url(term.vocabulary),
        context={"vocabulary": term.vocabulary},
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "entries": audit_words.describe(list(page)),
            "query": query_without(request, "page"),
        },
    )


@login_required
def synonym_list(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    return render(
        request, "core/synonym_list.html", {"synonyms": SearchSynonym.objects.order_by("words")}
    )


@login_required
def synonym_create(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    return form_page(
        request,
        SearchSynonymForm(request.POST or None),
        lambda _version, **data: services.synonym_create(actor=request.user, **data),
        template="core/synonym_form.html",
        success_url=reverse("core:synonym-list"),
    )


@login_required
def synonym_update(request: HttpRequest, pk: int) -> HttpResponse:
    require_coordinator(request.user)
    synonym = get_object_or_404(SearchSynonym, pk=pk)
    return form_page(
        request,
        SearchSynonymForm(request.POST or None, instance=SearchSynonym.objects.get(pk=pk)),
        lambda version, **data: services.synonym_update(
            actor=request.user, synonym=synonym, expected_version=version, **data
        ),
        template="core/synonym_form.html",
        success_url=reverse("core:synonym-list"),
    )


@login_required
@require_POST
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_coordinator(request.user)
    synonym = get_object_or_404(SearchSynonym, pk=pk)
    services.synonym_delete(actor=request.user, synonym=synonym)
    messages.success(request, _("The synonyms were removed."))
    return redirect("core:synonym-list")


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _(
        "The form had expired or did not come from Hjulet, so nothing was saved. Go "
        "back, reload the page and try again."
    )
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    if _wants_json(request):
        return JsonResponse({"detail": message or _("Permission denied.")}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = getattr(request, "rate_limit_message", None) or _(
        "Too many attempts from here in a short time. Wait a few minutes and try again."
    )
    if _wants_json(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = "600"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return render(request, "400.html", status=400)


def unstorable_text(request: HttpRequest) -> HttpResponse:
    """A request carrying a NUL character or a lone surrogate (see the middleware)."""
    message = _(
        "What you sent contains a character that text cannot hold (a NUL character or a "
        "lone surrogate such as \\ud800), so nothing was saved. Remove it and try again."
    )
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Something went wrong on our side.")}, status=500)
    return render(request, "500.html", status=500)


# --- notifications ----------------------------------------------------------------------


def _mark_read(request: HttpRequest, which: str) -> None:
    if which == "all":
        services.notifications_mark_all_read(actor=request.user)
        return
    notification = get_object_or_404(
        selectors.notifications_for(request.user), pk=which if which.isdigit() else 0
    )
    services.notification_mark_read(actor=request.user, notification=notification)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """One's notifications (mark one or all as read) and how often to get them by e-mail."""
    if request.method == "POST" and "read" in request.POST:
        _mark_read(request, request.POST["read"])
        return redirect("core:notifications")
    return form_page(
        request,
        NotificationPreferenceForm(
            request.POST or None, initial={"frequency": services.frequency_of(request.user)}
        ),
        lambda _version, **data: services.notification_preference_set(actor=request.user, **data),
        template="core/notifications.html",
        success_message=_("Your choice is saved."),
        success_url=reverse("core:notifications"),
        context=lambda: {
            "notifications": selectors.notifications_for(request.user)[:100],
            "unread": selectors.unread_count(request.user),
        },
    )


# --- pictures -----------------------------------------------------------------------------


def _picture_or_404(token: str) -> tuple[Picture, pictures.PictureKind, Any]:
    picture = get_object_or_404(Picture, token=token)
    target = picture.target
    if target is None:
        raise Http404
    return picture, pictures.kind_of(target), target


def picture_file(request: HttpRequest, token: str, width: int) -> HttpResponse:
    """One size of a picture, for those who may see what it belongs to."""
    picture, kind, target = _picture_or_404(token)
    if not kind.can_see(request.user, target):
        raise Http404
    rendition = next((r for r in picture.renditions if r["width"] == width), None)
    if rendition is None:
        raise Http404
    response = FileResponse(default_storage.open(rendition["name"]), content_type=CONTENT_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    if kind.can_see(AnonymousUser(), target):
        # The token changes when the picture does: a public one may be kept for good.
        patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _editable_target(request: HttpRequest, kind_code: str, pk: int) -> tuple[Any, Any]:
    try:
        kind, target = pictures.target_of(kind_code, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not kind.can_edit(request.user, target):
        raise PermissionDenied(pictures.edit_refused())
    return kind, target


def _save_picture(save: Callable[..., Any], actor: Any, **target: Any) -> Callable[..., Any]:
    """What the picture forms save: ``save`` (add or replace) with the form's fields."""
    return lambda _version, image, alt_text, is_decorative: save(
        actor=actor, upload=image, alt_text=alt_text, is_decorative=is_decorative, **target
    )


@login_required
def pictures_manage(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The pictures of an object, and a form to add one."""
    picture_kind, target = _editable_target(request, kind, pk)
    return form_page(
        request,
        PictureForm(request.POST or None, request.FILES or None),
        _save_picture(pictures.picture_add, request.user, target=target),
        template="core/pictures.html",
        success_message=_("The picture was added."),
        success_url=request.path,
        context=lambda: {
            "kind": picture_kind,
            "target": target,
            "target_url": picture_kind.url(target),
            "pictures": pictures.pictures_of(target),
            "max_pictures": pictures.MAX_PER_OBJECT,
        },
    )


@login_required
def picture_edit(request: HttpRequest, token: str) -> HttpResponse:
    """Change a picture's description, or replace its file."""
    picture, kind, target = _picture_or_404(token)
    if not kind.can_edit(request.user, target):
        raise PermissionDenied(pictures.edit_refused())
    form = PictureForm(
        request.POST or None,
        request.FILES or None,
        initial={"alt_text": picture.alt_text, "is_decorative": picture.is_decorative},
    )
    form.fields["image"].label = _("New picture (leave empty to keep this one)")
    return form_page(
        request,
        form,
        _save_picture(pictures.picture_replace, request.user, picture=picture),
        template="core/picture_edit.html",
        success_message=_("The picture was saved."),
        success_url=reverse("core:pictures", kwargs={"kind": kind.code, "pk": target.pk}),
        context={"picture": picture, "kind": kind, "target": target},
    )


@login_required
def picture_remove(request: HttpRequest, token: str) -> HttpResponse:
    """Ask, then remove a picture."""
    picture, kind, target = _picture_or_404(token)
    if not kind.can_edit(request.user, target):
        raise PermissionDenied(pictures.edit_refused())
    if request.method == "POST":
        pictures.picture_remove(actor=request.user, picture=picture)
        messages.success(request, _("The picture was removed."))
        return redirect("core:pictures", kind=kind.code, pk=target.pk)
    return render(
        request,
        "core/picture_remove.html",
        {"picture": picture, "kind": kind, "target": target},
    )
