"""The site-wide search (/sok/, GET /api/v1/search, hjulet.core.site_search): every public
kind is found by a word from its text, and nothing that is hidden, a draft or unpublished is
found by anyone; it leaves the index when it stops being public."""

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client

from hjulet.accounts.tests.factories import UserFactory
from hjulet.arenas import services as arenas
from hjulet.arenas.tests.factories import make_challenge
from hjulet.core import search, site_search
from hjulet.core.search import registry
from hjulet.impact import services as impact
from hjulet.impact.models import ImpactReport
from hjulet.impact.tests.factories import publish as publish_impact
from hjulet.knowledge.tests.factories import make_initiative, make_method
from hjulet.scienceshop import services as scienceshop
from hjulet.scienceshop.tests.factories import in_status, researcher_with_profile, submit
from hjulet.scienceshop.workflow import Status
from hjulet.stories import services as stories
from hjulet.support.tests.factories import make_call, make_structure, today
from hjulet.surveys import services as surveys
from hjulet.surveys.models import BlockKind
from hjulet.surveys.tests.factories import make_survey

from .queries import assert_queries_do_not_grow, captured

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()

#: One made-up word per kind, in its body text (or title where the kind has no body).
WORDS = {
    "initiative": "blåbärsfika",
    "method": "kvastmetoden",
    "knowledge_summary": "mossforskning",
    "support_structure": "Ljungstödet",
    "funding_call": "tallbidraget",
    "challenge": "granproblemet",
    "idea": "ekorrsnickeri",
    "impact_report": "lingonverkan",
    "survey_report": "hjortronenkäten",
    "story": "rönnbärshjälten",
    "report": "videforskningen",
}


def summary(member, organisation, coordinator, *, title: str, text: str):
    question = submit(member, organisation, title=f"Fråga om {title}")
    question = in_status(question, Status.IN_PROGRESS)
    return scienceshop.outcome_record(
        actor=coordinator, question=question, kind="summary", title=title, summary=text
    )


def survey_report(org_admin, organisation, *, title: str, text: str, published: bool = True):
    survey = make_survey(org_admin, organisation, title=f"Enkät {title}")
    report = surveys.report_create(actor=org_admin, survey=survey, title=title)
    surveys.report_block_add(actor=org_admin, report=report, kind=BlockKind.TEXT, text=text)
    if published:
        report = surveys.report_set_published(actor=org_admin, report=report, published=True)
    return report


def impact_report(member, *, title: str, text: str, published: bool = True):
    initiative = make_initiative(member, title=title)
    impact.report_update(actor=member, initiative=initiative, what=text)
    if published:
        return publish_impact(initiative)
    return initiative


@pytest.fixture
def world(member, org_admin, organisation, coordinator, resident):
    """One public object of every kind, each with its word, made through the services."""
    w = WORDS
    made = {
        "initiative": make_initiative(
            member, title="Fika i Ersboda", summary=f"Vi bjuder på {w['initiative']} varje tisdag."
        ),
        "method": make_method(member, title="Städdag", what=f"Så fungerar {w['method']}."),
        "knowledge_summary": summary(
            member,
            organisation,
            coordinator,
            title="Vad vi vet om skogen",
            text=f"Studier om {w['knowledge_summary']} i norr.",
        ),
        "support_structure": make_structure(w["support_structure"], scope="national"),
        "funding_call": make_call(
            coordinator, organisation, title="Pengar till skogen", purpose=f"{w['funding_call']}."
        ),
        "challenge": make_challenge(
            member, organisation=organisation, problem=f"Här finns {w['challenge']} i parken."
        ),
    }
    made["idea"] = arenas.idea_create(
        actor=resident,
        challenge=made["challenge"],
        title="Bygg holkar",
        body=f"Vi gör {w['idea']} med skolan.",
    )
    made["impact_report"] = impact_report(
        member, title="Skogsgruppen", text=f"Deltagarna märker {w['impact_report']}."
    )
    made["survey_report"] = survey_report(
        org_admin, organisation, title="Årsrapport", text=f"Om {w['survey_report']} i länet."
    )
    made["story"] = stories.story_create(
        actor=member,
        title="Grannen på gården",
        text=f"Hon är vår {w['story']}.",
        organisation=organisation,
        initiatives=[made["initiative"]],
    )
    made["report"] = stories.report_create(
        actor=member,
        subject=made["initiative"],
        title="Följeforskning om fikat",
        authors="A. Forskare",
        year=2025,
        findings=f"Om {w['report']} i Ersboda.",
        url="https://exempel.se/rapport",
    )
    return made


