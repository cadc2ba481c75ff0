"""The science shop's questions and the survey with its responses."""

import datetime
from collections import defaultdict

from .base import BATCH, SPAN, START, FillerBase


class Research(FillerBase):
    def science_shop(self) -> None:
        from hjulet.scienceshop.models import (
            Assignment,
            AssignmentKind,
            EventKind,
            Outcome,
            OutcomeKind,
            Question,
            QuestionEvent,
            QuestionFormulation,
        )
        from hjulet.scienceshop.workflow import Status

        n, rng, text = self.n, self.rng, self.text
        weights = {
            Status.SUBMITTED: 10,
            Status.IN_DIALOGUE: 10,
            Status.ACCEPTED: 8,
            Status.REFERRED: 5,
            Status.ADVISED: 5,
            Status.DECLINED: 5,
            Status.MATCHED: 10,
            Status.IN_PROGRESS: 15,
            Status.PUBLISHED: 20,
            Status.RESEARCH_PROJECT: 5,
            Status.CLOSED: 7,
        }
        assigned = {Status.MATCHED, Status.IN_PROGRESS, Status.PUBLISHED, Status.RESEARCH_PROJECT}
        rows: dict = defaultdict(list)
        researchers = self.researchers or [1]
        for pk in range(1, n["questions"] + 1):
            organisation = rng.randint(1, n["organisations"])
            asker = self.member_of(organisation)
            topics = text.content_words(3)
            title = text.text(rng.randint(5, 11), topics)
            status = rng.choices(list(weights), weights=list(weights.values()))[0]
            at = self.created(pk, n["questions"])
            wanted_knowledge = text.body(rng.randint(20, 50), topics)
            rows[Question].append(
                Question(
                    pk=pk,
                    organisation_id=organisation,
                    submitted_by_id=asker,
                    title=title[:200] + "?",
                    background=text.body(rng.randint(40, 90), topics),
                    wanted_knowledge=wanted_knowledge,
                    intended_use=text.body(rng.randint(20, 50), topics),
                    non_commercial=True,
                    results_may_be_public=True,
                    lacks_means=rng.random() < 0.95,
                    status=status,
                    status_changed_at=at + datetime.timedelta(days=rng.randint(0, 120)),
                    created_at=at,
                )
            )
            self.tags(Question, "question", pk, rows, fields=["challenges"])
            rows[QuestionFormulation].append(
                QuestionFormulation(
                    question_id=pk, number=1, text=wanted_knowledge, author_id=asker, created_at=at
                )
            )
            rows[QuestionEvent].append(
                QuestionEvent(
                    question_id=pk,
                    kind=EventKind.STATUS,
                    actor_id=asker,
                    to_status=Status.SUBMITTED,
                    created_at=at,
                )
            )
            if status in assigned:
                rows[Assignment].append(
                    Assignment(
                        question_id=pk,
                        kind=AssignmentKind.RESEARCHER,
                        researcher_id=rng.choice(researchers),
                        created_by_id=1,
                        created_at=at + datetime.timedelta(days=30),
                    )
                )
            if status == Status.PUBLISHED:
                rows[Outcome].append(
                    Outcome(
                        question_id=pk,
                        kind=OutcomeKind.SUMMARY,
                        title=title[:200],
                        summary=text.body(rng.randint(80, 160), topics),
                        created_by_id=1,
                        published_at=at + datetime.timedelta(days=rng.randint(120, 400)),
                    )
                )
            if pk % BATCH == 0:
                self.save(rows)
        self.save(rows)
        # Knowledge summaries are tagged with their question's challenges.
        through = Outcome.challenges.through
        outcomes = dict(Outcome.objects.values_list("question_id", "pk"))
        question_tags = Question.challenges.through.objects.filter(question_id__in=list(outcomes))
        rows[through] = [
            through(outcome_id=outcomes[q], term_id=t)
            for q, t in question_tags.values_list("question_id", "term_id")
        ]
        self.save(rows)
        self.progress(f"{n['questions']:,} science-shop questions")

    def survey(self, only_survey: bool = False) -> None:
        import survey_analysis

        from hjulet.surveys.models import Choice, Question, Response, Survey

        n = self.n
        rows: dict = defaultdict(list)
        survey = Survey.objects.create(
            pk=1,
            organisation_id=1,
            title="Medlemsenkät 2026: civilsamhällets villkor",
            slug="medlemsenkat-2026",
            description="Hur har din organisation det? Svaren blir en rapport till alla.",
            status="open",
            created_by_id=1,
        )
        specs = survey_analysis.specs()
        for position, (name, kind, options) in enumerate(specs, start=1):
            label = {
                "select_one": "Vilket alternativ stämmer bäst för er verksamhet?",
                "likert": "Hur väl stämmer påståendet för er organisation?",
                "select_multiple": "Vilka av följande har ni arbetat med det senaste året?",
                "integer": "Hur många aktiva medlemmar har ni?",
                "decimal": "Hur stor andel av budgeten kommer från bidrag (procent)?",
                "text": "Vad skulle göra störst skillnad för er verksamhet?",
            }[kind]
            question = Question(
                pk=position, survey=survey, position=position, name=name, type=kind,
                label_sv=f"{position}. {label}",
            )  # fmt: skip
            rows[Question].append(question)
            for index, option in enumerate(options, start=1):
                rows[Choice].append(
                    Choice(
                        question_id=position,
                        position=index,
                        name=option,
                        label_sv=f"Alternativ {option}",
                    )
                )
        self.save(rows)
        answers, counties, sectors = survey_analysis.generate(n["responses"], specs)
        organisations = list(range(1, (1 if only_survey else n["organisations"]) + 1))
        for pk, (answer, county, sector) in enumerate(
            zip(answers, counties, sectors, strict=True), start=1
        ):
            at = START + SPAN * (pk / n["responses"])
            rows[Response].append(
                Response(
                    pk=pk,
                    survey=survey,
                    organisation_id=organisations[pk % len(organisations)],
                    county_code=county,
                    sector_code=sector,
                    answers=answer,
                    started_at=at,
                    submitted_at=at + datetime.timedelta(minutes=12),
                )
            )
            if pk % (BATCH * 5) == 0:
                self.save(rows)
        self.save(rows)
        self.progress(f"a survey of {len(specs)} questions, {n['responses']:,} responses")
