#!/usr/bin/env bash
# The whole test suite: lint, then pytest on SQLite, then again on PostgreSQL where it answers
# (DATABASE_URL, or 127.0.0.1:5432). REQUIRE_POSTGRES=1 (set by .ci/run) makes a missing
# PostgreSQL an error instead of a note. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

bash scripts/system-deps.sh

$BIN/python manage.py compile_translations >/dev/null
$BIN/ruff check .
$BIN/ruff format --check .

export HJULET_TESTING=1
PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hjulet}"
unset DATABASE_URL

echo "== Tests on SQLite"
$BIN/pytest "$@"

if $BIN/python -c "import psycopg, sys; psycopg.connect(sys.argv[1].replace('/hjulet', '/postgres') if sys.argv[1].endswith('/hjulet') else sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  echo "== Tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $BIN/pytest "$@"
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but does not answer at $PG_URL" >&2
  exit 1
else
  echo "== PostgreSQL does not answer at $PG_URL: the suite ran on SQLite only."
fi
