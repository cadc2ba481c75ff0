"""The search index, on whichever database the suite runs (SQLite and PostgreSQL)."""

import dataclasses

import pytest
from django.db import connection, transaction

from hjulet.core import search
from hjulet.core.search import Hit, index_document, rebuild, remove_document, similar

pytestmark = pytest.mark.django_db

DOCUMENTS = [
    # kind, pk, title, body
    (
        "organisation",
        1,
        "Fritidsbanken i Umeå",
        "Vi lånar ut sport- och fritidsutrustning gratis till barn och vuxna.",
    ),
    (
        "organisation",
        2,
        "Språkcaféet i Gävle",
        "Ett språkcafé där nyanlända övar svenska med volontärer varje tisdag.",
    ),
    (
        "project",
        3,
        "Lanthandel på landsbygden",
        "Byborna driver en lanthandel tillsammans så att affären finns kvar.",
    ),
    (
        "project",
        4,
        "Stöd till kommunen",
        "Ett samarbete om integration och arbete för nyanlända.",
    ),
    (
        "organisation",
        5,
        "Idrottsförening i Luleå",
        "Föreningen ordnar träningar för unga och tränare utbildas varje år.",
    ),
    (
        "project",
        6,
        "Mötesplats för äldre",
        "Äldre träffas och fikar. Initiativet började i en kommun i Norrland.",
    ),
]


@pytest.fixture
def corpus():
    for kind, pk, title, body in DOCUMENTS:
        index_document(kind=kind, pk=pk, title=title, body=body)


def keys(hits: list[Hit]) -> list[tuple[str, int]]:
    return [(hit.kind, hit.pk) for hit in hits]


def found(query: str, **options) -> set[tuple[str, int]]:
    return set(keys(search.search(query, **options)))


def term_counts() -> tuple[int, int, int]:
    """What the backend keeps for ranking: the number of documents, and how many hold
    "lanthandel" and "butik"."""
    with connection.cursor() as cursor:
        backend = search._backend()
        frequencies = backend.document_frequencies(cursor, ["lanthandel", "butik"])
        return (
            backend.document_count(cursor),
            frequencies.get("lanthandel", 0),
            frequencies.get("butik", 0),
        )


# --- stemming, compounds, spelling ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kommunerna", ("project", 4)),  # "Stöd till kommunen"
        ("kommunerna", ("project", 6)),  # "… i en kommun i Norrland"
        ("föreningar", ("organisation", 5)),  # "Föreningen ordnar …"
        ("Föreningen", ("organisation", 5)),
        ("träning", ("organisation", 5)),
    ],
)
def test_inflected_forms_find_each_other(corpus, query, expected):
    assert expected in found(query)


def test_the_briefs_examples_word_for_word():
    index_document(kind="project", pk=1, title="Om oss", body="Vi är en förening.")
    index_document(kind="project", pk=2, title="Om oss", body="Vi samarbetar med vår kommun.")
    assert found("föreningar") == {("project", 1)}
    assert found("kommunerna") == {("project", 2)}


@pytest.mark.parametrize(
    "query",
    ["fritidsbank", "Fritidsbanken", "bank", "fritidsbanker"],
)
def test_compounds_and_their_parts_find_fritidsbanken(corpus, query):
    assert ("organisation", 1) in found(query)


@pytest.mark.parametrize("query", ["språkcafé", "Språkcafé", "språkcaféer", "sprakcafe"])
def test_sprakcafe_is_found_however_it_is_written(corpus, query):
    assert keys(search.search(query))[0] == ("organisation", 2)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fritidsbamken", ("organisation", 1)),  # one letter wrong
        ("fritdisbanken", ("organisation", 1)),  # two letters swapped
        ("lanthandl", ("project", 3)),
        ("lanthandeln", ("project", 3)),
        ("GÄVLE", ("organisation", 2)),
        ("gavle", ("organisation", 2)),
        ("Lulea", ("organisation", 5)),
    ],
)
def test_missing_diacritics_and_typos_are_forgiven(corpus, query, expected):
    assert expected in found(query)


def test_unrelated_words_find_nothing(corpus):
    assert search.search("xylofon") == []
    assert search.search("kvantfysik") == []


