"""Services beyond the status table: asking, formulations, interest, assignments, meetings,
outcomes, follow-ups, matching, e-mail and the overview."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory, grant
from hjulet.core.models import AuditEntry, Notification, Term, Vocabulary

from .. import selectors, services
from ..models import (
    Assignment,
    FollowUp,
    Interest,
    Meeting,
    Outcome,
    Question,
    QuestionEvent,
    ResearcherProfile,
)
from ..workflow import Status
from .factories import (
    QUESTION,
    assign_directly,
    challenge,
    in_status,
    researcher_with_profile,
    soon,
    submit,
)

pytestmark = pytest.mark.django_db


# --- asking -----------------------------------------------------------------------------


def test_a_member_asks_and_coordinators_hear_of_it(member, organisation, coordinator, after_commit):
    with after_commit():
        question = submit(member, organisation, challenges=[challenge("ensamhet")])
    assert question.status == Status.SUBMITTED
    assert question.submitted_by == member
    assert [t.code for t in question.challenges.all()] == ["ensamhet"]
    first = question.formulations.get()
    assert (first.number, first.text) == (1, QUESTION["wanted_knowledge"])
    assert QuestionEvent.objects.get(question=question).to_status == Status.SUBMITTED
    assert AuditEntry.objects.filter(action="question.submit", target_id=str(question.pk)).exists()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Fritidsbanken Umeå" in mail.outbox[0].subject


@pytest.mark.parametrize("persona", ["outsider", "researcher", "coordinator", "resident"])
def test_only_members_ask_for_their_organisation(persona, request, organisation):
    with pytest.raises(PermissionDenied):
        submit(request.getfixturevalue(persona), organisation)
    assert not Question.objects.exists()


def test_a_member_cannot_ask_for_another_organisation(member):
    other = OrganisationFactory(name="Morjärvs lanthandel")
    with pytest.raises(PermissionDenied):
        submit(member, other)


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("background", ""), ("wanted_knowledge", "   "), ("non_commercial", None)],
)
def test_bad_input_is_refused_field_by_field(field, value, member, organisation):
    with pytest.raises(ValidationError) as error:
        submit(member, organisation, **{field: value})
    assert field in error.value.message_dict
    assert not Question.objects.exists()


def test_only_challenges_can_tag_a_question(member, organisation):
    target_group = Term.objects.in_vocabulary(Vocabulary.TARGET_GROUP).first()
    with pytest.raises(ValidationError):
        submit(member, organisation, challenges=[target_group])
    assert not Question.objects.exists()


# --- formulations -----------------------------------------------------------------------


def test_formulations_are_versioned_and_open_the_dialogue(
    member, organisation, coordinator, after_commit
):
    question = submit(member, organisation)
    with after_commit():
        services.formulation_add(
            actor=coordinator,
            question=question,
            text="Vilka inbjudningssätt når äldre som inte kommer till träffar?",
            comment="Smalare: om inbjudan.",
        )
    question.refresh_from_db()
    assert question.status == Status.IN_DIALOGUE
    assert member.email in [m.to[0] for m in mail.outbox]
    services.formulation_add(actor=member, question=question, text="Och i glesbygd?")
    assert list(question.formulations.values_list("number", flat=True)) == [1, 2, 3]
    question.refresh_from_db()
    assert question.status == Status.IN_DIALOGUE  # the organisation's version changes nothing


@pytest.mark.parametrize("persona", ["outsider", "researcher", "resident"])
def test_others_cannot_reformulate(persona, request, member, organisation):
    question = submit(member, organisation)
    with pytest.raises(PermissionDenied):
        services.formulation_add(
            actor=request.getfixturevalue(persona), question=question, text="x"
        )
    assert question.formulations.count() == 1


def test_the_wording_is_fixed_once_work_has_started(member, organisation, coordinator):
    question = in_status(submit(member, organisation), Status.MATCHED)
    with pytest.raises(ValidationError):
        services.formulation_add(actor=coordinator, question=question, text="Ny lydelse")
    with pytest.raises(ValidationError):
        services.formulation_add(actor=coordinator, question=question, text="   ")


# --- researchers, interest, assignments ---------------------------------------------------


def test_researcher_profile_only_for_researchers(researcher, outsider):
    profile = services.researcher_profile_save(
        actor=researcher, university="Lunds universitet", expertise="Äldres ensamhet"
    )
    again = services.researcher_profile_save(
        actor=researcher, university="Lunds universitet", expertise="Ensamhet och äldre"
    )
    assert again.pk == profile.pk
    assert ResearcherProfile.objects.get().expertise == "Ensamhet och äldre"
    with pytest.raises(PermissionDenied):
        services.researcher_profile_save(actor=outsider, university="X", expertise="Y")


def test_interest_only_when_open_and_only_once(member, organisation, researcher, coordinator):
    question = submit(member, organisation)
    with pytest.raises(ValidationError):
        services.interest_express(actor=researcher, question=question)
    question = in_status(question, Status.ACCEPTED)
    services.interest_express(actor=researcher, question=question, message="Gärna!")
    with pytest.raises(ValidationError) as error:
        services.interest_express(actor=researcher, question=question)
    assert error.value.error_list[0].code == "duplicate"
    assert Interest.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.interest_express(actor=member, question=question)


def test_assigning_matches_the_question_and_tells_the_researcher(
    member, organisation, coordinator, researcher, after_commit
):
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    with after_commit():
        services.assignment_create(
            actor=coordinator, question=question, kind="researcher", researcher=researcher
        )
    question.refresh_from_db()
    assert question.status == Status.MATCHED
    assert researcher.email in [m.to[0] for m in mail.outbox]
    with pytest.raises(ValidationError) as error:
        services.assignment_create(
            actor=coordinator, question=question, kind="researcher", researcher=researcher
        )
    assert "researcher" in error.value.message_dict
    assert Assignment.objects.count() == 1


def test_an_assignment_sends_one_email_to_each_person(
    member, organisation, coordinator, researcher, after_commit
):
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    supervisor = grant(UserFactory(email="handledare@exempel.se"), Role.RESEARCHER)
    mail.outbox.clear()
    with after_commit():
        services.assignment_create(
            actor=coordinator, question=question, kind="researcher", researcher=researcher
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([researcher.email, member.email])  # matched: the asker
    assert "uppdraget" in next(m for m in mail.outbox if m.to == [researcher.email]).subject
    mail.outbox.clear()
    with after_commit():  # a second assignment: the question is already matched
        services.assignment_create(
            actor=coordinator,
            question=question,
            kind="student",
            students="Ali Ahmadi",
            thesis_level="master",
            supervisor=supervisor,
        )
    assert [m.to for m in mail.outbox] == [[supervisor.email]]


def test_researchers_whose_profiles_match_hear_of_an_accepted_question(
    member, organisation, coordinator, after_commit
):
    near = researcher_with_profile(
        "ensamhet@exempel.se", "Ensamhet bland äldre, social isolering i glesbygden."
    )
    far = researcher_with_profile("skola@exempel.se", "Skolans digitalisering och lärande.")
    away = researcher_with_profile(
        "borta@exempel.se", "Äldre i glesbygd och ensamhet.", is_available=False
    )
    question = in_status(submit(member, organisation), Status.IN_DIALOGUE)
    assert not Notification.objects.filter(user=near).exists()  # not before it is accepted
    with after_commit():
        services.question_decide(
            actor=coordinator, question=question, decision=Status.ACCEPTED, reason="Bra fråga."
        )
    told = Notification.objects.get(user=near)
    assert (
        told.text == f"En accepterad fråga i forskarverkstaden matchar din profil: {question.title}"
    )
    assert told.url == f"/forskarverkstad/fragor/{question.pk}/"
    assert not Notification.objects.filter(user__in=[far, away]).exists()


def test_a_declined_question_tells_no_researcher(member, organisation, coordinator):
    near = researcher_with_profile("ensamhet@exempel.se", "Ensamhet bland äldre i glesbygden.")
    question = in_status(submit(member, organisation), Status.IN_DIALOGUE)
    services.question_decide(
        actor=coordinator, question=question, decision=Status.DECLINED, reason="Inte för oss."
    )
    assert not Notification.objects.filter(user=near).exists()


def test_a_student_project_needs_students_level_and_a_supervisor(
    member, organisation, coordinator, researcher
):
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.assignment_create(actor=coordinator, question=question, kind="student")
    assert set(error.value.message_dict) == {"students", "thesis_level", "supervisor"}
    services.assignment_create(
        actor=coordinator,
        question=question,
        kind="student",
        students="Ali Ahmadi, Lisa Berg",
        thesis_level="master",
        supervisor=researcher,
    )
    assert services.is_assigned(researcher, question)


def test_only_researchers_can_be_assigned(member, organisation, coordinator, outsider):
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.assignment_create(
            actor=coordinator, question=question, kind="researcher", researcher=outsider
        )


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.DECLINED, Status.PUBLISHED])
def test_no_assignment_outside_the_open_statuses(
    status, member, organisation, coordinator, researcher
):
    question = in_status(submit(member, organisation), status)
    with pytest.raises(ValidationError):
        services.assignment_create(
            actor=coordinator, question=question, kind="researcher", researcher=researcher
        )


def test_only_coordinators_assign(member, organisation, researcher):
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            actor=researcher, question=question, kind="researcher", researcher=researcher
        )


# --- meetings, outcome, follow-up --------------------------------------------------------


def test_the_first_meeting_starts_the_work(member, organisation, researcher, after_commit):
    question = in_status(submit(member, organisation), Status.MATCHED)
    assign_directly(question, researcher)
    with after_commit():
        services.meeting_create(
            actor=researcher,
            question=question,
            starts_at=soon(),
            participants="Maja, forskaren",
            next_steps="Läsa in forskningen",
        )
    question.refresh_from_db()
    assert question.status == Status.IN_PROGRESS
    assert member.email in [m.to[0] for m in mail.outbox]


def test_meetings_need_participants_and_the_right_people(member, organisation, researcher):
    question = in_status(submit(member, organisation), Status.MATCHED)
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=researcher, question=question, starts_at=soon(), participants="x"
        )
    assign_directly(question, researcher)
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=researcher, question=question, starts_at=soon(), participants=""
        )
    assert not Meeting.objects.exists()
    question.refresh_from_db()
    assert question.status == Status.MATCHED


def test_notes_and_next_steps_after_the_meeting(member, organisation, researcher, outsider):
    question = in_status(submit(member, organisation), Status.IN_PROGRESS)
    assign_directly(question, researcher)
    meeting = services.meeting_create(
        actor=researcher, question=question, starts_at=soon(), participants="Maja"
    )
    services.meeting_update(
        actor=researcher, meeting=meeting, notes="Bra möte.", next_steps="Skriva utkast."
    )
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.next_steps) == ("Bra möte.", "Skriva utkast.")
    assert AuditEntry.objects.filter(action="question.meeting_update").count() == 1
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=outsider, meeting=meeting, notes="x")
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=member, meeting=meeting, notes="x")
    in_status(question, Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.meeting_update(actor=researcher, meeting=meeting, notes="För sent")
    meeting.refresh_from_db()
    assert meeting.notes == "Bra möte."


def test_a_summary_needs_content_and_consent(member, organisation, coordinator):
    question = in_status(submit(member, organisation), Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(actor=coordinator, question=question, kind="summary")
    assert set(error.value.message_dict) == {"title", "summary"}
    private = in_status(
        submit(member, organisation, title="Intern fråga", results_may_be_public=False),
        Status.IN_PROGRESS,
    )
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            actor=coordinator, question=private, kind="summary", title="T", summary="S"
        )
    assert "kind" in error.value.message_dict
    assert not Outcome.objects.exists()
    assert Question.objects.filter(status=Status.IN_PROGRESS).count() == 2


def test_a_research_project_needs_a_funder(member, organisation, coordinator):
    question = in_status(submit(member, organisation), Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(actor=coordinator, question=question, kind="research_project")
    assert "funder" in error.value.message_dict


def test_follow_up_once_by_the_organisation_after_the_outcome(
    member, organisation, coordinator, outsider
):
    question = submit(member, organisation)
    with pytest.raises(ValidationError):
        services.follow_up_record(actor=member, question=question, was_used="yes", how="x")
    question = in_status(question, Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.follow_up_record(actor=outsider, question=question, was_used="yes", how="x")
    services.follow_up_record(
        actor=member, question=question, was_used="partly", how="Ny inbjudan i byarna."
    )
    with pytest.raises(ValidationError) as error:
        services.follow_up_record(actor=member, question=question, was_used="yes", how="x")
    assert error.value.error_list[0].code == "duplicate"
    assert FollowUp.objects.get().was_used == "partly"


def test_follow_up_with_an_unknown_answer_is_refused(member, organisation):
    question = in_status(submit(member, organisation), Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.follow_up_record(actor=member, question=question, was_used="kanske", how="x")
    assert not FollowUp.objects.exists()


# --- visibility --------------------------------------------------------------------------


def test_who_sees_which_question(member, organisation, coordinator, researcher, outsider):
    submitted = submit(member, organisation)
    accepted = in_status(submit(member, organisation, title="Öppen fråga"), Status.ACCEPTED)
    for question, visible_to in [
        (submitted, {member, coordinator}),
        (accepted, {member, coordinator, researcher}),
    ]:
        for person in (member, coordinator, researcher, outsider):
            assert services.can_view_question(person, question) == (person in visible_to)
    assert set(selectors.visible_questions(researcher)) == {accepted}
    assert set(selectors.visible_questions(member)) == {submitted, accepted}
    assert not selectors.visible_questions(outsider).exists()
    assign_directly(submitted, researcher)
    assert services.can_view_question(researcher, submitted)


# --- matching ------------------------------------------------------------------------------


def test_researchers_ranked_by_shared_swedish_stems(member, organisation):
    near = researcher_with_profile(
        "ensamhet@exempel.se",
        "Ensamhet bland äldre, social isolering i glesbygden, äldreomsorg.",
    )
    far = researcher_with_profile("skola@exempel.se", "Skolans digitalisering och lärande.")
    some = researcher_with_profile(
        "glesbygd@exempel.se", "Landsbygdsutveckling och service i glesbygd."
    )
    question = submit(member, organisation)
    ranked = selectors.suggest_researchers(question)
    assert [s.profile.user for s in ranked] == [near, some]
    assert far not in [s.profile.user for s in ranked]
    # "glesbygd" in the question and "glesbygden" in the profile meet as one stem
    # ("ensamma" and "ensamhet" are different stems)
    assert set(ranked[0].shared_terms) == {"aldr", "glesbyg"}
    assert set(ranked[0].shared_words) == {"äldre", "glesbygd"}  # as the question wrote them
    assert ranked[1].shared_words == ("glesbygd",)
    assert ranked[0].score == 1 > ranked[1].score > 0


def test_the_topic_wins_over_a_common_question_word(member, organisation):
    # Both share words with the question; only one shares its subject.
    common = researcher_with_profile(
        "naringsliv@exempel.se",
        "Hur offentlig upphandling påverkar det lokala näringslivet och vilka faktorer "
        "som har betydelse.",
    )
    topic = researcher_with_profile(
        "fritid@exempel.se", "Fritidsbanker, barns idrott och fysisk aktivitet i föreningar."
    )
    question = submit(
        member,
        organisation,
        title="Hur påverkar fritidsbanken barns idrott?",
        background="Vi lånar ut utrustning och vill veta vilka faktorer som har betydelse.",
        wanted_knowledge="Vad påverkar om barn fortsätter med idrott?",
    )
    ranked = selectors.suggest_researchers(question)
    assert [s.profile.user for s in ranked] == [topic]
    assert common not in [s.profile.user for s in ranked]
    assert set(ranked[0].shared_words) == {"fritidsbanken", "barns", "idrott"}


def test_nobody_is_suggested_on_stop_words_and_question_words_alone(member, organisation):
    researcher_with_profile(
        "allman@exempel.se", "Vad som påverkar och har betydelse för hur det blir, och varför."
    )
    question = submit(
        member,
        organisation,
        title="Hur påverkar det och varför?",
        background="Vi vill veta vad som har betydelse för det.",
        wanted_knowledge="Vilka faktorer påverkar?",
    )
    assert selectors.suggest_researchers(question) == []


def test_a_word_common_in_the_whole_index_does_not_decide(member, organisation):
    """ "Kultur" is in most indexed documents here (the initiatives), so it is too common to
    match on; "lanthandel" decides."""
    from hjulet.core import search

    for pk in range(1, 31):
        search.index_document(
            kind="initiative", pk=10_000 + pk, title=f"Kultur {pk}", body="Kultur i byn."
        )
    researcher_with_profile("kultur@exempel.se", "Kultur och kulturpolitik i kommunerna.")
    shop = researcher_with_profile(
        "lanthandel@exempel.se", "Kooperativ lanthandel och kultur på landsbygden."
    )
    question = submit(
        member,
        organisation,
        title="Kultur i en lanthandel",
        background="Kan en lanthandel bli en plats för kultur?",
        wanted_knowledge="Hur har andra gjort?",
    )
    ranked = selectors.suggest_researchers(question)
    assert [s.profile.user for s in ranked] == [shop]
    assert ranked[0].shared_words == ("lanthandel",)


def test_a_profile_is_indexed_on_save_and_removed_with_the_account(member, organisation):
    from hjulet.accounts import services as account_services
    from hjulet.core import search

    user = researcher_with_profile("ny@exempel.se", "Social isolering bland ensamma äldre.")
    assert [hit.pk for hit in search.similar("ensamma äldre", kinds=["researcher"])] == [user.pk]
    services.researcher_profile_save(actor=user, expertise="Skolans digitalisering.")
    assert search.similar("ensamma äldre", kinds=["researcher"]) == []
    assert [hit.pk for hit in search.similar("digitalisering", kinds=["researcher"])] == [user.pk]
    # Never in a search of the public kinds.
    assert all(
        hit.kind != "researcher"
        for hit in search.search("digitalisering", kinds=["initiative", "method"])
    )
    account_services.user_delete(actor=user, user=user)
    assert search.similar("digitalisering", kinds=["researcher"]) == []


def test_unavailable_researchers_or_without_the_role_are_not_suggested(member, organisation):
    researcher_with_profile("borta@exempel.se", "Ensamhet bland äldre", is_available=False)
    user = UserFactory(email="inte-forskare@exempel.se")
    ResearcherProfile.objects.create(user=user, university="X", expertise="Ensamhet äldre")
    assert selectors.suggest_researchers(submit(member, organisation)) == []


# --- overview ------------------------------------------------------------------------------


def test_stage_durations_by_hand():
    t0 = timezone.now()
    changes = [
        ("submitted", t0),
        ("in_dialogue", t0 + datetime.timedelta(days=2)),
        ("accepted", t0 + datetime.timedelta(days=5)),
    ]
    result = selectors.stage_durations(changes, t0 + datetime.timedelta(days=9))
    assert result["submitted"] == ([2.0], 0)
    assert result["in_dialogue"] == ([3.0], 0)
    assert result["accepted"] == ([], 1)
    finished = selectors.stage_durations([("submitted", t0), ("declined", t0)], t0)
    assert finished["declined"] == ([], 0)


def test_overview_counts_and_open_work(member, organisation, coordinator):
    a = submit(member, organisation)
    b = submit(member, organisation, title="B")
    services.question_decide(actor=coordinator, question=b, decision="accepted", reason="Bra")
    data = selectors.overview()
    counts = {status: count for status, _label, count in data["per_status"]}
    assert counts["submitted"] == 1 and counts["accepted"] == 1 and data["total"] == 2
    assert list(data["open_work"]["intake"]) == [a]
    assert list(data["open_work"]["unassigned"]) == [Question.objects.get(pk=b.pk)]
    submitted = next(s for s in data["stages"] if s.status == "submitted")
    assert (submitted.finished, submitted.now_in_stage) == (1, 1)
    assert submitted.median_days is not None and submitted.median_days < 0.01


def test_roles_fixture_sanity(coordinator):
    assert grant(UserFactory(), Role.RESEARCHER).is_researcher


def test_the_researcher_index_can_be_rebuilt_from_the_profiles(member, organisation):
    from django.core.management import call_command

    from hjulet.core import search

    user = researcher_with_profile("om@exempel.se", "Kooperativ lanthandel på landsbygden.")
    search.remove_document(kind="researcher", pk=user.pk)
    assert search.similar("lanthandel", kinds=["researcher"]) == []
    call_command("rebuild_search_index", stdout=__import__("io").StringIO())
    assert [hit.pk for hit in search.similar("lanthandel", kinds=["researcher"])] == [user.pk]
