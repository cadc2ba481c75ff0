"""Shared fixtures: reference data, persona accounts and helpers used by every app's tests."""

import pytest
from django.core.cache import caches
from django.test import Client

from hjulet.accounts.models import MembershipRole, Role
from hjulet.accounts.tests.factories import (
    OrganisationFactory,
    UserFactory,
    grant,
    person_in,
)
from hjulet.core.models import County, Term, Vocabulary
from hjulet.core.reference_data import load_geography, load_vocabularies
from hjulet.core.tests.queries import forget_kept
from hjulet.knowledge.import_mappings import load_value_mappings
from hjulet.knowledge.models import ImportValueMapping

pytest_plugins = ["hjulet.core.tests.browser_fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Geography and vocabularies once per session, as every real installation has them."""
    with django_db_blocker.unblock():
        load_geography(with_boundaries=True)
        load_vocabularies()
        load_value_mappings()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: nothing cached by one test shows in another."""
    forget_kept()


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def private_media_root(_media_root, settings):
    """Uploads made by tests go to a temporary MEDIA_ROOT, never into the working copy's."""
    settings.MEDIA_ROOT = _media_root
    return _media_root


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def empty_search_index_after_transactional_tests(request, django_db_blocker):
    """A transactional test ends with Django flushing the models' tables; the search
    index's own tables are not models, so they would keep that test's documents (say, the
    whole demo) and skew every later search. Rebuilt from the emptied tables, it is empty."""
    yield
    if _is_transactional(request):
        from hjulet.knowledge import indexing

        with django_db_blocker.unblock():
            indexing.rebuild_all()


@pytest.fixture(autouse=True)
def empty_rate_limits_after_transactional_tests(request, django_db_blocker):
    """Rate limits are counted in a database table that is not a model's, so the flush
    after a transactional test leaves it; other tests roll their counts back."""
    yield
    if _is_transactional(request):
        with django_db_blocker.unblock():
            caches["ratelimit"].clear()


@pytest.fixture
def reference_data(db):
    """For transactional tests, which start from an empty database (or one that an earlier
    transactional test left with only some of the reference data)."""
    if not County.objects.exists():
        load_geography(with_boundaries=True)
    if not Term.objects.exists():
        load_vocabularies()
    if not ImportValueMapping.objects.exists():
        load_value_mappings()


# --- personas -------------------------------------------------------------------------


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Fritidsbanken Umeå", municipality_id="2480")


@pytest.fixture
def org_admin(organisation):
    return person_in(
        organisation, MembershipRole.ADMIN, email="orgadmin@exempel.se", name="Olle Orgadmin"
    )


@pytest.fixture
def member(organisation, org_admin):
    return person_in(
        organisation, MembershipRole.MEMBER, email="medlem@exempel.se", name="Maja Medlem"
    )


#: The organisation the personas' initiatives name as a partner (it accepted).
PARTNER_ORGANISATION = "Studieförbundet Ordkraft"


@pytest.fixture
def partner_organisation(db):
    """A partner of the personas' organisation's initiatives (``permission_world`` links
    them): its people may read the initiatives' unpublished follow-up, not edit it."""
    return OrganisationFactory(
        name=PARTNER_ORGANISATION,
        municipality_id="2480",
        sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code="akademi"),
    )


@pytest.fixture
def partner_admin(partner_organisation):
    return person_in(
        partner_organisation,
        MembershipRole.ADMIN,
        email="partneradmin@exempel.se",
        name="Petra Partneradmin",
    )


@pytest.fixture
def partner_member(partner_organisation, partner_admin):
    return person_in(
        partner_organisation,
        MembershipRole.MEMBER,
        email="partnermedlem@exempel.se",
        name="Pelle Partnermedlem",
    )


@pytest.fixture
def editor(partner_organisation, partner_admin):
    """A member of the partner organisation whom the lead's administrator names editor of
    the initiatives ``permission_world`` builds."""
    return person_in(
        partner_organisation,
        MembershipRole.MEMBER,
        email="redaktor@exempel.se",
        name="Rut Redaktör",
    )


@pytest.fixture
def coordinator(db):
    return grant(
        UserFactory(email="koordinator@exempel.se", name="Kim Koordinator"), Role.COORDINATOR
    )


@pytest.fixture
def moderator(db):
    return grant(UserFactory(email="moderator@exempel.se"), Role.MODERATOR)


@pytest.fixture
def researcher(db):
    return grant(UserFactory(email="forskare@exempel.se"), Role.RESEARCHER)


@pytest.fixture
def resident(db):
    """Joined with just an e-mail address: no password, no organisation."""
    return UserFactory(email="invanare@exempel.se", name="Ida Invånare", password=None)


@pytest.fixture
def admin_user(db):
    return grant(UserFactory(email="admin@exempel.se"), Role.ADMIN)


@pytest.fixture
def north_hub(db):
    """The regional hub of Norrbotten and Västerbotten (the personas' organisation is in
    Umeå, inside it)."""
    from hjulet.regions.tests.factories import make_hub

    return make_hub("Norrnoden", "norr", counties=["25", "24"])


@pytest.fixture
def skane_hub(db):
    from hjulet.regions.tests.factories import make_hub

    return make_hub("Skånenoden", "skane", counties=["12"])


@pytest.fixture
def hub_north(north_hub):
    """Coordinator of the northern hub: coordinator rights in Norrbotten and Västerbotten."""
    from hjulet.regions.tests.factories import hub_person

    return hub_person(north_hub, UserFactory(email="nod.norr@exempel.se", name="Nils Norrnod"))


@pytest.fixture
def hub_skane(skane_hub):
    """Coordinator of the Skåne hub: no rights in the north."""
    from hjulet.regions.tests.factories import hub_person

    return hub_person(skane_hub, UserFactory(email="nod.skane@exempel.se", name="Sanna Skånenod"))


@pytest.fixture
def outsider(db):
    """Signed in, but member of no organisation and with no role."""
    return UserFactory(email="utomstaende@exempel.se")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user():
    """as_user(user) → a test client logged in as that user (None: anonymous)."""
    return client_for


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what services schedule for after commit (e-mail), as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
