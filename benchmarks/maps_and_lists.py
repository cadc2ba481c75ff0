"""Map aggregation and the API's list endpoints against the bare SQL doing the same work.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/maps_and_lists.py \\
        [--scale 1] [--database-url postgres://postgres@127.0.0.1:5432/hjulet_bench]

On a database filled by ``generate.py`` (filled first when it is not), times in one run,
interleaved with the bare query each is compared with (on a connection of its own):

- maps: the knowledge bank's map of Sweden (``/kunskapsbank/karta/``: initiatives per län)
  and of each län (``?lan=…``: per kommun), the selector behind them, the organisations map
  (``/karta/``) and impact's totals per county (``/api/v1/impact/totals``), each against the
  raw ``GROUP BY`` that gives the same counts;
- the first page of every list endpoint of the API (as the OpenAPI lists them: initiatives,
  organisations, methods, knowledge summaries, questions, surveys, arenas, challenges, a
  challenge's ideas, support structures, funding calls, advice requests) through Django's
  test client, against the bare SQL for the same rows. Endpoints without pagination return
  every row, and so does their bare query; the row says so.

``maps()`` and ``api_lists()`` return the rows for ``run_all.py``. Not part of the tests.
"""

import argparse
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PAGE_P95_MS, BareConnection, Row, log, measure, print_table
from generate import default_sqlite_url, fill, setup


def _get(client, path: str, params: dict | None = None) -> int:
    response = client.get(path, params or {})
    if response.status_code != 200:
        raise RuntimeError(f"{path} {params}: HTTP {response.status_code}")
    return len(response.content)


def maps(rounds: int = 5) -> list[Row]:
    from django.test import Client

    from hjulet.core.models import County
    from hjulet.knowledge import selectors

    client = Client()
    bare = BareConnection()
    counties = list(County.objects.order_by("code").values_list("code", flat=True))
    by_county = (
        "SELECT m.county_id, count(*) FROM knowledge_initiative i "
        "JOIN core_municipality m ON m.code = i.municipality_id GROUP BY m.county_id"
    )
    in_county = (
        "SELECT i.municipality_id, count(*) FROM knowledge_initiative i "
        "JOIN core_municipality m ON m.code = i.municipality_id "
        "WHERE m.county_id = %s GROUP BY i.municipality_id"
    )
    organisations = (
        "SELECT m.county_id, count(*) FROM accounts_organisation o "
        "JOIN core_municipality m ON m.code = o.municipality_id GROUP BY m.county_id"
    )
    impact = (
        "SELECT m.county_id, count(DISTINCT i.id), count(ind.id) "
        "FROM impact_impactreport r JOIN knowledge_initiative i ON i.id = r.initiative_id "
        "JOIN core_municipality m ON m.code = i.municipality_id "
        "LEFT JOIN impact_indicator ind ON ind.initiative_id = i.id "
        "WHERE r.is_published GROUP BY m.county_id"
    )
    repeat = 10
    log("Maps")
    options = {"target": PAGE_P95_MS, "rounds": rounds, "max_ratio": None}
    return [
        measure(
            "map: /kunskapsbank/karta/ (per län)",
            [partial(_get, client, "/kunskapsbank/karta/")] * repeat,
            [partial(bare.rows, by_county)] * repeat,
            **options,
        ),
        measure(
            "map: /kunskapsbank/karta/?lan= (per kommun)",
            [partial(_get, client, "/kunskapsbank/karta/", {"lan": code}) for code in counties],
            [partial(bare.rows, in_county, [code]) for code in counties],
            **options,
        ),
        measure(
            "map: initiative_counts('county')",
            [partial(selectors.initiative_counts, "county")] * repeat,
            [partial(bare.rows, by_county)] * repeat,
            **options,
        ),
        measure(
            "map: organisations /karta/ (per län)",
            [partial(_get, client, "/karta/")] * repeat,
            [partial(bare.rows, organisations)] * repeat,
            **options,
        ),
        measure(
            "map: impact totals /api/v1/impact/totals",
            [partial(_get, client, "/api/v1/impact/totals")] * 3,
            [partial(bare.rows, impact)] * 3,
            target=PAGE_P95_MS,
            max_ratio=None,
            rounds=2,
            note="published reports per county",
        ),
    ]


