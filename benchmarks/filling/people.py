"""People, their research profiles, organisations and memberships."""

from collections import defaultdict

from .base import (
    FIRST_NAMES,
    LAST_NAMES,
    ORGANISATION_KINDS,
    RESEARCHERS,
    SECTOR_WEIGHTS,
    UNIVERSITIES,
    FillerBase,
    _capitalised,
)


class People(FillerBase):
    def people(self) -> None:
        from hjulet.accounts.models import Membership, Organisation, Role, RoleGrant, User
        from hjulet.core.models import Vocabulary
        from hjulet.scienceshop.models import ResearcherProfile

        n, rng = self.n, self.rng
        rows: dict = defaultdict(list)
        for pk in range(1, n["users"] + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = "samordnare@exempel.se" if pk == 1 else f"person{pk}@exempel.se"
            rows[User].append(
                User(
                    pk=pk,
                    email=email,
                    email_canonical=email,  # already canonical: ASCII, lower case
                    name=f"{first} {last}",
                    password="!",  # no password: nobody signs in to a scratch database
                    email_verified_at=self.created(pk, n["users"]),
                    date_joined=self.created(pk, n["users"]),
                )
            )
        rows[RoleGrant].append(RoleGrant(user_id=1, role=Role.COORDINATOR))
        self.researchers = list(range(2, min(n["users"], RESEARCHERS + 1) + 1))
        for pk in self.researchers:
            rows[RoleGrant].append(RoleGrant(user_id=pk, role=Role.RESEARCHER))
            topics = self.text.content_words(3)
            rows[ResearcherProfile].append(
                ResearcherProfile(
                    user_id=pk,
                    university=rng.choice(UNIVERSITIES),
                    department="Institutionen för " + " ".join(self.text.content_words(1)),
                    expertise=self.sentence(10, 30, topics),
                )
            )
        self.save(rows)

        sector_ids, sector_weights = self.weighted(SECTOR_WEIGHTS, Vocabulary.SECTOR)
        self.organisation_county = {}
        for pk in range(1, n["organisations"] + 1):
            municipality = rng.choice(self.municipality_codes)
            words = self.text.content_words(rng.randint(1, 2))
            kind = rng.choice(ORGANISATION_KINDS)
            name = f"{_capitalised(' '.join(words))} {kind} {self.municipality_names[municipality]}"
            self.organisation_county[pk] = self.county_of[municipality]
            rows[Organisation].append(
                Organisation(
                    pk=pk,
                    name=name[:200],
                    slug=f"{self.slug(name)}-{pk}",
                    sector_id=rng.choices(sector_ids, weights=sector_weights)[0],
                    municipality_id=municipality,
                    email=f"info@org{pk}.exempel.se" if rng.random() < 0.6 else "",
                    description=self.sentence(10, 30, words),
                    created_at=self.created(pk, n["organisations"]),
                )
            )
        self.organisation_sector = {o.pk: o.sector_id for o in rows[Organisation]}
        # Members: every person but the coordinator belongs to one organisation, some to two.
        self.members: dict[int, list[int]] = defaultdict(list)
        for user_id in range(2, n["users"] + 1):
            joins = 1 + (rng.random() < 0.2)
            for organisation_id in {rng.randint(1, n["organisations"]) for _ in range(joins)}:
                self.members[organisation_id].append(user_id)
                rows[Membership].append(
                    Membership(
                        user_id=user_id,
                        organisation_id=organisation_id,
                        role="admin" if len(self.members[organisation_id]) == 1 else "member",
                    )
                )
        self.save(rows)
        self.progress(f"{n['users']:,} people, {n['organisations']:,} organisations")