def found_kinds(query: str, user=ANONYMOUS, **kwargs) -> list[tuple[str, int]]:
    found = site_search.find(query, user=user, per_page=100, **kwargs)
    return [(result.kind, result.pk) for result in found.results]


def test_every_registered_kind_is_searchable():
    codes = {kind.code for kind in registry.kinds()}
    assert codes == set(WORDS)
    for kind in registry.kinds():
        assert str(kind.label) and str(kind.label_plural)


def test_every_kind_is_found_by_a_word_from_its_text(world, client):
    for kind, word in WORDS.items():
        expected = (kind, world[kind].pk)
        assert found_kinds(word) == [expected], kind
        page = client.get("/sok/", {"q": word})
        assert page.status_code == 200
        found = page.context["found"]
        assert [(r.kind, r.pk) for r in found.results] == [expected]
        assert found.results[0].url in page.content.decode()
        api = client.get("/api/v1/search", {"q": word}).json()
        assert [(hit["kind"], hit["id"]) for hit in api["hits"]] == [expected], kind
        hit = api["hits"][0]
        assert hit["url"] == found.results[0].url
        assert client.get(hit["url"]).status_code == 200, hit["url"]
        assert "<" not in hit["snippet"]
        assert "<mark>" in hit["title_html"] + hit["snippet_html"]


def test_context_lines_say_where_who_and_when(world):
    by_kind = {r.kind: r for r in site_search.find("fika", user=ANONYMOUS, per_page=100).results}
    initiative = by_kind["initiative"]
    assert "Umeå" in initiative.context and "Fritidsbanken Umeå" in initiative.context
    call = site_search.find(WORDS["funding_call"], user=ANONYMOUS).results[0]
    deadline = world["funding_call"].deadline
    assert str(deadline.day) in call.context and "Fritidsbanken Umeå" in call.context


def test_counts_per_kind_and_the_kind_filter(member, coordinator, organisation):
    for number in range(3):
        make_initiative(member, title=f"Vedbod {number}", summary="Vi hugger ved tillsammans.")
    make_method(member, title="Vedklubb", what="Att hugga ved i grupp.")
    make_call(coordinator, organisation, title="Vedbidraget", purpose="Ved åt alla.")
    found = site_search.find("ved", user=ANONYMOUS)
    counts = {c.code: c.count for c in found.counts}
    assert counts["initiative"] == 3 and counts["method"] == 1 and counts["funding_call"] == 1
    assert sum(counts.values()) == found.total_all == found.total == 5
    filtered = site_search.find("ved", user=ANONYMOUS, kind="initiative")
    assert {c.code: c.count for c in filtered.counts} == counts
    assert filtered.total == 3 and filtered.total_all == 5
    assert {r.kind for r in filtered.results} == {"initiative"}
    # An unknown kind is ignored by the page (and refused by the API).
    assert site_search.find("ved", user=ANONYMOUS, kind="nonsense").total == 5


def test_the_api_gives_counts_and_pages(member, client):
    for number in range(23):
        make_initiative(member, title=f"Snickeri {number}", summary="Vi snickrar bänkar.")
    first = client.get("/api/v1/search", {"q": "bänkar"}).json()
    assert first["total"] == 23 and first["pages"] == 2 and len(first["hits"]) == 20
    second = client.get("/api/v1/search", {"q": "bänkar", "page": 2}).json()
    assert len(second["hits"]) == 3
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    counts = {c["kind"]: c["count"] for c in first["counts"]}
    assert counts["initiative"] == 23 and counts["method"] == 0