def api_lists(rounds: int = 5) -> list[Row]:
    from django.test import Client

    from hjulet.accounts.models import User
    from hjulet.arenas.models import Challenge

    anonymous = Client()
    coordinator = Client()
    coordinator.force_login(User.objects.get(pk=1))
    bare = BareConnection()
    # The generator gives the first challenges the most ideas.
    busiest = Challenge.objects.order_by("pk").values_list("slug", flat=True).first()
    today = "CURRENT_DATE"
    # (label, client, path, bare SQL of the same first page of 20)
    endpoints = [
        (
            "initiatives",
            anonymous,
            "/api/v1/initiatives",
            "SELECT * FROM knowledge_initiative ORDER BY created_at DESC, id DESC LIMIT 20",
        ),
        (
            "organisations",
            anonymous,
            "/api/v1/organisations",
            "SELECT * FROM accounts_organisation ORDER BY name, id LIMIT 20",
        ),
        ("methods", anonymous, "/api/v1/methods", "SELECT * FROM knowledge_method"),
        (
            "questions/summaries",
            anonymous,
            "/api/v1/questions/summaries",
            "SELECT o.* FROM scienceshop_outcome o JOIN scienceshop_question q "
            "ON q.id = o.question_id WHERE o.kind = 'summary' AND q.status = 'published' "
            "ORDER BY o.published_at DESC",
        ),
        (
            "questions (coordinator)",
            coordinator,
            "/api/v1/questions",
            "SELECT * FROM scienceshop_question ORDER BY created_at DESC",
        ),
        (
            "surveys (coordinator)",
            coordinator,
            "/api/v1/surveys",
            "SELECT s.id, count(r.id) FROM surveys_survey s LEFT JOIN surveys_response r "
            "ON r.survey_id = s.id AND r.submitted_at IS NOT NULL GROUP BY s.id",
        ),
        ("arenas", anonymous, "/api/v1/arenas", "SELECT * FROM arenas_arena ORDER BY name"),
        (
            "challenges",
            anonymous,
            "/api/v1/challenges",
            "SELECT * FROM arenas_challenge ORDER BY created_at DESC",
        ),
        (
            "challenges/<slug>/ideas (busiest)",
            anonymous,
            f"/api/v1/challenges/{busiest}/ideas",
            "SELECT * FROM arenas_idea WHERE challenge_id = 1 AND NOT is_hidden "
            "AND NOT is_removed ORDER BY created_at DESC",
        ),
        (
            "support-structures",
            anonymous,
            "/api/v1/support-structures",
            "SELECT s.* FROM support_supportstructure s JOIN accounts_organisation o "
            "ON o.id = s.organisation_id ORDER BY o.name",
        ),
        (
            "funding-calls",
            anonymous,
            "/api/v1/funding-calls",
            f"SELECT * FROM support_fundingcall WHERE deadline >= {today} ORDER BY deadline, title",
        ),
        (
            "advice-requests (coordinator)",
            coordinator,
            "/api/v1/advice-requests",
            "SELECT * FROM support_advicerequest ORDER BY created_at DESC",
        ),
    ]
    log("API lists")
    rows = []
    for label, client, path, sql in endpoints:
        if "LIMIT" not in sql:
            sql += " LIMIT 20"
        rows.append(
            measure(
                f"API list: /{label}",
                [partial(_get, client, path)] * 20,
                [partial(bare.rows, sql)] * 20,
                target=PAGE_P95_MS,
                max_ratio=None,
                rounds=rounds,
                note="first page of 20",
            )
        )
    bare.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default=default_sqlite_url())
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    setup(arguments.database_url)
    fill(arguments.scale)
    from django.db import connection

    rows = maps(arguments.rounds) + api_lists(arguments.rounds)
    print_table(f"{connection.vendor}, scale {arguments.scale:g}", rows)


if __name__ == "__main__":
    main()
