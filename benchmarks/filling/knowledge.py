"""The knowledge bank (methods, initiatives, adaptations) and impact follow-ups."""

import datetime
from collections import defaultdict

from .base import BATCH, SPAN, STAGE_WEIGHTS, START, TODAY, FillerBase, _some


class Knowledge(FillerBase):
    def knowledge(self) -> None:
        from hjulet.core.models import Vocabulary
        from hjulet.knowledge.models import (
            Adaptation,
            Initiative,
            Method,
            PartnerRole,
            Partnership,
            PartnershipStatus,
        )

        n, rng, text = self.n, self.rng, self.text
        rows: dict = defaultdict(list)
        for pk in range(1, n["methods"] + 1):
            topics = text.content_words(3)
            title = text.text(rng.randint(2, 6), topics)
            rows[Method].append(
                Method(
                    pk=pk,
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    summary=(text.text(rng.randint(12, 30), topics) + ".")[:400],
                    what=text.body(rng.randint(60, 120), topics),
                    how=text.body(rng.randint(40, 90), topics),
                    why=text.body(rng.randint(20, 50), topics),
                    requirements=text.text(rng.randint(8, 25), topics) + ".",
                    evidence=text.body(rng.randint(20, 40), topics) if rng.random() < 0.3 else "",
                    is_reviewed=rng.random() < 0.5,
                    is_featured=rng.random() < 0.02,
                    created_at=self.created(pk, n["methods"]),
                )
            )
            self.tags(Method, "method", pk, rows)
            for organisation_id in _some(rng, range(1, n["organisations"] + 1), 0, 2):
                rows[Method.organisations.through].append(
                    Method.organisations.through(method_id=pk, organisation_id=organisation_id)
                )
        self.save(rows)
        method_ids = list(range(1, n["methods"] + 1))
        # Some methods are used far more than others.
        method_weights = [1.0 / (rank + 10) for rank in range(len(method_ids))]

        stage_ids, stage_weights = self.weighted(STAGE_WEIGHTS, Vocabulary.STAGE)
        last_stage = self.terms[Vocabulary.STAGE][-1][1]
        count = n["initiatives"]
        self.initiative_municipality: dict[int, str] = {}
        for pk in range(1, count + 1):
            topics = text.content_words(3)
            title = text.text(rng.randint(5, 11), topics)
            codes = self.municipality_codes
            municipality = codes[pk - 1] if pk <= len(codes) else rng.choice(codes)
            self.initiative_municipality[pk] = municipality
            stage_id = rng.choices(stage_ids, weights=stage_weights)[0]
            at = self.created(pk, count)
            start = (at - datetime.timedelta(days=rng.randint(0, 400))).date()
            has_start = rng.random() < 0.8
            ended = has_start and stage_id == last_stage
            rows[Initiative].append(
                Initiative(
                    pk=pk,
                    title=title[:200],
                    slug=f"{self.slug(title)}-{pk}",
                    summary=(text.text(rng.randint(15, 35), topics) + ".")[:400],
                    description=text.body(rng.randint(120, 180), topics),
                    results=text.body(rng.randint(15, 40), topics) if rng.random() < 0.4 else "",
                    evidence=text.body(rng.randint(10, 30), topics) if rng.random() < 0.15 else "",
                    municipality_id=municipality,
                    stage_id=stage_id,
                    start_date=start if has_start else None,
                    end_date=start + datetime.timedelta(days=rng.randint(30, 700))
                    if ended
                    else None,
                    participants_reached=rng.randint(5, 5000) if rng.random() < 0.5 else None,
                    is_reviewed=rng.random() < 0.3,
                    is_featured=rng.random() < 0.01,
                    created_at=at,
                )
            )
            self.tags(Initiative, "initiative", pk, rows)
            for method_id in sorted(
                set(rng.choices(method_ids, weights=method_weights, k=rng.randint(0, 2)))
            ):
                rows[Initiative.methods.through].append(
                    Initiative.methods.through(initiative_id=pk, method_id=method_id)
                )
            lead = rng.randint(1, n["organisations"])
            rows[Partnership].append(
                Partnership(
                    initiative_id=pk,
                    organisation_id=lead,
                    role=PartnerRole.LEAD,
                    status=PartnershipStatus.ACCEPTED,
                )
            )
            if rng.random() < 0.3:
                partner = rng.randint(1, n["organisations"])
                if partner != lead:
                    rows[Partnership].append(
                        Partnership(
                            initiative_id=pk,
                            organisation_id=partner,
                            role=PartnerRole.PARTNER,
                            status=PartnershipStatus.ACCEPTED,
                        )
                    )
            if pk % BATCH == 0 or pk == count:
                self.save(rows)
            if pk % 20_000 == 0 or pk == count:
                self.progress(f"{pk:,} initiatives")

        seen: set[tuple[int, str, int]] = set()
        made = 0
        while made < n["adaptations"]:
            initiative = rng.randint(1, count)
            if rng.random() < 0.6:
                source = ("method", rng.choices(method_ids, weights=method_weights)[0])
            else:
                source = ("initiative", rng.randint(1, count))
                if source[1] == initiative:
                    continue
            if (initiative, *source) in seen:
                continue
            seen.add((initiative, *source))
            made += 1
            topics = text.content_words(3)
            rows[Adaptation].append(
                Adaptation(
                    initiative_id=initiative,
                    source_method_id=source[1] if source[0] == "method" else None,
                    source_initiative_id=source[1] if source[0] == "initiative" else None,
                    what_changed=self.sentence(10, 40, topics),
                    why=self.sentence(5, 20, topics) if rng.random() < 0.6 else "",
                    created_at=self.created(made, n["adaptations"]),
                )
            )
            if made % BATCH == 0:
                self.save(rows)
        self.save(rows)
        self.progress(f"{n['methods']:,} methods, {n['adaptations']:,} adaptations")

    def impact(self) -> None:
        from decimal import Decimal

        from hjulet.impact.models import ImpactReport, Indicator, Measurement

        n, rng = self.n, self.rng
        rows: dict = defaultdict(list)
        followed = sorted(rng.sample(range(1, n["initiatives"] + 1), n["followed_up"]))
        step = max(1, len(followed) // n["impact_reports"])
        reported = set(followed[::step][: n["impact_reports"]])
        indicator_id = 0
        for initiative in followed:
            for name in ("Antal deltagare", "Andel som fått arbete"):
                indicator_id += 1
                baseline = Decimal(rng.randint(0, 50))
                start = TODAY - datetime.timedelta(days=rng.randint(400, 1500))
                rows[Indicator].append(
                    Indicator(
                        pk=indicator_id,
                        initiative_id=initiative,
                        name=name,
                        baseline_value=baseline,
                        baseline_date=start,
                        target_value=baseline + rng.randint(10, 200),
                        target_date=start + datetime.timedelta(days=rng.randint(365, 1100)),
                        data_source="Närvarolistor och uppföljningssamtal",
                    )
                )
                for step in range(1, 5):
                    rows[Measurement].append(
                        Measurement(
                            indicator_id=indicator_id,
                            value=baseline + rng.randint(0, 60) * step,
                            date=start + datetime.timedelta(days=90 * step),
                        )
                    )
            if initiative in reported:
                topics = self.text.content_words(3)
                rows[ImpactReport].append(
                    ImpactReport(
                        initiative_id=initiative,
                        what=self.sentence(15, 40, topics),
                        who=self.sentence(10, 30, topics),
                        how_much=self.sentence(10, 30, topics),
                        risk=self.sentence(8, 20, topics),
                        is_published=True,
                        published_at=START + SPAN * rng.random(),
                    )
                )
            if len(rows[Measurement]) >= BATCH * 4:
                self.save(rows)
        self.save(rows)
        self.progress(f"{indicator_id:,} indicators, {n['impact_reports']:,} impact reports")
