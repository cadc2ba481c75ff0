"""Arenas (challenges, ideas, events) and support (structures, calls, advice requests)."""

import datetime
from collections import defaultdict

from .base import BATCH, TODAY, FillerBase, _some


class Participation(FillerBase):
    def arenas(self) -> None:
        from hjulet.arenas.models import (
            Arena,
            ArenaOrganisation,
            ArenaRole,
            Challenge,
            Comment,
            Event,
            EventKind,
            Idea,
            Support,
        )

        n, rng, text = self.n, self.rng, self.text
        rows: dict = defaultdict(list)
        for pk in range(1, n["arenas"] + 1):
            municipality = rng.choice(self.municipality_codes)
            name = f"Samverkansarena {self.municipality_names[municipality]} {pk}"
            rows[Arena].append(
                Arena(
                    pk=pk,
                    name=name,
                    slug=f"{self.slug(name)}",
                    purpose=self.sentence(20, 50),
                    municipality_id=municipality,
                    created_by_id=1,
                    created_at=self.created(pk, n["arenas"]),
                )
            )
            for index, organisation in enumerate(
                _some(rng, range(1, n["organisations"] + 1), 2, 5)
            ):
                rows[ArenaOrganisation].append(
                    ArenaOrganisation(
                        arena_id=pk,
                        organisation_id=organisation,
                        role=ArenaRole.LEAD if index == 0 else ArenaRole.PARTNER,
                    )
                )
        for pk in range(1, n["challenges"] + 1):
            topics = text.content_words(3)
            title = text.text(rng.randint(4, 9), topics)
            ideas_from = TODAY - datetime.timedelta(days=rng.randint(-30, 700))
            rows[Challenge].append(
                Challenge(
                    pk=pk,
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    arena_id=rng.randint(1, n["arenas"]),
                    problem=text.body(rng.randint(40, 90), topics),
                    affected=self.sentence(10, 25, topics),
                    municipality_id=rng.choice(self.municipality_codes),
                    ideas_from=ideas_from,
                    develop_from=ideas_from + datetime.timedelta(days=60),
                    test_from=ideas_from + datetime.timedelta(days=150),
                    evaluate_from=ideas_from + datetime.timedelta(days=300),
                    ends_on=ideas_from + datetime.timedelta(days=400),
                    is_open=rng.random() < 0.7,
                    created_by_id=1,
                    created_at=self.created(pk, n["challenges"]),
                )
            )
            self.tags(Challenge, "challenge", pk, rows, fields=["challenges", "sdgs"])
            rows[Event].append(
                Event(
                    challenge_id=pk,
                    kind=rng.choice([EventKind.WORKSHOP, EventKind.HACKATHON]),
                    title=f"Workshop: {title[:180]}",
                    starts_at=datetime.datetime.combine(
                        ideas_from + datetime.timedelta(days=20),
                        datetime.time(17, 30),
                        tzinfo=datetime.UTC,
                    ),
                    place="Medborgarhuset",
                    capacity=rng.choice([20, 40, 80]),
                )
            )
        self.save(rows)
        # Some challenges draw far more ideas than others.
        challenge_ids = list(range(1, n["challenges"] + 1))
        weights = [1.0 / (rank + 3) for rank in range(len(challenge_ids))]
        users = n["users"]
        for pk in range(1, n["ideas"] + 1):
            topics = text.content_words(3)
            author = rng.randint(2, users)
            rows[Idea].append(
                Idea(
                    pk=pk,
                    challenge_id=rng.choices(challenge_ids, weights=weights)[0],
                    author_id=author,
                    title=text.text(rng.randint(4, 10), topics)[:200],
                    body=text.body(rng.randint(30, 90), topics),
                    created_at=self.created(pk, n["ideas"]),
                )
            )
            for user in {rng.randint(1, users) for _ in range(rng.choice([0, 1, 2, 2, 5]))}:
                rows[Support].append(Support(idea_id=pk, user_id=user))
            if rng.random() < 0.5:
                rows[Comment].append(
                    Comment(idea_id=pk, author_id=rng.randint(2, users), body=self.sentence(8, 30))
                )
            if pk % BATCH == 0:
                self.save(rows)
        self.save(rows)
        self.progress(
            f"{n['arenas']:,} arenas, {n['challenges']:,} challenges, {n['ideas']:,} ideas"
        )

    def support(self) -> None:
        from hjulet.support.models import (
            AdviceRequest,
            FundingCall,
            Scope,
            Service,
            SupportStructure,
        )

        n, rng, text = self.n, self.rng, self.text
        rows: dict = defaultdict(list)
        scopes = [Scope.NATIONAL] + [Scope.COUNTY] * 2 + [Scope.MUNICIPALITY] * 2

        def area(model, owner: str, pk: int, scope: str) -> None:
            if scope == Scope.COUNTY:
                for county in _some(rng, self.counties, 1, 2):
                    through = model.counties.through
                    rows[through].append(through(**{f"{owner}_id": pk, "county_id": county}))
            elif scope == Scope.MUNICIPALITY:
                for code in _some(rng, self.municipality_codes, 1, 3):
                    through = model.municipalities.through
                    rows[through].append(through(**{f"{owner}_id": pk, "municipality_id": code}))

        # The first organisations are the support structures (one entry each).
        for pk in range(1, n["structures"] + 1):
            scope = rng.choice(scopes)
            offers = {f"offers_{s}": rng.random() < 0.4 for s in Service.values}
            offers[f"offers_{rng.choice(Service.values)}"] = True
            rows[SupportStructure].append(
                SupportStructure(
                    pk=pk,
                    organisation_id=pk,
                    scope=scope,
                    summary=self.sentence(10, 30)[:400],
                    description=text.body(rng.randint(30, 80), text.content_words(3)),
                    for_ideburen=rng.random() < 0.8,
                    for_public=rng.random() < 0.4,
                    for_private=rng.random() < 0.2,
                    for_residents=rng.random() < 0.3,
                    contact_email=f"stod{pk}@exempel.se",
                    created_at=self.created(pk, n["structures"]),
                    **offers,
                )
            )
            area(SupportStructure, "supportstructure", pk, scope)
        for pk in range(1, n["calls"] + 1):
            scope = rng.choice(scopes)
            title = "Utlysning: " + text.text(rng.randint(3, 7), text.content_words(3))
            opens = TODAY - datetime.timedelta(days=rng.randint(-60, 500))
            low = rng.choice([None, 10_000, 50_000, 100_000])
            rows[FundingCall].append(
                FundingCall(
                    pk=pk,
                    funder_id=rng.randint(1, n["organisations"]),
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    scope=scope,
                    eligibility=self.sentence(15, 40),
                    amount_min=low,
                    amount_max=(low or 20_000) * rng.choice([2, 5, 10]),
                    opens_on=opens,
                    deadline=opens + datetime.timedelta(days=rng.randint(20, 120)),
                    for_ideburen=True,
                    for_public=rng.random() < 0.3,
                    created_at=self.created(pk, n["calls"]),
                )
            )
            self.tags(FundingCall, "fundingcall", pk, rows, fields=["challenges"])
            area(FundingCall, "fundingcall", pk, scope)
        for pk in range(1, n["advice_requests"] + 1):
            status = rng.choice(["new", "in_progress", "closed", "closed"])
            at = self.created(pk, n["advice_requests"])
            rows[AdviceRequest].append(
                AdviceRequest(
                    pk=pk,
                    asker_id=rng.randint(2, n["users"]),
                    title=text.text(rng.randint(3, 8), text.content_words(3))[:200],
                    description=text.body(rng.randint(30, 70), text.content_words(3)),
                    municipality_id=rng.choice(self.municipality_codes),
                    needs=_some(rng, Service.values, 1, 3),
                    status=status,
                    to_coordinators=rng.random() < 0.2,
                    closed_at=at + datetime.timedelta(days=rng.randint(1, 60))
                    if status == "closed"
                    else None,
                    outcome="advice_given" if status == "closed" else "",
                    created_at=at,
                )
            )
            through = AdviceRequest.routed_to.through
            for structure in _some(rng, range(1, n["structures"] + 1), 0, 2):
                rows[through].append(through(advicerequest_id=pk, supportstructure_id=structure))
        self.save(rows)
        self.progress(
            f"{n['structures']:,} support structures, {n['calls']:,} calls, "
            f"{n['advice_requests']:,} advice requests"
        )