def test_short_words_are_not_stretched_to_compounds_or_typos():
    index_document(kind="project", pk=1, title="Bildverkstad", body="Vi målar en bild.")
    index_document(kind="project", pk=2, title="Stadsodling", body="Odling i staden.")
    assert search.search("bil") == []  # too short for compounds ("bild") and typos
    assert search.search("bilf") == []  # too short for typos ("bild" is one away)
    assert search.search("odlimgar") != []  # long enough: "odlingar"
    assert found("odling") == {("project", 2)}


# --- ranking ----------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match():
    index_document(kind="project", pk=1, title="Om skolan", body="Läxhjälp för barn i kommunen.")
    index_document(kind="project", pk=2, title="Läxhjälp i kommunen", body="För barn i skolan.")
    assert keys(search.search("läxhjälp")) == [("project", 2), ("project", 1)]


def test_documents_with_every_word_rank_above_those_with_some():
    index_document(kind="project", pk=1, title="Cykelkök", body="Vi lagar cyklar ihop.")
    index_document(kind="project", pk=2, title="Odling", body="Stadsodling på tak.")
    index_document(kind="project", pk=3, title="Odling och cyklar", body="Vi odlar och cyklar.")
    hits = search.search("odling cyklar")
    assert keys(hits)[0] == ("project", 3)
    assert set(keys(hits)[1:]) == {("project", 1), ("project", 2)}
    assert hits[0].score > hits[1].score >= hits[2].score


def test_exact_words_rank_above_compounds_and_typos():
    index_document(kind="project", pk=1, title="Fritidsbanken", body="Lån av utrustning.")
    index_document(kind="project", pk=2, title="Banken", body="Lån av pengar.")
    assert keys(search.search("bank")) == [("project", 2), ("project", 1)]


def test_very_common_words_list_title_matches_first_then_all_others(monkeypatch):
    # Past rank_all_limit expected matches, ranking goes tier by tier (titles, then slices
    # of the rest); a small limit makes these twenty documents count as very many.
    monkeypatch.setattr(search._backend(), "rank_all_limit", 2)
    for pk in range(1, 21):
        title = "Lanthandel i byn" if pk % 5 == 0 else f"Butik nummer {pk}"
        kind = "project" if pk % 2 else "organisation"
        index_document(kind=kind, pk=pk, title=title, body=f"En lanthandel, nummer {pk}.")
    hits = search.search("lanthandel")
    assert sorted(pk for _kind, pk in keys(hits)) == list(range(1, 21))
    assert {pk for _kind, pk in keys(hits)[:4]} == {5, 10, 15, 20}
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert len(search.search("lanthandel", limit=7)) == 7
    assert found("lanthandel", kinds=["project"]) == {("project", pk) for pk in range(1, 21, 2)}
    # One document has every word; the others follow in a (here tiered) round of any word.
    hits = keys(search.search("lanthandel nummer 7"))
    assert hits[0] == ("project", 7)
    assert len(hits) == len(set(hits)) == 20


def test_scores_decrease_down_the_list(corpus):
    scores = [hit.score for hit in search.search("nyanlända kommun förening")]
    assert len(scores) >= 3
    assert scores == sorted(scores, reverse=True)


def test_limit(corpus):
    assert len(search.search("i", limit=2)) == 2
    assert search.search("kommun", limit=0) == []


# --- the index --------------------------------------------------------------------------


def test_kinds_filter(corpus):
    assert found("kommun", kinds=["project"]) == {("project", 4), ("project", 6)}
    assert found("kommun", kinds=["organisation"]) == set()
    assert found("kommun", kinds=["project", "organisation"]) == found("kommun")
    assert found("kommun", kinds=[]) == set()
    assert found("Umeå", kinds="organisation") == {("organisation", 1)}


def test_any_kind_name_works_and_kinds_are_not_searchable_words():
    index_document(kind="kunskap-bank/artikel", pk=1, title="Läxhjälp", body="")
    index_document(kind="project", pk=2, title="Läxhjälp", body="")
    assert found("läxhjälp", kinds=["kunskap-bank/artikel"]) == {("kunskap-bank/artikel", 1)}
    assert search.search("project") == []
    assert search.search("k" + b"project".hex()) == []


def test_the_same_pk_in_two_kinds_are_two_documents():
    index_document(kind="project", pk=7, title="Läxhjälp", body="")
    index_document(kind="organisation", pk=7, title="Läxhjälp", body="")
    assert found("läxhjälp") == {("project", 7), ("organisation", 7)}


def test_remove_document(corpus):
    remove_document(kind="organisation", pk=1)
    assert found("fritidsbanken") == set()
    assert ("organisation", 2) in found("språkcafé")
    remove_document(kind="organisation", pk=999)  # not indexed: nothing happens


