import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hjulet.core import services
from hjulet.core.models import AuditEntry, Term, Vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenges():
    return Vocabulary.objects.get(slug="challenge")


def test_coordinator_adds_a_term_and_it_is_audited(coordinator, challenges):
    term = services.term_create(
        actor=coordinator,
        vocabulary=challenges,
        code="digitalt-utanforskap",
        label_sv="Digitalt utanförskap",
        label_en="Digital exclusion",
    )
    assert term.position > 1
    entry = AuditEntry.objects.get(action="term.create", target_id=str(term.pk))
    assert entry.actor == coordinator
    assert entry.changes["label_sv"] == [None, "Digitalt utanförskap"]


@pytest.mark.parametrize("persona", ["member", "researcher", "moderator", "outsider"])
def test_others_may_not_edit_vocabularies(request, persona, challenges):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.term_create(
            actor=user, vocabulary=challenges, code="x", label_sv="X", label_en="X"
        )
    term = challenges.terms.first()
    with pytest.raises(PermissionDenied):
        services.term_update(actor=user, term=term, label_sv="Ändrad")
    assert not AuditEntry.objects.filter(action__in=["term.create", "term.update"]).exists()


def test_anonymous_may_not_edit(challenges):
    with pytest.raises(PermissionDenied):
        services.term_update(actor=None, term=challenges.terms.first(), label_sv="Ändrad")


def test_duplicate_code_is_refused(coordinator, challenges):
    with pytest.raises(ValidationError) as error:
        services.term_create(
            actor=coordinator,
            vocabulary=challenges,
            code="segregation",
            label_sv="Något annat",
            label_en="Other",
        )
    assert "__all__" in error.value.message_dict or "code" in error.value.message_dict


def test_update_records_only_what_changed_and_bumps_version(coordinator, challenges):
    term = challenges.terms.get(code="ohalsa")
    updated = services.term_update(
        actor=coordinator, term=term, label_en="Poor health", label_sv=term.label_sv
    )
    assert updated.version == term.version + 1
    entry = AuditEntry.objects.get(action="term.update")
    assert entry.changes == {"label_en": ["Ill health", "Poor health"]}


def test_stale_version_is_refused_instead_of_overwriting(coordinator, challenges):
    term = challenges.terms.get(code="ohalsa")
    services.term_update(
        actor=coordinator, term=term, expected_version=term.version, label_en="First edit"
    )
    with pytest.raises(ValidationError) as error:
        services.term_update(
            actor=coordinator,
            term=term,
            expected_version=term.version,
            label_en="Second edit from a stale form",
        )
    assert error.value.code == "conflict"
    assert Term.objects.get(pk=term.pk).label_en == "First edit"


def test_vocabulary_page_is_public_and_hides_retired_terms(client, coordinator, challenges):
    term = challenges.terms.get(code="trygghet")
    services.term_update(actor=coordinator, term=term, is_active=False)
    response = client.get(reverse("core:vocabulary-list"))
    assert response.status_code == 200
    assert "Segregation" in response.content.decode()
    assert "Trygghet" not in response.content.decode()


def test_term_edit_page_requires_coordinator(as_user, member, coordinator, challenges):
    term = challenges.terms.first()
    url = reverse("core:term-update", args=[term.pk])
    assert as_user(member).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302
    response = as_user(coordinator).post(
        url,
        {
            "label_sv": "Segregation i boendet",
            "label_en": "Residential segregation",
            "code": term.code,
            "position": term.position,
            "is_active": "on",
            "version": term.version,
        },
    )
    assert response.status_code == 302
    assert Term.objects.get(pk=term.pk).label_sv == "Segregation i boendet"


def test_term_form_shows_conflict_message(as_user, coordinator, challenges):
    term = challenges.terms.first()
    services.term_update(actor=coordinator, term=term, label_en="Changed meanwhile")
    response = as_user(coordinator).post(
        reverse("core:term-update", args=[term.pk]),
        {
            "label_sv": "Min ändring",
            "label_en": "Mine",
            "code": term.code,
            "position": term.position,
            "is_active": "on",
            "version": term.version,
        },
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert Term.objects.get(pk=term.pk).label_en == "Changed meanwhile"


def test_unknown_vocabulary_or_term_is_404(as_user, coordinator):
    assert as_user(coordinator).get("/vokabular/finns-inte/ny-term/").status_code == 404
    assert as_user(coordinator).get("/vokabular/term/999999/andra/").status_code == 404