def test_open_funding_calls_come_before_closed_ones(coordinator, organisation):
    closed = make_call(
        coordinator,
        organisation,
        title="Älgbidraget älgbidraget",
        purpose="Älgbidraget.",
        opens_on=today() - datetime.timedelta(days=60),
        deadline=today() - datetime.timedelta(days=5),
    )
    open_ = make_call(coordinator, organisation, title="Skogspengar", purpose="Om älgbidraget.")
    assert found_kinds("älgbidraget") == [("funding_call", open_.pk), ("funding_call", closed.pk)]
    closed_result = site_search.find("älgbidraget", user=ANONYMOUS).results[1]
    assert str(closed.deadline.day) in closed_result.context


# --- what must not be found ---------------------------------------------------------------


def test_a_hidden_idea_leaves_the_index_and_comes_back_when_kept(world, moderator, client):
    idea, word = world["idea"], WORDS["idea"]
    for number in range(3):
        reporter = UserFactory(email=f"anmalare{number}@exempel.se")
        arenas.content_report(actor=reporter, idea=idea, reason="spam")
    idea.refresh_from_db()
    assert idea.is_hidden
    assert search.search(word, kinds=["idea"]) == []
    for user in (ANONYMOUS, idea.author, moderator):
        assert found_kinds(word, user) == []
    assert f"/utmaningar/ide/{idea.pk}/" not in client.get("/sok/", {"q": word}).content.decode()
    assert client.get("/api/v1/search", {"q": word}).json()["hits"] == []
    arenas.moderation_decide(actor=moderator, decision="keep", explanation="OK", idea=idea)
    assert found_kinds(word) == [("idea", idea.pk)]
    for number in range(3, 6):
        reporter = UserFactory(email=f"anmalare{number}@exempel.se")
        arenas.content_report(actor=reporter, idea=idea, reason="spam")
    arenas.moderation_decide(actor=moderator, decision="remove", explanation="Nej", idea=idea)
    assert search.search(word, kinds=["idea"]) == []
    assert found_kinds(word) == []


def test_an_edited_idea_is_found_by_its_new_words(world, resident):
    idea = world["idea"]
    arenas.idea_update(actor=resident, idea=idea, title="Bygg holkar", body="Nu om fågelsång.")
    assert found_kinds(WORDS["idea"]) == []
    assert found_kinds("fågelsång") == [("idea", idea.pk)]


def test_unpublished_reports_are_never_found(member, org_admin, organisation, coordinator, client):
    draft = survey_report(
        org_admin, organisation, title="Utkast", text="Om hallonsylt.", published=False
    )
    impact_draft = impact_report(
        member, title="Tyst grupp", text="Om blåbärssylt.", published=False
    )
    assert search.search("hallonsylt") == [] and search.search("blåbärssylt") == []
    for user in (ANONYMOUS, org_admin, member, coordinator):
        assert found_kinds("hallonsylt", user) == [] and found_kinds("blåbärssylt", user) == []
    for user in (None, org_admin, coordinator):
        api = Client()
        if user is not None:
            api.force_login(user)
        body = api.get("/api/v1/search", {"q": "hallonsylt"}).json()
        assert body["hits"] == [] and body["total_all"] == 0
    # Published, then withdrawn: out of the index again.
    surveys.report_set_published(actor=org_admin, report=draft, published=True)
    assert found_kinds("hallonsylt") == [("survey_report", draft.pk)]
    surveys.report_set_published(actor=org_admin, report=draft, published=False)
    assert search.search("hallonsylt") == [] and found_kinds("hallonsylt") == []
    report = publish_impact(impact_draft)
    assert found_kinds("blåbärssylt") == [("impact_report", report.pk)]
    publish_impact(impact_draft, publish=False)
    assert search.search("blåbärssylt") == [] and found_kinds("blåbärssylt") == []