def test_reindexing_replaces_the_document(corpus):
    index_document(
        kind="organisation", pk=1, title="Fritidsbanken i Umeå", body="Nu även cykelverkstad."
    )
    assert keys(search.search("fritidsbanken")) == [("organisation", 1)]
    assert found("cykelverkstad") == {("organisation", 1)}
    assert found("fritidsutrustning") == set()
    index_document(kind="organisation", pk=1, title="Återbruket", body="")
    assert found("fritidsbanken") == set()
    assert found("återbruket") == {("organisation", 1)}


def test_a_rolled_back_write_leaves_no_index_entry():
    index_document(kind="project", pk=1, title="Kvarteret", body="Grannar hjälps åt.")
    with pytest.raises(RuntimeError), transaction.atomic():
        index_document(kind="project", pk=2, title="Kvartersgården", body="Grannar ses.")
        remove_document(kind="project", pk=1)
        raise RuntimeError("the service failed after indexing")
    assert found("grannar") == {("project", 1)}
    assert found("kvartersgården") == set()


def test_rebuild_replaces_one_kind_only(corpus):
    count = rebuild(
        "project",
        [(10, "Matbanken", "Mat som blir över delas ut."), (11, "Läxhjälp", "Läxor i kommunen.")],
    )
    assert count == 2
    assert found("lanthandel") == set()
    assert found("kommun") == {("project", 11)}
    assert found("matbank") == {("project", 10)}
    assert found("fritidsbanken") == {("organisation", 1)}
    assert rebuild("project", iter([])) == 0
    assert found("matbanken") == set()


def test_empty_title_and_body_are_indexed_without_trouble():
    index_document(kind="project", pk=1, title="", body="")
    index_document(kind="project", pk=2, title="Bara titel", body="")
    assert found("titel") == {("project", 2)}


# --- snippets ---------------------------------------------------------------------------


def test_title_and_snippet_mark_the_matched_words(corpus):
    (hit,) = search.search("lanthandel")
    assert hit.title_html == "<mark>Lanthandel</mark> på landsbygden"
    assert hit.snippet_html == (
        "Byborna driver en <mark>lanthandel</mark> tillsammans så att affären finns kvar."
    )


def test_marks_follow_stems_compounds_and_spelling(corpus):
    (hit,) = search.search("sprakcafe")
    assert hit.title_html == "<mark>Språkcaféet</mark> i Gävle"
    assert "Ett <mark>språkcafé</mark> där" in hit.snippet_html
    (hit,) = search.search("bank")
    assert hit.title_html == "<mark>Fritidsbanken</mark> i Umeå"


def test_snippets_are_escaped():
    index_document(
        kind="project",
        pk=1,
        title='<script>alert("titel")</script> & Co',
        body='Före <script>alert("x")</script> efter <b>fet</b> & "citat".',
    )
    (hit,) = search.search("script")
    assert "<script>" not in hit.title_html + hit.snippet_html
    assert "<b>" not in hit.snippet_html
    assert hit.title_html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;titel&quot;)&lt;/<mark>script</mark>&gt; &amp; Co"
    )
    assert "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)" in hit.snippet_html
    assert "&lt;b&gt;fet&lt;/b&gt; &amp; &quot;citat&quot;." in hit.snippet_html


def test_the_snippet_is_about_thirty_words_around_the_first_match():
    words = [f"ord{number}" for number in range(200)]
    words[120] = "Fritidsbanken"
    words[150] = "fritidsbanken"
    index_document(kind="project", pk=1, title="Lång text", body=" ".join(words))
    (hit,) = search.search("fritidsbank")
    assert hit.snippet_html.startswith("… ord112 ")
    assert hit.snippet_html.endswith(" ord141 …")
    assert "<mark>Fritidsbanken</mark>" in hit.snippet_html
    assert len(hit.snippet_html.split()) == 32  # 30 words and two "…"


def test_a_match_near_the_end_still_gets_a_full_snippet():
    words = [f"ord{number}" for number in range(100)] + ["lanthandel"]
    index_document(kind="project", pk=1, title="Slutet", body="\n\n".join(words))
    (hit,) = search.search("lanthandel")
    assert hit.snippet_html.startswith("… ord71 ord72 ")
    assert hit.snippet_html.endswith("ord99 <mark>lanthandel</mark>")


