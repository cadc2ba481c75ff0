"""Arenas, challenges, ideas and what follows them: rules, permissions and bad input."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hjulet.accounts.tests.factories import UserFactory
from hjulet.arenas import services
from hjulet.arenas.models import (
    AgreementKind,
    Comment,
    Idea,
    IdeaRevision,
    RegistrationStatus,
    Support,
)
from hjulet.core import selectors as core_selectors
from hjulet.core import services as core_services
from hjulet.core.models import AuditEntry, Frequency, Notification

from .factories import make_challenge, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(challenge, resident):
    return services.idea_create(
        actor=resident, challenge=challenge, title="Läxhjälp och fotboll", body="Två kvällar."
    )


# --- arenas ----------------------------------------------------------------------------


def test_an_arena_with_two_sectors_is_cross_sector(arena, outsider):
    assert arena.is_cross_sector
    assert AuditEntry.objects.filter(action="arena.create", target_id=str(arena.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.arena_create(
            actor=outsider, name="X", purpose="Y", organisations=[(arena.lead, "lead")]
        )


def test_an_arena_of_one_sector_is_not_cross_sector(coordinator, organisation):
    single = services.arena_create(
        actor=coordinator,
        name="Bara föreningar",
        purpose="P",
        organisations=[(organisation, "lead")],
    )
    assert not single.is_cross_sector


def test_agreement_with_pdf_only_and_parties(arena, outsider):
    fields = {
        "title": "IOP om fritidsgårdar",
        "kind": AgreementKind.IOP,
        "purpose": "Öppen verksamhet för unga.",
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": datetime.date(2027, 12, 31),
    }
    parties = [arena.lead, arena.partner]
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=arena.lead_admin,
            arena=arena,
            parties=parties,
            document=SimpleUploadedFile("avtal.pdf", b"<script>not a pdf"),
            **fields,
        )
    assert "document" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.agreement_create(
            actor=arena.lead_admin, arena=arena, parties=[arena.lead], **fields
        )
    with pytest.raises(PermissionDenied):
        services.agreement_create(actor=outsider, arena=arena, parties=parties, **fields)
    agreement = services.agreement_create(
        actor=arena.lead_admin, arena=arena, parties=parties, **fields
    )
    assert set(agreement.parties.all()) == set(parties)


# --- challenges ------------------------------------------------------------------------


def test_who_may_post_a_challenge(arena, outsider, resident, member, organisation, coordinator):
    for person in (outsider, resident):
        with pytest.raises(PermissionDenied):
            make_challenge(person, arena=arena)
    with pytest.raises(PermissionDenied):
        make_challenge(None, arena=arena)
    assert make_challenge(member, organisation=organisation, title="Förenings").organisation
    assert make_challenge(coordinator, arena=arena, title="Koordinatorns").arena == arena


def test_phases_must_be_in_order(arena):
    with pytest.raises(ValidationError):
        make_challenge(
            arena.lead_admin, arena=arena, test_from=timezone.localdate() - datetime.timedelta(9)
        )


def test_current_phase_is_ideas(challenge):
    assert challenge.current_phase == "ideas"


# --- ideas, comments, support ----------------------------------------------------------


def test_a_resident_posts_an_idea_and_followers_are_notified(idea, arena):
    assert idea.author.email == "invanare@exempel.se"
    assert Notification.objects.filter(user=arena.lead_admin).count() == 1


def test_anonymous_cannot_post_ideas(challenge):
    with pytest.raises(PermissionDenied):
        services.idea_create(actor=None, challenge=challenge, title="T", body="B")


def test_editing_keeps_history_and_only_the_author_edits(idea, resident, outsider):
    services.idea_update(actor=resident, idea=idea, title="Läxhjälp", body="Tre kvällar.")
    revision = IdeaRevision.objects.get(idea=idea)
    assert (revision.version, revision.body) == (1, "Två kvällar.")
    idea.refresh_from_db()
    assert (idea.version, idea.body) == (2, "Tre kvällar.")
    with pytest.raises(PermissionDenied):
        services.idea_update(actor=outsider, idea=idea, title="Kapad", body="!")
    with pytest.raises(ValidationError):
        services.idea_update(actor=resident, idea=idea, title="X", body="Y", expected_version=1)


def test_supporting_twice_is_refused_clearly(idea, outsider):
    services.support_add(actor=outsider, idea=idea)
    with pytest.raises(ValidationError) as error:
        services.support_add(actor=outsider, idea=idea)
    assert error.value.code == "duplicate" and "redan" in str(error.value)
    assert Support.objects.filter(idea=idea).count() == 1


def test_nobody_supports_their_own_idea(idea, resident):
    with pytest.raises(ValidationError) as error:
        services.support_add(actor=resident, idea=idea)
    assert error.value.code == "own_idea" and "din egen idé" in str(error.value)
    assert not Support.objects.exists()


def test_support_is_withdrawn_by_the_one_who_gave_it(idea, outsider):
    other = UserFactory()
    services.support_add(actor=outsider, idea=idea)
    services.support_add(actor=other, idea=idea)
    services.support_withdraw(actor=outsider, idea=idea)
    assert list(Support.objects.values_list("user", flat=True)) == [other.pk]
    assert AuditEntry.objects.filter(action="idea.support_withdraw", actor=outsider).exists()
    with pytest.raises(ValidationError) as error:  # a second withdrawal, or a stranger's
        services.support_withdraw(actor=outsider, idea=idea)
    assert error.value.code == "not_supporting" and "stöder inte" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.support_withdraw(actor=None, idea=idea)
    assert Support.objects.filter(user=other).exists()
    services.support_add(actor=outsider, idea=idea)  # and can be given again
    assert Support.objects.count() == 2


def test_comments_one_level_of_replies(idea, outsider, resident):
    top = services.comment_create(actor=outsider, idea=idea, body="Bra!")
    reply = services.comment_create(actor=resident, idea=idea, body="Tack", parent=top)
    with pytest.raises(ValidationError):
        services.comment_create(actor=outsider, idea=idea, body="Djupare", parent=reply)
    assert Notification.objects.filter(
        user=resident, text="Ny kommentar till Läxhjälp och fotboll"
    ).exists()
    assert not Notification.objects.filter(user=outsider, text__startswith="Ny kommentar").exists()


def test_commenting_or_posting_on_a_closed_challenge_is_refused(idea, challenge, arena, outsider):
    with pytest.raises(PermissionDenied):
        services.challenge_set_open(actor=outsider, challenge=challenge, is_open=False)
    services.challenge_set_open(actor=arena.lead_admin, challenge=challenge, is_open=False)
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=outsider, idea=idea, body="Hej")
    assert error.value.code == "closed" and "stängd" in str(error.value)
    with pytest.raises(ValidationError):
        services.idea_create(actor=outsider, challenge=challenge, title="T", body="B")
    assert not Comment.objects.exists()


# --- events ----------------------------------------------------------------------------


def test_beyond_capacity_goes_to_the_waiting_list_and_a_cancellation_promotes(
    challenge, arena, outsider
):
    event = make_event(arena.lead_admin, challenge, capacity=2)
    people = [UserFactory() for _ in range(4)]
    statuses = [services.event_register(actor=p, event=event).status for p in people]
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    with pytest.raises(ValidationError):
        services.event_register(actor=people[0], event=event)
    services.registration_cancel(actor=people[1], event=event)
    assert event.registrations.get(user=people[2]).status == RegistrationStatus.REGISTERED
    assert event.registrations.get(user=people[3]).status == RegistrationStatus.WAITING
    assert Notification.objects.filter(user=people[2], text__icontains="Sammanhack").exists()
    with pytest.raises(PermissionDenied):
        make_event(outsider, challenge)


# --- moderation ------------------------------------------------------------------------


def test_three_reports_from_different_people_hide_until_a_moderator_decides(
    idea, outsider, moderator, resident, after_commit
):
    comment = services.comment_create(actor=outsider, idea=idea, body="Dumheter")
    reporters = [UserFactory() for _ in range(3)]
    services.content_report(actor=reporters[0], comment=comment, reason="offensive")
    with pytest.raises(ValidationError):
        services.content_report(actor=reporters[0], comment=comment, reason="spam")
    services.content_report(actor=reporters[1], comment=comment, reason="offensive")
    comment.refresh_from_db()
    assert not comment.is_hidden
    services.content_report(actor=reporters[2], comment=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.is_hidden and not services.can_see(resident, comment)
    assert services.can_see(moderator, comment) and services.can_see(outsider, comment)
    with pytest.raises(PermissionDenied):
        services.moderation_decide(
            actor=resident, comment=comment, decision="remove", explanation="Nej"
        )
    with after_commit():
        services.moderation_decide(
            actor=moderator, comment=comment, decision="remove", explanation="Kränkande språk."
        )
    comment.refresh_from_db()
    assert comment.is_removed and not comment.is_hidden
    assert mail.outbox[-1].to == [outsider.email]
    assert "Kränkande språk." in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="comment.moderate").exists()
    with pytest.raises(ValidationError):
        services.moderation_decide(
            actor=moderator, comment=comment, decision="keep", explanation="Igen"
        )


def test_each_report_tells_each_moderator_why_and_what(idea, moderator, admin_user, resident):
    reporters = [UserFactory() for _ in range(2)]
    services.content_report(actor=reporters[0], idea=idea, reason="spam")
    for person in (moderator, admin_user):
        told = Notification.objects.get(user=person)
        assert told.text == f"Ny anmälan (Skräppost): {idea.title}"
        assert told.url == "/utmaningar/moderering/"
    assert not Notification.objects.filter(user__in=[*reporters, resident]).exists()
    services.content_report(actor=reporters[1], idea=idea, reason="offensive")
    services.content_report(actor=moderator, idea=idea, reason="offensive")  # the third
    assert Notification.objects.filter(user=admin_user).count() == 3
    assert Notification.objects.filter(user=moderator).count() == 2  # not of their own
    assert Notification.objects.filter(
        user=admin_user, text__startswith="Anmäld (Kränkande) och dold"
    ).exists()


def test_a_refused_report_tells_no_moderator(idea, moderator):
    reporter = UserFactory()
    services.content_report(actor=reporter, idea=idea, reason="spam")
    with pytest.raises(ValidationError):
        services.content_report(actor=reporter, idea=idea, reason="spam")
    with pytest.raises(ValidationError):
        services.content_report(actor=UserFactory(), idea=idea, reason="nonsense")
    assert Notification.objects.filter(user=moderator).count() == 1


def test_one_cannot_report_ones_own_post(idea, resident):
    with pytest.raises(ValidationError):
        services.content_report(actor=resident, idea=idea, reason="spam")


# --- idea to initiative ----------------------------------------------------------------


def test_the_owner_takes_an_idea_into_the_knowledge_bank(idea, arena, outsider, resident):
    for person in (outsider, resident):
        with pytest.raises(PermissionDenied):
            services.idea_to_initiative(actor=person, idea=idea)
    initiative = services.idea_to_initiative(actor=arena.lead_admin, idea=idea)
    idea.refresh_from_db()
    assert idea.initiative == initiative and initiative.ideas.get() == idea
    assert initiative.title == idea.title and initiative.municipality.code == "2480"
    assert initiative.stage.code == "test"
    assert [t.code for t in initiative.challenges.all()] == ["segregation"]
    assert initiative.partnerships.get().organisation == arena.lead
    with pytest.raises(ValidationError):
        services.idea_to_initiative(actor=arena.lead_admin, idea=idea)


def test_a_coordinator_may_take_an_idea_further(idea, coordinator):
    assert services.idea_to_initiative(actor=coordinator, idea=idea).pk


# --- notifications ---------------------------------------------------------------------


def test_immediately_sends_at_once(challenge, arena, resident, after_commit):
    core_services.notification_preference_set(
        actor=arena.lead_admin, frequency=Frequency.IMMEDIATELY
    )
    with after_commit():
        services.idea_create(actor=resident, challenge=challenge, title="Idé", body="B")
    assert [m.to for m in mail.outbox] == [[arena.lead_admin.email]]
    assert core_services.send_digests() == 0


def test_digests_are_sent_once_when_due(
    challenge, arena, resident, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        core_services.notification_preference_set(actor=arena.lead_admin, frequency="hourly")
    core_services.notification_preference_set(actor=arena.lead_admin, frequency=Frequency.WEEKLY)
    services.idea_create(actor=resident, challenge=challenge, title="Första", body="B")
    services.idea_create(actor=resident, challenge=challenge, title="Andra", body="B")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert core_services.send_digests(now=now) == 1
    assert len(mail.outbox) == 1 and "Första" in mail.outbox[0].body
    assert "Andra" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert core_services.send_digests(now=now) == 0
    services.idea_create(actor=resident, challenge=challenge, title="Tredje", body="B")
    assert core_services.send_digests(now=now + datetime.timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert core_services.send_digests(now=now + datetime.timedelta(days=7)) == 1
    assert len(mail.outbox) == 2 and "Första" not in mail.outbox[1].body


def test_unread_count_and_mark_read(idea, arena):
    assert core_selectors.unread_count(arena.lead_admin) == 1
    core_services.notifications_mark_all_read(actor=arena.lead_admin)
    assert core_selectors.unread_count(arena.lead_admin) == 0


def test_hidden_ideas_are_left_out_of_lists(idea, challenge, outsider):
    from hjulet.arenas import selectors

    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    assert list(selectors.visible_ideas(challenge, outsider)) == []
    assert list(selectors.visible_ideas(challenge, idea.author)) == [idea]


def test_three_reports_hide_an_idea_and_keep_brings_it_back(idea, moderator, outsider):
    for _ in range(3):
        services.content_report(actor=UserFactory(), idea=idea, reason="spam")
    idea.refresh_from_db()
    assert idea.is_hidden
    with pytest.raises(ValidationError):
        services.support_add(actor=outsider, idea=idea)
    with pytest.raises(ValidationError):
        services.comment_create(actor=outsider, idea=idea, body="Hej")
    with pytest.raises(ValidationError):
        services.moderation_decide(actor=moderator, idea=idea, decision="keep", explanation=" ")
    services.moderation_decide(
        actor=moderator, idea=idea, decision="keep", explanation="Ingen skräppost."
    )
    idea.refresh_from_db()
    assert idea.is_visible
    assert Notification.objects.filter(user=idea.author, text__contains="moderator").exists()


def test_a_too_large_document_is_refused(arena):
    big = SimpleUploadedFile("avtal.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=arena.lead_admin,
            arena=arena,
            parties=[arena.lead, arena.partner],
            document=big,
            title="T",
            kind="local",
            purpose="P",
            starts_on=datetime.date(2026, 1, 1),
        )
    assert "5 MB" in str(error.value)


def test_send_digests_command(idea, arena, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=out)
    assert out.getvalue().startswith("1 ") and mail.outbox[0].to == [arena.lead_admin.email]
    call_command("send_digests", stdout=out)
    assert len(mail.outbox) == 1