def test_a_published_report_is_reindexed_when_its_text_changes(org_admin, organisation, member):
    report = survey_report(org_admin, organisation, title="Rapport", text="Om krusbär.")
    surveys.report_block_add(
        actor=org_admin, report=report, kind=BlockKind.TEXT, text="Och om vinbär."
    )
    assert found_kinds("vinbär") == [("survey_report", report.pk)]
    block = report.blocks.get(text="Och om vinbär.")
    surveys.report_block_delete(actor=org_admin, block=block)
    assert found_kinds("vinbär") == []
    impact_report(member, title="Bärgruppen", text="Om smultron.")
    initiative = ImpactReport.objects.get(is_published=True).initiative
    impact.report_update(actor=member, initiative=initiative, what="Om åkerbär.")
    assert found_kinds("smultron") == [] and len(found_kinds("åkerbär")) == 1


def test_questions_are_not_found_until_a_summary_is_published(member, organisation, coordinator):
    question = submit(member, organisation, title="Om kantareller", background="Kantareller.")
    assert found_kinds("kantareller", coordinator) == []
    question = in_status(question, Status.IN_PROGRESS)
    scienceshop.outcome_record(
        actor=coordinator, question=question, kind="research_project", funder="Vetenskapsrådet"
    )
    assert found_kinds("kantareller", coordinator) == []
    outcome = summary(member, organisation, coordinator, title="Svamp", text="Om kantareller.")
    assert found_kinds("kantareller") == [("knowledge_summary", outcome.pk)]


def test_a_stale_index_entry_is_never_shown(world):
    """Something written past the services (say, an idea hidden in the admin) may linger in
    the index: visibility is checked on every search, and the counts leave it out."""
    idea = world["idea"]
    type(idea).objects.filter(pk=idea.pk).update(is_hidden=True)
    report = world["survey_report"]
    type(report).objects.filter(pk=report.pk).update(is_published=False)
    for kind in ("idea", "survey_report"):
        assert search.search(WORDS[kind], kinds=[kind])  # still indexed
        found = site_search.find(WORDS[kind], user=ANONYMOUS)
        assert found.results == [] and found.total_all == 0
        assert {c.code: c.count for c in found.counts}[kind] == 0


def test_rebuild_search_index_refills_every_kind(world):
    for kind in WORDS:
        search.remove_document(kind=kind, pk=world[kind].pk)
    assert found_kinds(WORDS["idea"]) == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    for kind, word in WORDS.items():
        assert f"{kind}: " in out.getvalue()
        assert found_kinds(word) == [(kind, world[kind].pk)], kind


def test_researcher_profiles_are_indexed_but_never_found_by_the_site_search(client):
    """The science shop indexes researchers' expertise for its suggestions; that kind is
    private: a rebuild refills it, the page, the API and the counts never show it."""
    user = researcher_with_profile("forskare@exempel.se", "Glesbygdsbutikernas kooperativ.")
    assert registry.get("researcher") is None
    assert [hit.pk for hit in search.similar("glesbygdsbutikernas", kinds=["researcher"])] == [
        user.pk
    ]
    search.remove_document(kind="researcher", pk=user.pk)
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert [hit.pk for hit in search.similar("glesbygdsbutikernas", kinds=["researcher"])] == [
        user.pk
    ]
    found = site_search.find("glesbygdsbutikernas", user=AnonymousUser())
    assert found.total_all == 0 and found.results == []
    body = client.get("/api/v1/search", {"q": "glesbygdsbutikernas"}).json()
    assert body["hits"] == [] and all(c["kind"] != "researcher" for c in body["counts"])


# --- what people type -------------------------------------------------------------------


GARBAGE = ["", "   ", '"', "*", '"*"', '""**', "!!! ... ???", "(", "ä" * 5000, "ord " * 3000]