def test_a_title_only_match_shows_the_opening_words():
    index_document(kind="project", pk=1, title="Lanthandel", body="Öppet varje dag. " * 20)
    (hit,) = search.search("lanthandel")
    assert hit.snippet_html.startswith("Öppet varje dag. Öppet")
    assert hit.snippet_html.endswith(" …")
    assert "<mark>" not in hit.snippet_html


def test_hit_is_a_frozen_dataclass(corpus):
    hit = search.search("Umeå")[0]
    assert dataclasses.is_dataclass(hit)
    assert [field.name for field in dataclasses.fields(hit)] == [
        "kind",
        "pk",
        "score",
        "title_html",
        "snippet_html",
    ]
    assert isinstance(hit.pk, int)
    assert isinstance(hit.score, float)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.pk = 3


# --- what people type -------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "?!", '"', "*", "()", "-", "…", "— ;:"])
def test_a_query_without_words_finds_nothing(corpus, query):
    assert search.search(query) == []


HOSTILE = [
    '"',
    '"unterminated',
    '"fritidsbanken',
    "fritidsbanken*",
    "*",
    "fri*",
    "NEAR(fritidsbanken språkcafé)",
    "NEAR(a b, 2)",
    "fritidsbanken NEAR språkcafé",
    "-fritidsbanken",
    "fritidsbanken -umeå",
    "fritidsbanken OR språkcafé",
    "OR",
    "AND AND OR NOT",
    "NOT fritidsbanken",
    "(fritidsbanken",
    "fritidsbanken)",
    "((()))",
    "title:fritidsbanken",
    "{title body}: umeå",
    "^umeå",
    "umeå + gävle",
    "'; DROP TABLE core_search_document; --",
    "1' OR '1'='1",
    "' OR 1=1 --",
    "%",
    "%%_",
    "\\",
    "\\'",
    "fritids\\banken",
    "a:*",
    "kommun:* & !förening | <-> <2>",
    "!!!",
    "&&",
    "\x00",
    "umeå\x00gävle",
    "\ud800",
    "🚲🚲 cykel 🚲",
    "👩‍👩‍👧",
    "ﷺ ꧅ 𝔉𝔯𝔦𝔱𝔦𝔡𝔰𝔟𝔞𝔫𝔨𝔢𝔫",
    "ａｂｃ",
    "x" * 10_000,
    "fritidsbanken " * 2_000,
    " ".join(f"ord{number}" for number in range(3_000)),
    "ö" * 3000,
    "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p",
    "_",
    "__init__",
    "NULL",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_return_a_list(corpus, query):
    hits = search.search(query)
    assert isinstance(hits, list)
    assert all(isinstance(hit, Hit) for hit in hits)
    assert isinstance(similar(query), list)


def test_syntax_characters_are_only_separators(corpus):
    assert keys(search.search('"fritidsbanken')) == [("organisation", 1)]
    assert keys(search.search("NEAR(fritidsbanken)")) == [("organisation", 1)]
    assert ("organisation", 1) in found("fritidsbanken OR språkcafé")
    assert ("organisation", 1) in found("-fritidsbanken")


def test_the_index_survives_hostile_queries(corpus):
    search.search("'; DROP TABLE core_search_document; --")
    assert found("fritidsbanken") == {("organisation", 1)}


def test_hostile_documents_are_indexed_and_found():
    body = "'; DROP TABLE x; -- \" NEAR(a) * % _ \\ \x00 🚲 " + "ord " * 5000
    index_document(kind="project", pk=1, title='"OR" NOT (*)', body=body)
    assert found("drop") == {("project", 1)}
    assert found("ord") == {("project", 1)}


# --- similar ----------------------------------------------------------------------------


def test_similar_finds_what_already_exists(corpus):
    hits = similar("Språkcafé för nyanlända i Gävle – vi övar svenska")
    assert keys(hits)[0] == ("organisation", 2)
    assert "<mark>" in hits[0].title_html


def test_similar_leaves_out_the_document_being_edited(corpus):
    hits = similar("Fritidsbanken i Umeå lånar ut fritidsutrustning", exclude=("organisation", 1))
    assert ("organisation", 1) not in keys(hits)
    hits = similar("Fritidsbanken i Umeå lånar ut fritidsutrustning", exclude=("project", 1))
    assert keys(hits)[0] == ("organisation", 1)


def test_similar_kinds_and_limit(corpus):
    assert set(keys(similar("nyanlända kommun förening", kinds=["project"]))) <= {
        ("project", 3),
        ("project", 4),
        ("project", 6),
    }
    assert len(similar("nyanlända kommun förening äldre lanthandel", limit=2)) == 2
    assert similar("kommun", limit=0) == []


@pytest.mark.parametrize("text", ["", "  ", "och att för", "…", "xylofon kvantfysik"])
def test_similar_without_known_distinctive_words_is_empty(corpus, text):
    assert similar(text) == []


def test_hits_behave_like_plain_hits(corpus):
    import copy
    import pickle

    hit = search.search("lanthandel")[0]
    plain = Hit(
        kind="project",
        pk=3,
        score=hit.score,
        title_html="<mark>Lanthandel</mark> på landsbygden",
        snippet_html=hit.snippet_html,
    )
    assert hit == plain
    assert plain == hit
    assert hash(hit) == hash(plain)
    assert pickle.loads(pickle.dumps(hit)) == plain
    assert copy.copy(hit) == plain
    assert dataclasses.replace(hit, score=1.0).score == 1.0
    assert dataclasses.asdict(hit)["title_html"] == plain.title_html
    assert "Lanthandel" in repr(hit)


def test_term_counts_follow_every_write():
    index_document(kind="project", pk=1, title="Lanthandel", body="En lanthandel.")
    index_document(kind="project", pk=2, title="Lanthandel", body="Och en butik.")
    assert term_counts() == (2, 2, 1)
    index_document(kind="project", pk=2, title="Butik", body="Bara en butik.")
    assert term_counts() == (2, 1, 1)
    remove_document(kind="project", pk=1)
    assert term_counts() == (1, 0, 1)
    rebuild("project", [(5, "Lanthandel", ""), (6, "Lanthandel och butik", "")])
    assert term_counts() == (2, 2, 1)


def test_postgresql_takes_term_counts_from_the_planners_statistics(monkeypatch):
    from django.db import connection

    from hjulet.core.search import postgresql

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    # Normally only from 10,000 documents on, where counting would cost too much.
    monkeypatch.setattr(postgresql, "STATISTICS_MIN_DOCUMENTS", 0)
    for pk in range(1, 101):
        title = "Lanthandel i byn" if pk <= 60 else "Butik i stan"
        index_document(kind="project", pk=pk, title=title, body="")
    backend = search._backend()
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_search_document")
            backend._statistics.clear()
            frequencies = backend.document_frequencies(cursor, ["lanthandel", "butik", "okand"])
        assert 50 <= frequencies["lanthandel"] <= 70
        assert 30 <= frequencies["butik"] <= 50
        assert "okand" not in frequencies
        assert similar("En lanthandel")
    finally:
        backend._statistics.clear()


def test_index_documents_indexes_many_like_index_document_one_at_a_time(corpus, monkeypatch):
    monkeypatch.setattr(search.writing, "INDEX_BATCH_SIZE", 2)  # several batches
    documents = [
        (20, "Matbanken i Kalix", "Mat som blir över delas ut."),
        (21, "Läxhjälp", "Läxor i kommunen varje vecka."),
        (22, "Cykelköket", "Vi lagar cyklar tillsammans."),
        (3, "Lanthandeln lever", "Byborna äger butiken."),  # replaces project 3
    ]
    assert search.index_documents(kind="project", documents=iter(documents)) == 4
    assert found("matbanken") == {("project", 20)}
    assert found("cykelkök") == {("project", 22)}
    assert found("byborna") == {("project", 3)}
    assert found("affären") == set()  # project 3's old body is gone
    assert found("fritidsbanken") == {("organisation", 1)}
    assert search.index_documents(kind="project", documents=[]) == 0


def test_index_documents_keeps_the_term_counts_and_rolls_back_with_its_transaction():
    index_document(kind="project", pk=1, title="Lanthandel", body="En lanthandel.")
    search.index_documents(
        kind="project",
        documents=[(2, "Lanthandel", "Och en butik."), (3, "Butik", "En butik, en butik.")],
    )
    assert term_counts() == (3, 2, 2)
    search.index_documents(kind="project", documents=[(3, "Lanthandel", "")])
    assert term_counts() == (3, 3, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        search.index_documents(kind="project", documents=[(9, "Butikshörnan", "En butik.")])
        raise RuntimeError("the import failed after indexing")
    assert term_counts() == (3, 3, 1)
    assert found("butikshörnan") == set()
