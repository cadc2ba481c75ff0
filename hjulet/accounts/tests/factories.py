import factory
from django.utils import timezone
from django.utils.text import slugify

from hjulet.accounts.models import Membership, MembershipRole, Organisation, RoleGrant, User
from hjulet.core.models import Term, Vocabulary
from hjulet.lib.emails import canonical_email
from hjulet.lib.orgnr import with_check_digit

PASSWORD = "ett-bra-losenord-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user with PASSWORD; ``password=None`` gives one without a password."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@exempel.se")
    email_canonical = factory.LazyAttribute(lambda user: canonical_email(user.email))
    name = factory.Faker("name", locale="sv_SE")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Föreningen nummer {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    org_number = factory.Sequence(lambda n: with_check_digit(f"802{n:06d}"))
    sector = factory.LazyFunction(
        lambda: Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code="ideburen")
    )
    municipality_id = "2480"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER


def grant(user: User, role: str) -> User:
    """Give a platform role and return a fresh copy (roles are cached per instance)."""
    RoleGrant.objects.create(user=user, role=role)
    return User.objects.get(pk=user.pk)


def person_in(organisation: Organisation, role: str = MembershipRole.MEMBER, **user_fields) -> User:
    """A new account (``user_fields`` as for ``UserFactory``) with a membership of
    ``organisation`` in ``role``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def organisation_admin(
    email: str, organisation: str, municipality_id: str = "2480", **user_fields
) -> tuple[User, Organisation]:
    """A new account (``email``, with ``user_fields``) and the new organisation named
    ``organisation`` in ``municipality_id`` that it administers."""
    made = OrganisationFactory(name=organisation, municipality_id=municipality_id)
    return person_in(made, MembershipRole.ADMIN, email=email, **user_fields), made
