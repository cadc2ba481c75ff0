"""Agreements' PDFs: uploaded only when they really are PDFs, and downloaded (with DEBUG off, as
in production) through a view that checks who may read them and sends them as attachments
that a browser neither renders nor sniffs."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hjulet.accounts.models import MembershipRole
from hjulet.accounts.tests.factories import MembershipFactory, UserFactory
from hjulet.arenas import services
from hjulet.arenas.models import AgreementKind, AgreementStatus, PartnershipAgreement
from hjulet.lib.tests.pdfs import HTML_AS_PDF, pdf, truncated

from .factories import agreement_form, make_arena

pytestmark = pytest.mark.django_db

TITLE = 'IOP om fritid för nyanlända "unga"/Ersboda'


@pytest.fixture(autouse=True)
def production_like(settings):
    """DEBUG off, as with DEBUG=0 in production: nothing serves /media/."""
    settings.DEBUG = False


@pytest.fixture
def arena(db):
    return make_arena()


def register(arena, *, status=AgreementStatus.DRAFT, document=None, title=TITLE):
    return services.agreement_create(
        actor=arena.lead_admin,
        arena=arena,
        parties=[arena.lead, arena.partner],
        title=title,
        kind=AgreementKind.IOP,
        purpose="Fritid för unga som nyss kommit till Umeå.",
        starts_on=datetime.date(2026, 1, 1),
        status=status,
        document=SimpleUploadedFile("avtal.pdf", pdf(2)) if document is None else document,
    )


@pytest.fixture
def draft(arena):
    return register(arena)


@pytest.fixture
def party_member(arena):
    """A member of the partner organisation, one of the agreement's parties: not one of the
    arena's managers."""
    user = UserFactory(email="forening@exempel.se")
    MembershipFactory(user=user, organisation=arena.partner, role=MembershipRole.MEMBER)
    return user


def document_link(client: Client, arena) -> str | None:
    """The document link of the arena's page as ``client`` sees it."""
    page = client.get(reverse("arenas:arena-detail", args=[arena.slug]))
    assert page.status_code == 200
    found = re.search(r'href="([^"]+)"[^>]*>dokument, PDF<', page.content.decode())
    return found.group(1) if found else None


