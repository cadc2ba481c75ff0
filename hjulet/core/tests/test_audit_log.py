import pytest
from django.urls import reverse

from hjulet.accounts import services as account_services

pytestmark = pytest.mark.django_db


def test_every_service_write_is_in_the_log_with_who_and_what(
    as_user, coordinator, org_admin, organisation
):
    account_services.organisation_update(
        actor=org_admin, organisation=organisation, description="Lånar ut fritidsutrustning gratis."
    )
    response = as_user(coordinator).get(reverse("core:audit-log"), {"action": "organisation"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Organisation ändrad" in page
    assert "organisation.update" not in page
    assert org_admin.email in page
    assert "Lånar ut fritidsutrustning gratis." in page


@pytest.mark.parametrize("persona", ["member", "researcher", "moderator", "outsider"])
def test_only_coordinators_read_the_log(request, as_user, persona):
    response = as_user(request.getfixturevalue(persona)).get(reverse("core:audit-log"))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(as_user):
    response = as_user(None).get(reverse("core:audit-log"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_filter_by_actor(as_user, coordinator, org_admin, organisation, member):
    account_services.organisation_update(
        actor=org_admin, organisation=organisation, website="https://fritidsbanken.se"
    )
    response = as_user(coordinator).get(reverse("core:audit-log"), {"actor": "nobody@"})
    assert "Organisation ändrad" not in response.content.decode()