@pytest.mark.parametrize("query", GARBAGE)
def test_garbage_gives_a_page_never_an_error(world, client, query):
    page = client.get("/sok/", {"q": query})
    assert page.status_code == 200
    htmx = client.get("/sok/", {"q": query, "kind": "idea"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200


@pytest.mark.parametrize("query", ['"', "*", '"*"', "!!! ... ???", "(", "x"])
def test_garbage_in_the_api_gives_an_empty_result(world, client, query):
    response = client.get("/api/v1/search", {"q": query})
    assert response.status_code == 200 and response.json()["hits"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "a" * 301}, "q"),
        ({"q": "skog", "kind": "nonsense"}, "kind"),
        ({"q": "skog", "page": "0"}, "page"),
        ({"q": "skog", "page": "x"}, "page"),
        ({"q": "skog", "page": "99999999999999999999"}, "page"),
    ],
)
def test_bad_api_input_is_refused_with_a_message(client, params, field):
    response = client.get("/api/v1/search", params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["errors"][field]


def test_the_page_cuts_a_very_long_query_and_says_so(client):
    page = client.get("/sok/", {"q": "skog " * 200})
    assert page.status_code == 200 and page.context["too_long"]
    assert len(page.context["found"].query) <= site_search.MAX_QUERY_LENGTH


def test_an_empty_result_proposes_next_steps(world, client):
    page = client.get("/sok/", {"q": WORDS["initiative"], "kind": "idea"}).content.decode()
    assert f'href="/sok/?q={WORDS["initiative"]}' in page or "/sok/?q=" in page
    assert 'href="/radgivning/fraga/"' in page
    assert 'href="/initiativ/nytt/"' in page
    nothing = client.get("/sok/", {"q": "qwzxv"}).content.decode()
    assert 'href="/radgivning/fraga/"' in nothing and 'href="/initiativ/nytt/"' in nothing


def test_every_page_has_the_search_box_in_its_header(client, world):
    for url in ("/", "/initiativ/", "/utlysningar/", "/sok/?q=skog"):
        page = client.get(url).content.decode()
        assert 'role="search"' in page and 'action="/sok/"' in page, url
        assert 'for="header-search-q"' in page


# --- the queries do not grow with the hits ------------------------------------------------


@pytest.fixture
def grow(member, org_admin, organisation, coordinator, resident):
    challenge = make_challenge(member, organisation=organisation, title="Tornet")

    def grow(first: int, count: int) -> None:
        for n in range(first, first + count):
            make_initiative(member, title=f"Torn {n}", summary="Vi bygger torn.")
            make_method(member, title=f"Tornmetod {n}", what="Bygga torn.")
            summary(member, organisation, coordinator, title=f"Torn {n}", text="Om torn.")
            make_structure(f"Tornstöd {n}", scope="national")
            make_call(coordinator, organisation, title=f"Tornbidrag {n}", purpose="Torn.")
            make_challenge(member, organisation=organisation, title=f"Torn {n}", problem="Torn.")
            arenas.idea_create(actor=resident, challenge=challenge, title=f"Torn {n}", body="Torn")
            impact_report(member, title=f"Tornlag {n}", text="Fler torn.")
            survey_report(org_admin, organisation, title=f"Torn {n}", text="Om torn.")

    return grow


def test_queries_do_not_grow_with_the_hits_of_one_kind(client, grow):
    urls = [f"/sok/?q=torn&kind={kind}" for kind in WORDS]
    urls += [f"/api/v1/search?q=torn&kind={kind}" for kind in WORDS]
    assert_queries_do_not_grow(client, urls, grow)


def test_queries_do_not_grow_with_the_hits_of_every_kind(client, grow):
    grow(0, 1)
    few = {url: len(captured(client, url)) for url in ("/sok/?q=torn", "/api/v1/search?q=torn")}
    grow(1, 3)
    for url, count in few.items():
        # A page of 20 shows at most every kind; it may show fewer kinds as hits grow.
        assert len(captured(client, url)) <= count, url


def test_htmx_gets_the_results_and_a_history_restore_the_whole_page(world, client):
    partial = client.get("/sok/", {"q": WORDS["idea"]}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"site-search-results" in partial.content
    assert "HX-Request" in partial["Vary"]
    restored = client.get(
        "/sok/",
        {"q": WORDS["idea"], "kind": "idea"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert b"<html" in restored.content and b'id="site-search-form"' in restored.content
