#!/usr/bin/env bash
# The whole test suite: lint and the layer contracts, then pytest on SQLite and, at the same time, on PostgreSQL where it
# answers (DATABASE_URL, or 127.0.0.1:5432). REQUIRE_POSTGRES=1 (set by .ci/run) makes a missing
# PostgreSQL an error instead of a note. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

bash scripts/system-deps.sh

$BIN/python manage.py compile_translations >/dev/null
$BIN/ruff check .
$BIN/ruff format --check .
# The layers (pyproject.toml, docs/architecture.md): lib ← core ← accounts ← domain apps ← site.
$BIN/lint-imports --no-cache

export HJULET_TESTING=1
PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hjulet}"
unset DATABASE_URL

pg_answers() {
  $BIN/python -c "import psycopg, sys; psycopg.connect(sys.argv[1].replace('/hjulet', '/postgres') if sys.argv[1].endswith('/hjulet') else sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null
}

if ! pg_answers; then
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but does not answer at $PG_URL" >&2
    exit 1
  fi
  echo "== Tests on SQLite"
  $BIN/pytest "$@"
  echo "== PostgreSQL does not answer at $PG_URL: the suite ran on SQLite only."
  exit 0
fi

# Both databases at once: each run is mostly one busy core, and the machine has two. The SQLite
# run writes to a log that is shown when it ends; the PostgreSQL run shows its progress live.
sqlite_log=$(mktemp)
trap 'rm -f "$sqlite_log"' EXIT
$BIN/pytest "$@" >"$sqlite_log" 2>&1 &
sqlite_pid=$!

echo "== Tests on PostgreSQL ($PG_URL)"
pg_status=0
DATABASE_URL="$PG_URL" $BIN/pytest "$@" || pg_status=$?

sqlite_status=0
wait "$sqlite_pid" || sqlite_status=$?
echo "== Tests on SQLite"
cat "$sqlite_log"

echo "== SQLite: exit $sqlite_status; PostgreSQL: exit $pg_status"
[ "$sqlite_status" = 0 ] && [ "$pg_status" = 0 ]
