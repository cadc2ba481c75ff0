"""Two people editing the same meeting notes: the second, stale edit gets the conflict
message and the first edit is kept, on the page and in the API."""

import json

import pytest

from hjulet.accounts import services as account_services
from hjulet.core.tests.conflicts import conflict_message_sv, second_stale_edit_is_refused

from .. import services
from ..models import Meeting
from ..workflow import Status
from .factories import assign_directly, in_status, soon, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(member, organisation, researcher):
    question = in_status(submit(member, organisation), Status.MATCHED)
    assign_directly(question, researcher)
    return services.meeting_create(
        actor=researcher, question=question, starts_at=soon(), participants="Maja; Frida"
    )


def test_two_people_edit_the_same_meeting(as_user, researcher, coordinator, meeting):
    def data(notes: str) -> dict:
        return {
            "starts_at": meeting.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "participants": "Maja; Frida",
            "notes": notes,
        }

    second_stale_edit_is_refused(
        as_user(researcher),
        as_user(coordinator),
        f"/forskarverkstad/fragor/{meeting.question_id}/moten/{meeting.pk}/",
        data("Vi enades om tre intervjuer."),
        data("Den andras anteckningar."),
    )
    assert Meeting.objects.get(pk=meeting.pk).notes == "Vi enades om tre intervjuer."


def test_a_stale_meeting_edit_in_the_api_is_a_conflict(client, researcher, coordinator, meeting):
    url = f"/api/v1/questions/{meeting.question_id}/meetings/{meeting.pk}"

    def patch(user, notes: str):
        _token, secret = account_services.api_token_create(actor=user, name="test")
        return client.patch(
            url,
            data=json.dumps({"notes": notes, "version": 1}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            HTTP_ACCEPT_LANGUAGE="sv",
        )

    first = patch(researcher, "Först.")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    second = patch(coordinator, "Sedan.")
    assert second.status_code == 409
    assert conflict_message_sv() in json.dumps(second.json(), ensure_ascii=False)
    assert Meeting.objects.get(pk=meeting.pk).notes == "Först."
