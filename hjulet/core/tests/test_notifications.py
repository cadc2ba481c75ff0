"""Notifications (issue 19): any app tells people through ``services.notify``; the bell in
the header counts the unread ones; the page and the API mark one or all as read, each
person only their own, with an audit entry."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hjulet.accounts.tests.api import bearer
from hjulet.accounts.tests.factories import UserFactory
from hjulet.core import selectors, services
from hjulet.core.models import AuditEntry, Frequency, Notification

pytestmark = pytest.mark.django_db


def tell(*users, text="Ny idé i Ersboda", url="/utmaningar/", email=True) -> int:
    return services.notify(users, lambda: text, url, email=email)


# --- services ---------------------------------------------------------------------------


def test_notify_tells_each_active_person_once(after_commit):
    person = UserFactory(email="person@exempel.se")
    gone = UserFactory(email="borta@exempel.se", is_active=False)
    services.notification_preference_set(actor=person, frequency=Frequency.IMMEDIATELY)
    with after_commit():
        assert tell(person, person, gone, None) == 1
    assert Notification.objects.filter(user=person).count() == 1
    assert not Notification.objects.filter(user=gone).exists()
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_notify_without_email_sends_none_now_or_in_the_digest(after_commit):
    person = UserFactory(email="person@exempel.se")
    services.notification_preference_set(actor=person, frequency=Frequency.IMMEDIATELY)
    with after_commit():
        tell(person, email=False)
        assert services.send_digests() == 0
    assert mail.outbox == []
    assert selectors.unread_count(person) == 1


def test_mark_one_read_is_audited_and_only_for_its_owner():
    owner, other = UserFactory(email="agare@exempel.se"), UserFactory(email="annan@exempel.se")
    tell(owner)
    tell(owner, text="Andra")
    first = Notification.objects.filter(user=owner).last()
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=other, notification=first)
    services.notification_mark_read(actor=owner, notification=first)
    assert selectors.unread_count(owner) == 1
    assert AuditEntry.objects.filter(action="notification.read", actor=owner).count() == 1
    services.notification_mark_read(actor=owner, notification=first)  # again: no change
    assert AuditEntry.objects.filter(action="notification.read").count() == 1


def test_mark_all_read_counts_and_leaves_others_alone():
    owner, other = UserFactory(email="agare@exempel.se"), UserFactory(email="annan@exempel.se")
    tell(owner, other)
    tell(owner)
    assert services.notifications_mark_all_read(actor=owner) == 2
    assert selectors.unread_count(owner) == 0 and selectors.unread_count(other) == 1
    assert services.notifications_mark_all_read(actor=owner) == 0
    assert AuditEntry.objects.filter(action="notification.read_all").count() == 1


def test_an_unknown_frequency_is_refused():
    person = UserFactory(email="person@exempel.se")
    with pytest.raises(ValidationError):
        services.notification_preference_set(actor=person, frequency="hourly")


def test_unread_count_is_one_query_and_none_for_visitors():
    from django.contrib.auth.models import AnonymousUser

    person = UserFactory(email="person@exempel.se")
    tell(person)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.unread_count(person) == 1
        assert selectors.unread_count(AnonymousUser()) == 0
    assert len(queries) == 1


# --- the bell and the page --------------------------------------------------------------


def test_the_bell_names_the_unread_count(as_user):
    person = UserFactory(email="person@exempel.se")
    client = as_user(person)
    page = client.get(reverse("site:home")).content.decode()
    assert 'class="bell"' in page and 'aria-label="Aviseringar"' in page
    tell(person)
    tell(person)
    tell(person)
    page = client.get(reverse("site:home")).content.decode()
    assert 'aria-label="Aviseringar, 3 olästa"' in page
    assert '<span class="bell-count">3</span>' in page


@pytest.fixture
def told(db) -> tuple:
    """Two people: one told "Första" and then "Andra", the other "Annans"."""
    person, other = UserFactory(email="person@exempel.se"), UserFactory(email="annan@exempel.se")
    tell(person, text="Första")
    tell(person, text="Andra")
    tell(other, text="Annans")
    return person, other


def test_visitors_see_no_bell(as_user, db):
    page = as_user(None).get(reverse("site:home")).content.decode()
    assert 'class="bell"' not in page


def test_the_page_marks_one_and_all_read(as_user, told):
    person, other = told
    client = as_user(person)
    url = reverse("core:notifications")
    page = client.get(url).content.decode()
    assert "Första" in page and "Annans" not in page and "2 olästa" in page
    first = Notification.objects.get(text="Första")
    assert client.post(url, {"read": first.pk}).status_code == 302
    assert selectors.unread_count(person) == 1
    theirs = Notification.objects.get(text="Annans")
    assert client.post(url, {"read": theirs.pk}).status_code == 404
    assert client.post(url, {"read": "nonsense"}).status_code == 404
    assert selectors.unread_count(other) == 1
    client.post(url, {"read": "all"})
    assert selectors.unread_count(person) == 0


def test_the_page_needs_signing_in(as_user, db):
    response = as_user(None).get(reverse("core:notifications"))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


# --- API --------------------------------------------------------------------------------


def test_api_lists_counts_and_marks_read(client, told):
    person, other = told
    headers = bearer(person)
    listed = client.get("/api/v1/notifications", **headers).json()
    assert listed["count"] == 2 and [n["text"] for n in listed["items"]] == ["Andra", "Första"]
    count = client.get("/api/v1/notifications/unread-count", **headers).json()
    assert count == {"unread": 2}
    first = Notification.objects.get(text="Första")
    response = client.post(f"/api/v1/notifications/{first.pk}/read", **headers)
    assert response.status_code == 200 and response.json()["read_at"]
    theirs = Notification.objects.get(text="Annans")
    refused = client.post(f"/api/v1/notifications/{theirs.pk}/read", **headers)
    assert refused.status_code == 404 and refused.json()["detail"]
    assert client.post("/api/v1/notifications/read", **headers).json() == {"marked": 1}
    assert selectors.unread_count(person) == 0 and selectors.unread_count(other) == 1


def test_api_needs_signing_in(client, db):
    response = client.get("/api/v1/notifications/unread-count")
    assert response.status_code == 401 and response.json()["detail"]
