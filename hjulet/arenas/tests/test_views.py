"""The pages: who sees and may do what, and bad input shown clearly."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hjulet.accounts.tests.factories import UserFactory
from hjulet.arenas import services
from hjulet.arenas.models import Comment, Idea, Support

from .factories import agreement_form, make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(challenge, resident):
    return services.idea_create(actor=resident, challenge=challenge, title="Läxhjälp", body="B")


def test_public_pages(client, arena, challenge, idea):
    for url in (
        reverse("arenas:arena-list"),
        reverse("arenas:arena-detail", args=[arena.slug]),
        reverse("arenas:challenge-list"),
        reverse("arenas:challenge-detail", args=[challenge.slug]),
        reverse("arenas:idea-detail", args=[idea.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "tvärsektoriell" in client.get(reverse("arenas:arena-list")).content.decode()


def test_phases_are_a_stepper_with_the_current_one_marked(client, arena):
    today = timezone.localdate()
    challenge = make_challenge(
        arena.lead_admin,
        arena=arena,
        title="I utvecklingsfasen",
        ideas_from=today - datetime.timedelta(days=40),
        develop_from=today - datetime.timedelta(days=10),
        test_from=today + datetime.timedelta(days=20),
    )
    html = client.get(reverse("arenas:challenge-detail", args=[challenge.slug])).content.decode()
    stepper = html[html.index('<ol class="stepper"') : html.index("</ol>", html.index("stepper"))]
    steps = stepper.split("<li")[1:]
    assert [step.count('aria-current="step"') for step in steps] == [0, 1, 0, 0]
    assert "Utveckla" in steps[1] and "Pågår nu" in steps[1]
    assert "Avslutad" in steps[0] and "✓" in steps[0]  # done: said in words and ticked
    assert all("Kommande" in step for step in steps[2:])
    api = client.get(f"/api/v1/challenges/{challenge.slug}").json()
    assert [p["state"] for p in api["phases"]] == ["done", "current", "upcoming", "upcoming"]


def test_a_resident_posts_an_idea_once_even_if_sent_twice(as_user, resident, challenge):
    client = as_user(resident)
    url = reverse("arenas:challenge-detail", args=[challenge.slug])
    form = client.get(url).context["form"]
    data = {"title": "Fotboll", "body": "På lördagar.", "submission": form["submission"].initial}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Idea.objects.filter(title="Fotboll").count() == 1


def test_anonymous_is_sent_to_log_in(client, challenge):
    response = client.post(
        reverse("arenas:challenge-detail", args=[challenge.slug]), {"title": "T", "body": "B"}
    )
    assert response.status_code == 302 and "logga-in" in response["Location"]
    assert not Idea.objects.exists()


def test_script_in_a_comment_is_shown_as_text(as_user, outsider, idea):
    client = as_user(outsider)
    url = reverse("arenas:idea-detail", args=[idea.pk])
    client.post(url, {"body": "<script>alert('x')</script> hej"})
    page = client.get(url).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_supporting_twice_shows_a_clear_message(as_user, outsider, idea):
    client = as_user(outsider)
    url = reverse("arenas:idea-support", args=[idea.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Du stöder redan idén." in response.content.decode()
    assert Support.objects.count() == 1


def test_support_is_withdrawn_and_the_author_has_no_support_button(
    as_user, outsider, resident, idea
):
    page = reverse("arenas:idea-detail", args=[idea.pk])
    support = reverse("arenas:idea-support", args=[idea.pk])
    withdraw = reverse("arenas:idea-support-withdraw", args=[idea.pk])
    author = as_user(resident)
    html = author.get(page).content.decode()
    assert support not in html and "Det här är din idé" in html
    refused = author.post(support, follow=True).content.decode()
    assert "Du kan inte stödja din egen idé" in refused
    client = as_user(outsider)
    assert withdraw not in client.get(page).content.decode()
    client.post(support)
    html = client.get(page).content.decode()
    assert withdraw in html and support + '"' not in html
    response = client.post(withdraw, follow=True)
    assert "Du har tagit tillbaka ditt stöd." in response.content.decode()
    assert not Support.objects.exists()
    again = client.post(withdraw, follow=True)  # a double submit
    assert again.status_code == 200 and "Du stöder inte idén." in again.content.decode()
    assert client.get(withdraw).status_code == 405


def test_commenting_on_a_closed_challenge_shows_why(as_user, outsider, idea, challenge, arena):
    services.challenge_set_open(actor=arena.lead_admin, challenge=challenge, is_open=False)
    response = as_user(outsider).post(
        reverse("arenas:idea-detail", args=[idea.pk]), {"body": "Hej"}
    )
    assert response.status_code == 400
    assert "stängd" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_queue_shows_each_reason_and_the_whole_reported_idea(as_user, moderator, idea):
    as_user(UserFactory()).post(reverse("arenas:report", args=["ide", idea.pk]), {"reason": "spam"})
    as_user(UserFactory()).post(
        reverse("arenas:report", args=["ide", idea.pk]), {"reason": "off-topic"}
    )
    queue = as_user(moderator).get(reverse("arenas:moderation-queue")).content.decode()
    assert idea.title in queue and idea.body in queue
    assert "Skräppost" in queue and "Hör inte hit" in queue


def test_moderation_queue_only_for_moderators(as_user, moderator, outsider, resident, idea):
    url = reverse("arenas:moderation-queue")
    assert as_user(outsider).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302
    comment = services.comment_create(actor=outsider, idea=idea, body="Elakt")
    for _ in range(3):
        as_user(UserFactory()).post(
            reverse("arenas:report", args=["kommentar", comment.pk]), {"reason": "offensive"}
        )
    comment.refresh_from_db()
    assert comment.is_hidden
    page = as_user(resident).get(reverse("arenas:idea-detail", args=[idea.pk])).content.decode()
    assert "Elakt" not in page
    client = as_user(moderator)
    queue = client.get(url).content.decode()
    assert "Elakt" in queue and "Anmäld som:</strong> Kränkande (3)" in queue
    response = client.post(
        url, {"target": f"comment:{comment.pk}", "decision": "keep", "explanation": "OK."}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_visible
    assert client.post(url, {"target": "comment:x", "decision": "keep"}).status_code == 404


def test_hidden_idea_is_a_404_for_others(as_user, client, idea, outsider):
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    url = reverse("arenas:idea-detail", args=[idea.pk])
    assert client.get(url).status_code == 404
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(idea.author).get(url).status_code == 200


def test_only_owners_see_and_use_the_initiative_button(as_user, idea, arena, outsider):
    url = reverse("arenas:idea-detail", args=[idea.pk])
    assert "Testa den" not in as_user(outsider).get(url).content.decode()
    assert (
        as_user(outsider).post(reverse("arenas:idea-initiative", args=[idea.pk])).status_code == 403
    )
    client = as_user(arena.lead_admin)
    assert "Testa den" in client.get(url).content.decode()
    response = client.post(reverse("arenas:idea-initiative", args=[idea.pk]))
    idea.refresh_from_db()
    assert response["Location"] == reverse(
        "knowledge:initiative-detail", args=[idea.initiative.slug]
    )


def test_challenge_form_for_an_organisation_member(as_user, member, organisation, outsider):
    client = as_user(member)
    url = reverse("arenas:challenge-create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "owner": f"organisation:{organisation.pk}",
            "title": "Ensamma äldre",
            "problem": "P",
            "affected": "A",
            "municipality": "2480",
            "ideas_from": "2026-01-01",
            "develop_from": "2026-02-01",
            "test_from": "2026-01-15",
            "evaluate_from": "2026-04-01",
            "ends_on": "2026-05-01",
        },
    )
    assert response.status_code == 400
    bad = as_user(outsider).post(url, {"owner": f"organisation:{organisation.pk}"})
    assert bad.status_code == 400  # not among the outsider's choices


def test_notifications_page_and_preference(as_user, idea, arena):
    client = as_user(arena.lead_admin)
    url = reverse("core:notifications")
    page = client.get(url).content.decode()
    assert "1 oläst" in page and "Läxhjälp" in page
    assert client.post(url, {"frequency": "weekly"}).status_code == 302
    assert client.post(url, {"frequency": "hourly"}).status_code == 400
    client.post(url, {"read": "all"})
    assert "0 olästa" in client.get(url).content.decode()


def test_owners_arrange_events_and_register_an_agreement_with_a_pdf(
    as_user, arena, challenge, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hjulet.lib.tests.pdfs import pdf

    event_url = reverse("arenas:event-create", args=[challenge.slug])
    agreement_url = reverse("arenas:agreement-create", args=[arena.slug])
    assert as_user(outsider).get(event_url).status_code == 403
    assert as_user(outsider).get(agreement_url).status_code == 403
    client = as_user(arena.lead_admin)
    event = {
        "kind": "workshop",
        "title": "Idéverkstad",
        "starts_at": "2030-03-01T18:00",
        "place": "Biblioteket",
    }
    assert client.post(event_url, {**event, "capacity": "0"}).status_code == 400
    response = client.post(event_url, {**event, "capacity": "20"})
    assert response.status_code == 302 and challenge.events.get().title == "Idéverkstad"
    data = agreement_form(arena)
    bad = client.post(
        agreement_url, {**data, "document": SimpleUploadedFile("a.pdf", b"MZ not a pdf")}
    )
    assert bad.status_code == 400 and "PDF" in bad.content.decode()
    good = client.post(agreement_url, {**data, "document": SimpleUploadedFile("a.pdf", pdf(1))})
    assert good.status_code == 302
    agreement = arena.agreements.get()
    assert agreement.document.name.endswith(".pdf")
