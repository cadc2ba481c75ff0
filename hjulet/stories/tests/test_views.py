"""The pages and the feed: who sees what, and bad input shown clearly (never a 500)."""

import pytest
from django.urls import reverse

from hjulet.core.models import Municipality
from hjulet.stories import services
from hjulet.stories.models import InitiativeSuggestion, ResearchReport, ReviewStatus, Story

from .factories import make_initiative, story_by_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(org_admin):
    return make_initiative(org_admin)


def test_residents_story_is_not_shown_before_review(
    as_user, client, resident, moderator, initiative
):
    story = story_by_resident(resident, initiative)
    page = reverse("knowledge:initiative-detail", args=[initiative.slug])
    detail = reverse("stories:story-detail", args=[story.pk])
    assert story.title not in client.get(page).content.decode()
    assert story.title not in client.get(reverse("stories:story-list")).content.decode()
    assert client.get(detail).status_code == 404
    assert as_user(resident).get(detail).status_code == 200
    assert story.title not in client.get(reverse("stories:story-feed")).content.decode()
    response = as_user(moderator).post(
        reverse("stories:review-queue"), {"story": story.pk, "decision": "publish"}
    )
    assert response.status_code == 302
    assert story.title in client.get(page).content.decode()
    assert client.get(detail).status_code == 200
    feed = client.get(reverse("stories:story-feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert story.title in body and "Ida Invånare" in body and resident.email not in body
    csv = b"".join(client.get(reverse("stories:story-export", args=["csv"])).streaming_content)
    assert story.title.encode() in csv and resident.email.encode() not in csv


def test_review_queue_is_for_reviewers_only(as_user, resident, member, initiative):
    story = story_by_resident(resident, initiative)
    for user in (resident, member):
        assert as_user(user).get(reverse("stories:review-queue")).status_code == 403
        response = as_user(user).post(
            reverse("stories:review-queue"), {"story": story.pk, "decision": "publish"}
        )
        assert response.status_code == 403
    assert Story.objects.get().status == ReviewStatus.PENDING


def test_forged_review_form(as_user, coordinator, resident, initiative):
    story = story_by_resident(resident, initiative)
    client = as_user(coordinator)
    url = reverse("stories:review-queue")
    assert client.post(url, {"story": "x", "decision": "publish"}).status_code == 404
    assert client.post(url, {"story": 99999, "decision": "publish"}).status_code == 404
    assert client.post(url, {"story": story.pk, "decision": "delete"}).status_code == 400
    response = client.post(url, {"story": story.pk, "decision": "decline"})
    assert response.status_code == 400 and "Berätta för skribenten" in response.content.decode()
    assert Story.objects.get().status == ReviewStatus.PENDING


def test_story_form(as_user, member, organisation, initiative):
    client = as_user(member)
    url = reverse("stories:story-create")
    form = client.get(url, {"initiativ": initiative.slug})
    assert form.status_code == 200
    response = client.post(url, {"title": "", "text": "", "initiatives": [initiative.pk]})
    assert response.status_code == 400
    response = client.post(url, {"title": "T", "text": "B", "initiatives": ["999999"]})
    assert response.status_code == 400 and not Story.objects.exists()
    response = client.post(
        url,
        {
            "title": "Lånet som ändrade allt",
            "text": "Ett par skridskor.",
            "organisation": organisation.pk,
            "initiatives": [initiative.pk],
        },
    )
    assert response.status_code == 302 and Story.objects.get().is_published
    assert as_user(None).get(url).status_code == 302  # to the login page


def test_bad_doi_is_explained_in_swedish(as_user, org_admin, member, initiative):
    url = reverse("stories:report-create", args=["initiativ", initiative.slug])
    assert as_user(member).get(url).status_code == 403
    assert (
        as_user(org_admin).get(reverse("stories:report-create", args=["x", "y"])).status_code == 404
    )
    data = {
        "title": "Följeforskning",
        "authors": "A. Forskare",
        "year": 2020,
        "findings": "Boende blev delaktiga.",
        "doi": "doi 10/12",
    }
    response = as_user(org_admin).post(url, data)
    assert response.status_code == 400
    assert "Det här är inte en DOI" in response.content.decode()
    response = as_user(org_admin).post(url, {**data, "doi": "10.1234/abcd"})
    assert response.status_code == 302
    report = ResearchReport.objects.get()
    page = as_user(None).get(reverse("knowledge:initiative-detail", args=[initiative.slug]))
    assert report.title in page.content.decode()
    assert (
        "https://doi.org/10.1234/abcd"
        in as_user(None).get(reverse("stories:report-detail", args=[report.pk])).content.decode()
    )


def test_suggestions(as_user, client, outsider, coordinator, organisation):
    url = reverse("stories:suggestion-create")
    assert "Logga in" in client.get(url).content.decode()
    assert client.post(url, {"title": "X"}).status_code == 200  # nothing saved anonymously
    response = as_user(outsider).post(
        url,
        {
            "title": "Läxhjälp i trapphuset",
            "summary": "Grannar hjälper barn.",
            "municipality": "2480",
        },
    )
    assert response.status_code == 302
    suggestion = InitiativeSuggestion.objects.get()
    queue = reverse("stories:suggestion-queue")
    assert as_user(outsider).get(queue).status_code == 403
    assert (
        as_user(outsider)
        .post(queue, {"suggestion": suggestion.pk, "action": "accept", "lead": organisation.pk})
        .status_code
        == 403
    )
    assert (
        as_user(coordinator)
        .post(queue, {"suggestion": suggestion.pk, "action": "decline"})
        .status_code
        == 400
    )
    response = as_user(coordinator).post(
        queue, {"suggestion": suggestion.pk, "action": "accept", "lead": organisation.pk}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.initiative and suggestion.initiative.municipality == Municipality.objects.get(
        code="2480"
    )
    mine = as_user(outsider).get(reverse("stories:my-suggestions")).content.decode()
    assert suggestion.initiative.slug in mine
    # the second decision on the same suggestion is refused, not a 500
    again = as_user(coordinator).post(
        queue, {"suggestion": suggestion.pk, "action": "decline", "reason": "Nej."}
    )
    assert again.status_code == 400


def test_story_pictures_are_the_authors(as_user, resident, member, initiative):
    story = story_by_resident(resident, initiative)
    url = reverse("core:pictures", args=["story", story.pk])
    assert as_user(resident).get(url).status_code == 200
    assert as_user(member).get(url).status_code in (403, 404)
    assert services.can_edit_story(resident, story)
