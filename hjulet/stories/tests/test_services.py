"""Stories, research reports and suggestions: who may do what, and what others see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hjulet.core.models import AuditEntry, Municipality, Notification
from hjulet.core.search import search
from hjulet.knowledge.models import Initiative
from hjulet.lib import doi
from hjulet.lib.tests.pdfs import pdf
from hjulet.stories import selectors, services
from hjulet.stories.models import InitiativeSuggestion, ReviewStatus

from .factories import make_initiative, make_method, story_by_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(org_admin):
    return make_initiative(org_admin)


def found(kind, query):
    return [hit.pk for hit in search(query) if hit.kind == kind]


def test_member_publishes_directly_for_the_organisation(member, organisation, initiative):
    story = services.story_create(
        actor=member,
        title="Fritidsbanken fyller tio år",
        text="Tusentals lån av skidor och skridskor.",
        organisation=organisation,
        initiatives=[initiative],
    )
    assert story.status == ReviewStatus.PUBLISHED and story.published_at
    assert list(selectors.stories_for(initiative)) == [story]
    assert found("story", "skridskor") == [story.pk]
    assert AuditEntry.objects.filter(action="story.create", target_id=str(story.pk)).exists()


def test_residents_story_waits_for_review(resident, coordinator, moderator, initiative):
    story = story_by_resident(resident, initiative)
    assert story.status == ReviewStatus.PENDING
    assert list(selectors.stories_for(initiative)) == []
    assert found("story", "cyklar") == []
    assert services.can_see_story(resident, story)
    assert not services.can_see_story(None, story)
    told = set(Notification.objects.values_list("user__email", flat=True))
    assert {coordinator.email, moderator.email} <= told
    services.story_review(actor=moderator, story=story, decision="publish")
    assert list(selectors.stories_for(initiative)) == [story]
    assert found("story", "cyklar") == [story.pk]
    assert Notification.objects.filter(user=resident).count() == 1
    with pytest.raises(ValidationError):  # double submit
        services.story_review(actor=moderator, story=story, decision="publish")


def test_decline_needs_a_reason_and_only_reviewers_decide(
    resident, member, coordinator, initiative
):
    story = story_by_resident(resident, initiative)
    for actor in (resident, member, None):
        with pytest.raises(PermissionDenied):
            services.story_review(actor=actor, story=story, decision="publish")
    with pytest.raises(ValidationError) as error:
        services.story_review(actor=coordinator, story=story, decision="decline")
    assert "reason" in error.value.message_dict
    services.story_review(actor=coordinator, story=story, decision="decline", reason="Reklam.")
    story.refresh_from_db()
    assert story.status == ReviewStatus.DECLINED and not services.can_edit_story(resident, story)


def test_nobody_tells_stories_for_an_organisation_they_do_not_belong_to(
    resident, organisation, initiative
):
    with pytest.raises(PermissionDenied):
        services.story_create(
            actor=resident, title="T", text="B", organisation=organisation, initiatives=[initiative]
        )
    with pytest.raises(ValidationError):  # linked to nothing
        services.story_create(actor=resident, title="T", text="B")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1234/abc.def", "10.1234/abc.def"),
        ("https://doi.org/10.24834/isbn.9789178770281", "10.24834/isbn.9789178770281"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("", ""),
        ("10.12/short", None),
        ("inte en doi", None),
        ("10.1234/med mellanslag", None),
    ],
)
def test_doi_forms(text, expected):
    assert doi.normalise(text) == expected


def test_report_rules(org_admin, member, coordinator, initiative, settings):
    fields = {"title": "Följeforskning", "authors": "A. Forskare", "year": 2020}
    with pytest.raises(PermissionDenied):  # a plain member does not edit the initiative
        services.report_create(
            actor=member, subject=initiative, findings="F", url="https://exempel.se", **fields
        )
    with pytest.raises(ValidationError) as error:
        services.report_create(
            actor=org_admin, subject=initiative, findings="F", doi="10.12/x", **fields
        )
    assert "doi" in error.value.message_dict
    with pytest.raises(ValidationError):  # nowhere to read it
        services.report_create(actor=org_admin, subject=initiative, findings="F", **fields)
    with pytest.raises(ValidationError) as error:
        services.report_create(
            actor=org_admin,
            subject=initiative,
            findings="F",
            document=SimpleUploadedFile("r.pdf", b"not a pdf", "application/pdf"),
            **fields,
        )
    assert "document" in error.value.message_dict
    report = services.report_create(
        actor=org_admin,
        subject=initiative,
        findings="Boende blev mer delaktiga.",
        doi="https://doi.org/10.1234/abcd",
        document=SimpleUploadedFile("r.pdf", pdf(2), "application/pdf"),
        **fields,
    )
    assert report.doi == "10.1234/abcd" and report.document
    assert found("report", "delaktiga") == [report.pk]
    method = make_method(coordinator)
    on_method = services.report_create(
        actor=coordinator, subject=method, findings="F", url="https://exempel.se/r", **fields
    )
    assert list(selectors.reports_for(method)) == [on_method]
    services.report_delete(actor=org_admin, report=report)
    assert found("report", "delaktiga") == []


def test_suggestion_accepted_into_the_bank_as_a_draft(resident, coordinator, organisation):
    suggestion = services.suggestion_create(
        actor=resident,
        title="Gårdsfest i Ålidhem",
        summary="Grannar lär känna varandra.",
        municipality=Municipality.objects.get(code="2480"),
    )
    assert Notification.objects.filter(user=coordinator).exists()
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(actor=resident, suggestion=suggestion, lead=organisation)
    initiative = services.suggestion_accept(
        actor=coordinator, suggestion=suggestion, lead=organisation
    )
    assert isinstance(initiative, Initiative) and not initiative.is_reviewed
    suggestion.refresh_from_db()
    assert suggestion.initiative == initiative and suggestion.status == ReviewStatus.PUBLISHED
    assert Notification.objects.filter(user=resident).count() == 1
    with pytest.raises(ValidationError):
        services.suggestion_decline(actor=coordinator, suggestion=suggestion, reason="Sent.")


def test_suggestion_declined_with_a_reason(outsider, coordinator):
    suggestion = services.suggestion_create(
        actor=outsider, title="X", summary="Y", municipality=Municipality.objects.get(code="2480")
    )
    with pytest.raises(ValidationError):
        services.suggestion_decline(actor=coordinator, suggestion=suggestion, reason=" ")
    services.suggestion_decline(actor=coordinator, suggestion=suggestion, reason="Finns redan.")
    assert InitiativeSuggestion.objects.get().decision_reason == "Finns redan."
    with pytest.raises(PermissionDenied):
        services.suggestion_create(actor=None, title="X", summary="Y")
