"""The objects the permission matrices act on, built lazily with the apps' own services and
factories. Everything is owned by the persona fixtures' organisation (``conftest.organisation``,
administered by ``org_admin``), so "member" and "org_admin" are the organisation's people and
every other persona is an outsider to it. ``stranger`` is a third person who owns the things
that belong to somebody (ideas, tokens, advice requests)."""

import copy
import datetime
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hjulet.accounts import services as accounts
from hjulet.accounts.models import MembershipRole, Role
from hjulet.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    person_in,
)
from hjulet.arenas import services as arenas
from hjulet.arenas.models import AgreementKind, AgreementStatus, ArenaRole, EventKind
from hjulet.arenas.tests.factories import make_challenge
from hjulet.core.models import Municipality, Vocabulary
from hjulet.impact import services as impact
from hjulet.impact.tests.factories import make_analysis, make_indicator
from hjulet.knowledge.tests.factories import make_initiative, make_method, term
from hjulet.lib.tests.pdfs import pdf
from hjulet.lib.tests.pictures import png
from hjulet.scienceshop.models import AssignmentKind
from hjulet.scienceshop.tests.factories import (
    assign_directly,
    in_status,
    researcher_with_profile,
    submit,
)
from hjulet.scienceshop.workflow import Status
from hjulet.support import services as support
from hjulet.support.tests.factories import make_call
from hjulet.surveys import services as surveys
from hjulet.surveys.models import QuestionType
from hjulet.surveys.tests.factories import make_survey

UMEA = "2480"
PARTNER_ORGANISATION = "Studieförbundet Ordkraft"  # conftest.PARTNER_ORGANISATION
EDITOR_EMAIL = "redaktor@exempel.se"  # conftest's ``editor`` persona