def as_compared(response, url: str) -> str:
    """The page without its per-response CSRF token and its own address."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode()).replace(url, "")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- who may read -----------------------------------------------------------------------


def test_the_link_on_the_arena_page_downloads_the_pdf_for_those_who_may_read_it(
    arena, draft, party_member, coordinator, as_user
):
    for reader in (arena.lead_admin, party_member, coordinator):
        client = as_user(reader)
        link = document_link(client, arena)
        assert link == reverse("arenas:agreement-document", args=[arena.slug, draft.pk])
        response = client.get(link)
        assert response.status_code == 200, reader
        assert body(response) == pdf(2)


def test_a_draft_is_hidden_from_strangers_and_anonymous_as_if_it_did_not_exist(
    arena, draft, outsider, resident, as_user
):
    url = reverse("arenas:agreement-document", args=[arena.slug, draft.pk])
    missing = reverse("arenas:agreement-document", args=[arena.slug, draft.pk + 1000])
    for stranger in (outsider, resident, None):
        client = as_user(stranger)
        assert document_link(client, arena) is None
        page = client.get(reverse("arenas:arena-detail", args=[arena.slug])).content.decode()
        assert "Ersboda" not in page, stranger
        refused, absent = client.get(url), client.get(missing)
        assert refused.status_code == absent.status_code == 404, stranger
        assert as_compared(refused, url) == as_compared(absent, missing)
        assert b"%PDF" not in refused.content


def test_an_agreement_in_force_is_public_with_its_document(arena, as_user, outsider):
    agreement = register(arena, status=AgreementStatus.ACTIVE)
    for reader in (None, outsider):
        client = as_user(reader)
        link = document_link(client, arena)
        assert link == reverse("arenas:agreement-document", args=[arena.slug, agreement.pk])
        assert body(client.get(link)) == pdf(2)


def test_the_api_lists_the_same_agreements_as_the_page(
    arena, draft, party_member, outsider, as_user
):
    active = register(arena, status=AgreementStatus.ACTIVE, title="Lokal överenskommelse")
    url = f"/api/v1/arenas/{arena.slug}"
    for reader, expected in (
        (None, {active.pk}),
        (outsider, {active.pk}),
        (party_member, {active.pk, draft.pk}),
        (arena.lead_admin, {active.pk, draft.pk}),
    ):
        listed = {a["id"] for a in as_user(reader).get(url).json()["agreements"]}
        assert listed == expected, reader


def test_the_rule_for_drafts(arena, draft, party_member, outsider, coordinator, member):
    readers = {arena.lead_admin, party_member, coordinator}
    for person in (arena.lead_admin, party_member, coordinator, outsider, member):
        assert services.can_read_agreement(person, draft) == (person in readers)
    assert not services.can_read_agreement(AnonymousUser(), draft)
    assert not services.can_read_agreement(None, draft)


def test_an_agreement_of_another_arena_or_without_document_is_not_found(arena, draft, as_user):
    other = make_arena(name="Holmsundsarenan")
    client = as_user(arena.lead_admin)
    assert (
        client.get(reverse("arenas:agreement-document", args=[other.slug, draft.pk])).status_code
        == 404
    )
    bare = register(arena, document=False, title="Utan dokument")
    assert not bare.document
    assert (
        client.get(reverse("arenas:agreement-document", args=[arena.slug, bare.pk])).status_code
        == 404
    )


def test_a_document_missing_on_disk_is_not_found(arena, draft, as_user):
    draft.document.storage.delete(draft.document.name)
    response = as_user(arena.lead_admin).get(
        reverse("arenas:agreement-document", args=[arena.slug, draft.pk])
    )
    assert response.status_code == 404


# --- how it is sent ---------------------------------------------------------------------


def test_the_download_is_an_attachment_that_is_never_rendered(arena, draft, as_user):
    response = as_user(arena.lead_admin).get(
        reverse("arenas:agreement-document", args=[arena.slug, draft.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    ascii_name = re.search(r'filename="([^"]*)"', disposition).group(1)
    assert ascii_name == "IOP om fritid for nyanlanda unga Ersboda.pdf"
    exact = re.search(r"filename\*=UTF-8''(\S+)$", disposition).group(1)
    assert unquote(exact) == "IOP om fritid för nyanlända unga Ersboda.pdf"
    assert int(response["Content-Length"]) == len(pdf(2))


def test_media_is_not_served_even_with_debug_on(arena, draft, settings, client):
    """Uploads have no public address: /media/ answers 404 whatever DEBUG says, and a stored
    file refuses to make up a URL that templates could link to."""
    for debug in (False, True):
        settings.DEBUG = debug
        assert client.get(f"/media/{draft.document.name}").status_code == 404
    with pytest.raises(ValueError):
        draft.document.url  # noqa: B018


# --- what is accepted ----------------------------------------------------------------------


def test_a_forged_pdf_is_refused_on_the_page_with_a_message_in_swedish(arena, as_user):
    client = as_user(arena.lead_admin)
    url = reverse("arenas:agreement-create", args=[arena.slug])
    form = client.get(url).context["form"]
    data = agreement_form(arena, submission=form["submission"].initial)
    refused = client.post(url, {**data, "document": SimpleUploadedFile("a.pdf", HTML_AS_PDF)})
    assert refused.status_code == 400
    assert "kunde inte läsas som PDF" in refused.content.decode()
    assert not PartnershipAgreement.objects.exists()
    accepted = client.post(url, {**data, "document": SimpleUploadedFile("a.pdf", pdf(1))})
    assert accepted.status_code == 302
    assert arena.agreements.get().document.read() == pdf(1)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("avtal.pdf", HTML_AS_PDF, "kunde inte läsas som PDF"),
        ("avtal.pdf", truncated(), "kunde inte läsas som PDF"),
        ("avtal.pdf", b"", "Filen är tom"),
        ("avtal.pdf", b"<html>", "måste vara en PDF-fil"),
        ("avtal.html", pdf(1), "måste vara en PDF-fil"),
        ("avtal.pdf", pdf(1, password="hemligt"), "skyddad med lösenord"),
        ("avtal.pdf", pdf(0), "har inga sidor"),
        ("avtal.pdf", pdf(1_001), "högst 1000 sidor"),
    ],
    ids=["html", "truncated", "empty", "no-magic", "extension", "encrypted", "no-pages", "huge"],
)
def test_what_is_not_a_readable_pdf_is_refused_in_swedish(arena, name, data, message):
    with pytest.raises(ValidationError) as error:
        register(arena, document=SimpleUploadedFile(name, data))
    assert message in " ".join(error.value.message_dict["document"])
    assert not PartnershipAgreement.objects.exists()


def test_the_read_only_admin_shows_the_stored_name_without_a_public_link(draft):
    from hjulet.accounts.models import User

    operator = Client()
    operator.force_login(User.objects.create_superuser("drift@exempel.se", "ett-bra-losenord"))
    page = operator.get(reverse("admin:arenas_partnershipagreement_change", args=[draft.pk]))
    assert page.status_code == 200
    assert draft.document.name in page.content.decode()
    assert "/media/" not in page.content.decode()