class World:
    def __init__(self, organisation: Any, org_admin: Any) -> None:
        self.org = organisation
        self.org_admin = org_admin

    # --- people and places ---------------------------------------------------------------

    @cached_property
    def umea(self) -> Municipality:
        return Municipality.objects.get(code=UMEA)

    @cached_property
    def hub(self) -> Any:
        """A hub of its own (Stockholm), apart from the hub personas'."""
        from hjulet.regions.tests.factories import make_hub

        return make_hub("Testnoden", "testnoden", counties=["01"])

    @cached_property
    def hub_person(self) -> Any:
        from hjulet.regions.models import HubPerson, HubRole

        return HubPerson.objects.create(hub=self.hub, user=self.stranger, role=HubRole.ADVISER)

    @cached_property
    def stranger(self) -> Any:
        return UserFactory(email="framling@exempel.se", name="Frida Främling")

    @cached_property
    def other_org(self) -> Any:
        return OrganisationFactory(name="Annan förening")

    @cached_property
    def platform_admin(self) -> Any:
        from hjulet.accounts.tests.factories import grant

        return grant(UserFactory(email="varldsadmin@exempel.se"), Role.ADMIN)

    @cached_property
    def membership(self) -> Any:
        """A plain member (not one of the personas) of the organisation."""
        return MembershipFactory(
            user=UserFactory(email="tredje@exempel.se"),
            organisation=self.org,
            role=MembershipRole.MEMBER,
        )

    @cached_property
    def stranger_token(self) -> Any:
        return accounts.api_token_create(actor=self.stranger, name="Främlingens nyckel")[0]

    @cached_property
    def other_org_admin(self) -> Any:
        return person_in(self.other_org, MembershipRole.ADMIN, email="bjuder-in@exempel.se")

    def invitation_for(self, email: str) -> str:
        """The link secret of an invitation to another organisation for ``email``."""
        invitation = accounts.invitation_create(
            actor=self.other_org_admin, organisation=self.other_org, email=email
        )
        return invitation.link_secret

    @cached_property
    def invitation_secret(self) -> str:
        """An invitation to another organisation for an address no persona has."""
        return self.invitation_for("inbjuden@exempel.se")

    # --- knowledge and impact ------------------------------------------------------------

    @cached_property
    def partner_org(self) -> Any:
        """The conftest ``partner_organisation`` (made here when no persona needs it)."""
        from hjulet.accounts.models import Organisation

        found = Organisation.objects.filter(name=PARTNER_ORGANISATION).first()
        return found or OrganisationFactory(name=PARTNER_ORGANISATION)

    @cached_property
    def initiative(self) -> Any:
        """Led by the organisation; the partner organisation accepted to be a partner, and
        the ``editor`` persona (when there is one) is named editor."""
        from hjulet.accounts.models import User
        from hjulet.knowledge import services as knowledge

        initiative = make_initiative(self.org_admin, lead=self.org)
        partnership = knowledge.partnership_set(
            actor=self.org_admin,
            initiative=initiative,
            organisation=self.partner_org,
            role="partner",
        )
        knowledge.partnership_accept(actor=self.platform_admin, partnership=partnership)
        editor = User.objects.filter(email=EDITOR_EMAIL).first()
        if editor is not None:
            knowledge.initiative_editor_add(
                actor=self.org_admin, initiative=initiative, user=editor
            )
        return initiative

    @cached_property
    def partner_request(self) -> Any:
        """Another organisation's initiative asks the partner organisation (pending)."""
        from hjulet.knowledge import services as knowledge

        return knowledge.partnership_set(
            actor=self.other_initiative.created_by,
            initiative=self.other_initiative,
            organisation=self.partner_org,
            role="partner",
        )

    @cached_property
    def accepted_partnership(self) -> Any:
        return self.initiative.partnerships.get(organisation=self.partner_org)

    @cached_property
    def named_editor(self) -> Any:
        """A plain member of the organisation named editor of the initiative."""
        from hjulet.knowledge import services as knowledge

        return knowledge.initiative_editor_add(
            actor=self.org_admin, initiative=self.initiative, user=self.membership.user
        )

    @cached_property
    def other_initiative(self) -> Any:
        admin = person_in(self.other_org, MembershipRole.ADMIN, email="annan-admin@exempel.se")
        return make_initiative(admin, lead=self.other_org, title="Annan läxhjälp")

    @cached_property
    def method(self) -> Any:
        return make_method(self.org_admin, organisations=[self.org])

    @cached_property
    def partnership(self) -> Any:
        from hjulet.knowledge import services as knowledge

        return knowledge.partnership_set(
            actor=self.org_admin,
            initiative=self.initiative,
            organisation=self.other_org,
            role="partner",
        )

    @cached_property
    def adaptation(self) -> Any:
        from hjulet.knowledge import services as knowledge

        return knowledge.adaptation_create(
            actor=self.org_admin,
            initiative=self.initiative,
            what_changed="Kvällar i stället för helger.",
            why="Fler kan komma.",
            source_method=self.method,
        )

    # --- spreading ------------------------------------------------------------------------

    @cached_property
    def spread_plan(self) -> Any:
        """The organisation's plan for spreading its method; the org's administrator owns it."""
        from hjulet.spreading import services as spreading

        return spreading.plan_create(
            actor=self.org_admin,
            method=self.method,
            title="Fyra nya orter",
            goal="Fler bostadsområden har läxhjälp.",
            target_places=4,
            target_year=timezone.localdate().year + 2,
        )

    @cached_property
    def plan_step(self) -> Any:
        from hjulet.spreading import services as spreading

        return spreading.step_create(
            actor=self.org_admin, plan=self.spread_plan, title="Bjud in bostadsbolagen"
        )

    def _stranger_adapts(self, code: str) -> Any:
        from hjulet.spreading import services as spreading

        draft = spreading.draft_create(
            actor=self.stranger,
            source_method=self.method,
            municipality=Municipality.objects.get(code=code),
        )
        return spreading.draft_update(
            actor=self.stranger, draft=draft, what_to_change="På lördagar i stället."
        )

    @cached_property
    def adaptation_draft(self) -> Any:
        """The stranger adapts the organisation's method to Göteborg: a draft, which the
        organisation's administrator (the method's team) reads and talks about."""
        return self._stranger_adapts("1480")

    @cached_property
    def published_adaptation(self) -> Any:
        from hjulet.spreading import services as spreading

        return spreading.draft_publish(actor=self.stranger, draft=self._stranger_adapts("0180"))

    @cached_property
    def element(self) -> Any:
        return impact.element_create(
            actor=self.org_admin,
            initiative=self.initiative,
            kind="short_term",
            title="Fler klarar skolan",
        )

    @cached_property
    def indicator(self) -> Any:
        return make_indicator(self.org_admin, self.initiative)

    @cached_property
    def measurement(self) -> Any:
        return impact.measurement_create(
            actor=self.org_admin,
            indicator=self.indicator,
            value=Decimal(120),
            date=datetime.date(2026, 1, 1),
        )

    @cached_property
    def cycle(self) -> Any:
        return impact.test_cycle_create(
            actor=self.org_admin,
            initiative=self.initiative,
            title="Första testet",
            hypothesis="Fler kommer på kvällar.",
            tried="Läxhjälp på kvällar.",
            with_whom="Tio barn i Ersboda.",
            started_on=datetime.date(2026, 1, 1),
        )

    @cached_property
    def analysis(self) -> Any:
        return make_analysis(self.org_admin, self.initiative)

    # --- arenas --------------------------------------------------------------------------

    @cached_property
    def arena(self) -> Any:
        return arenas.arena_create(
            actor=self.org_admin,
            name="Ersbodaarenan",
            purpose="Tillsammans för unga.",
            municipality=self.umea,
            organisations=[(self.org, ArenaRole.LEAD), (self.other_org, ArenaRole.PARTNER)],
        )

    @cached_property
    def agreement(self) -> Any:
        """A draft (so not public) between the organisation and the other one, with its PDF."""
        return arenas.agreement_create(
            actor=self.org_admin,
            arena=self.arena,
            parties=[self.org, self.other_org],
            title="IOP om fritid",
            kind=AgreementKind.IOP,
            purpose="Samverkan om fritid.",
            starts_on=datetime.date(2026, 1, 1),
            status=AgreementStatus.DRAFT,
            document=SimpleUploadedFile("avtal.pdf", pdf(1)),
        )

    @cached_property
    def challenge(self) -> Any:
        return make_challenge(self.org_admin, arena=self.arena)

    @cached_property
    def idea(self) -> Any:
        return arenas.idea_create(
            actor=self.stranger,
            challenge=self.challenge,
            title="Fritidsbank i skolan",
            body="Låna utrustning direkt efter skolan.",
        )

    @cached_property
    def comment(self) -> Any:
        return arenas.comment_create(actor=self.stranger, idea=self.idea, body="Bra idé!")

    @cached_property
    def notification(self) -> Any:
        from hjulet.core.models import Notification

        return Notification.objects.create(user=self.org_admin, text="Ny idé", url="/")

    @cached_property
    def reported_idea(self) -> Any:
        idea = self.idea
        arenas.content_report(actor=self.membership.user, idea=idea, reason="spam")
        return idea

    @cached_property
    def event(self) -> Any:
        return arenas.event_create(
            actor=self.org_admin,
            challenge=self.challenge,
            kind=EventKind.WORKSHOP,
            title="Idéverkstad",
            starts_at=timezone.now() + datetime.timedelta(days=10),
            place="Ersboda folkets hus",
            capacity=20,
        )

    # --- science shop --------------------------------------------------------------------

    @cached_property
    def question(self) -> Any:
        return submit(self.org_admin, self.org)

    def question_in(self, status: str) -> Any:
        return in_status(self.question, status)

    def question_with_assignment(self, status: str) -> Any:
        """In ``status`` with a researcher (not one of the personas) assigned."""
        question = in_status(self.question, status)
        assign_directly(question, researcher_with_profile("tilldelad@exempel.se", "Äldre"))
        return question

    @cached_property
    def meeting(self) -> Any:
        from hjulet.scienceshop import services as scienceshop

        return scienceshop.meeting_create(
            actor=self.platform_admin,
            question=self.question_with_assignment(Status.MATCHED),
            participants="Föreningen och forskaren",
            starts_at=timezone.now() + datetime.timedelta(days=7),
            duration_minutes=60,
            place="Föreningens lokal",
        )

    @cached_property
    def summary(self) -> Any:
        """A published knowledge summary of the organisation's question."""
        from hjulet.scienceshop import services as scienceshop

        return scienceshop.outcome_record(
            actor=self.platform_admin,
            question=self.question_with_assignment(Status.IN_PROGRESS),
            kind="summary",
            title="Så når ni ensamma äldre",
            summary="Personliga inbjudningar fungerar.",
            challenges=[self.challenge_term],
        )

    # --- support -------------------------------------------------------------------------

    @cached_property
    def structure(self) -> Any:
        return support.structure_create(
            actor=self.org_admin,
            organisation=self.org,
            summary="Vi hjälper idéer att växa.",
            contact_email="kontakt@fritidsbanken.se",
            scope="municipality",
            municipalities=[self.umea],
            services=["advice"],
            audiences=["ideburen", "residents"],
        )

    @cached_property
    def other_structure(self) -> Any:
        admin = person_in(self.other_org, MembershipRole.ADMIN, email="annan-struktur@exempel.se")
        return support.structure_create(
            actor=admin,
            organisation=self.other_org,
            summary="Vi hjälper också.",
            contact_email="kontakt@annan.se",
            scope="national",
            services=["advice"],
            audiences=["ideburen", "residents"],
        )

    @cached_property
    def call(self) -> Any:
        return make_call(self.org_admin, self.org)

    @cached_property
    def advice_request(self) -> Any:
        """Asked by the stranger in Umeå; routed to the organisation's support structure."""
        assert self.structure.pk  # exists before the request is routed
        return support.request_create(
            actor=self.stranger,
            title="Hur söker vi pengar?",
            description="Vi vill starta en fritidsbank.",
            municipality=self.umea,
            needs=["advice"],
        )

    # --- surveys -------------------------------------------------------------------------

    @cached_property
    def draft_survey(self) -> Any:
        return make_survey(self.org_admin, self.org, title="Utkast", open_=False)

    @cached_property
    def open_survey(self) -> Any:
        return make_survey(self.org_admin, self.org, title="Öppen enkät")

    def draft_question(self) -> Any:
        """The last question: no other question refers to it."""
        return self.draft_survey.questions.order_by("position").last()

    @cached_property
    def survey_access(self) -> Any:
        return surveys.survey_access_grant(
            actor=self.org_admin, survey=self.open_survey, email="partner@exempel.se"
        )

    @cached_property
    def text_question(self) -> Any:
        return self.open_survey.questions.get(type=QuestionType.TEXT)

    @cached_property
    def response(self) -> Any:
        survey = surveys.survey_set_anonymous_link(
            actor=self.org_admin, survey=self.open_survey, enabled=True
        )
        token = surveys.response_start_anonymous(survey=survey, key=survey.anonymous_key)
        response, _errors = surveys.response_save(
            token=token, raw={"nya": "nej", "hinder": "Tid"}, submit=True
        )
        return response

    @cached_property
    def code(self) -> Any:
        return surveys.code_create(actor=self.org_admin, survey=self.open_survey, label="Tid")

    @cached_property
    def report(self) -> Any:
        return surveys.report_create(actor=self.org_admin, survey=self.open_survey, title="Rapport")

    @cached_property
    def block(self) -> Any:
        return surveys.report_block_add(
            actor=self.org_admin, report=self.report, kind="text", heading="Inledning", text="Hej"
        )

    @cached_property
    def second_block(self) -> Any:
        assert self.block.pk
        return surveys.report_block_add(
            actor=self.org_admin, report=self.report, kind="text", heading="Slutsats", text="Bra"
        )

    @cached_property
    def report_with_block(self) -> Any:
        assert self.block.pk
        return self.report

    @cached_property
    def initiative_with_report(self) -> Any:
        impact.report_update(
            actor=self.org_admin,
            initiative=self.initiative,
            expected_version=None,
            what="Fler barn klarar skolan.",
        )
        return self.initiative

    @cached_property
    def anonymous_survey(self) -> Any:
        return surveys.survey_set_anonymous_link(
            actor=self.org_admin, survey=self.open_survey, enabled=True
        )

    @cached_property
    def answer_token(self) -> str:
        from hjulet.surveys.tests.factories import invite

        return invite(self.org_admin, self.open_survey).token

    @cached_property
    def export_file(self) -> Any:
        """A large export the organisation's administrator asked for, built and ready."""
        from django.core.files.base import ContentFile

        from hjulet.core.models import ExportFile

        export = ExportFile.objects.create(
            user=self.org_admin,
            kind="initiatives",
            format="csv",
            filename="initiativ.csv",
            status=ExportFile.Status.READY,
        )
        export.file.save("initiativ.csv", ContentFile("title\nSpråkcafé\n".encode()))
        return export

    @cached_property
    def import_batch(self) -> Any:
        from hjulet.knowledge.models import ImportBatch

        return ImportBatch.objects.create(
            user=self.org_admin,
            lead=self.org,
            filename="a.csv",
            file_type="csv",
            format="hjulet",
            content=b"",
        )

    @cached_property
    def value_mapping(self) -> Any:
        from hjulet.knowledge.models import ImportValueMapping

        return ImportValueMapping.objects.create(
            source="hjulet",
            vocabulary=Vocabulary.objects.get(slug=Vocabulary.CHALLENGE),
            value="matris",
            key="matris",
        )

    # --- vocabularies ----------------------------------------------------------------------

    def term(self, vocabulary: str, code: str) -> Any:
        return term(vocabulary, code)

    @cached_property
    def challenge_term(self) -> Any:
        return term(Vocabulary.CHALLENGE, "segregation")

    @cached_property
    def picture(self) -> Any:
        """A picture of the organisation's initiative."""
        from hjulet.core import pictures

        return pictures.picture_add(
            actor=self.org_admin,
            target=self.initiative,
            upload=SimpleUploadedFile("bord.png", png()),
            alt_text="Ett bord med kaffekoppar",
        )

    # --- stories, research, suggestions ---------------------------------------------------

    @cached_property
    def story(self) -> Any:
        """A resident's (the stranger's) story about the initiative, waiting for review."""
        from hjulet.stories import services as stories

        return stories.story_create(
            actor=self.stranger,
            title="Grannarna som lagade cyklar",
            text="Varje torsdag på gården.",
            initiatives=[self.initiative],
        )

    @cached_property
    def research_report(self) -> Any:
        """Accompanying research on the initiative, with its PDF."""
        from hjulet.stories import services as stories

        return stories.report_create(
            actor=self.org_admin,
            subject=self.initiative,
            title="Följeforskning om läxhjälpen",
            authors="A. Forskare",
            year=2025,
            findings="Barnen klarade fler prov.",
            document=SimpleUploadedFile("rapport.pdf", pdf(), "application/pdf"),
        )

    @cached_property
    def suggestion(self) -> Any:
        """The stranger's suggestion of an initiative, not yet decided."""
        from hjulet.stories import services as stories

        return stories.suggestion_create(
            actor=self.stranger,
            title="Gårdsfest i Ålidhem",
            summary="Grannar lär känna varandra.",
            municipality=self.umea,
        )

    @cached_property
    def synonym(self) -> Any:
        from hjulet.core.models import SearchSynonym

        return SearchSynonym.objects.create(words="lekplats, lekpark")

    @cached_property
    def assignment_kind(self) -> str:
        return AssignmentKind.RESEARCHER

    statuses = Status


# --- the matrices' rows ------------------------------------------------------------------------


def from_world(w: World, spec: Any) -> Any:
    """One value of a row, from its spec: a ``"w.…"`` string is that path of the world's
    attributes (``"w.meeting.question_id"``), a list is each of its items, a function is
    called with the world, and anything else is the value itself (a copy of it, so no call
    sees another's changes)."""
    if isinstance(spec, str) and spec.startswith("w."):
        return attrgetter(spec[2:])(w)
    if isinstance(spec, list):
        return [from_world(w, item) for item in spec]
    if callable(spec):
        return spec(w)
    return copy.deepcopy(spec)


def args(**spec: Any) -> Callable[..., dict[str, Any]]:
    """The one row builder of the matrices (services, pages, API): the keyword arguments, route
    parameters or body of a row, built from the world's objects by ``from_world``, e.g.
    ``args(question="w.question", text="Hur når vi äldre?")``. The builder takes the world
    (and the actor, which the services' matrix passes and ``args`` does not need)."""

    def build(w: World, actor: Any = None) -> dict[str, Any]:
        return {key: from_world(w, value) for key, value in spec.items()}

    return build
