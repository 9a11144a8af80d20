#!/usr/bin/env bash
# Run the whole suite; a throwaway PostgreSQL (its own folder and port on 127.0.0.1) serves the
# tests that run on both engines. A missing PostgreSQL fails the run, unless the developer opts out
# with TESTS_ALLOW_MISSING=postgresql (or =1); CI never sets it.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
PGDIR=""
RUN="sh -c"
allowed() { [[ ",${TESTS_ALLOW_MISSING:-}," == *",1,"* || ",${TESTS_ALLOW_MISSING:-}," == *",$1,"* ]]; }
cleanup() {
  if [ -n "$PGDIR" ]; then
    $RUN "$PGBIN/pg_ctl -D $PGDIR/data -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
  fi
}
trap cleanup EXIT
if [ -n "$PGBIN" ] && [ -z "${TEST_PG_URL:-}" ]; then
  PGDIR=$(mktemp -d /tmp/ct-pg-XXXXXX)
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PGDIR"
    RUN="su postgres -s /bin/sh -c"
  fi
  $RUN "$PGBIN/initdb -D $PGDIR/data -U postgres -A trust -E UTF8 --no-locale" >/dev/null
  $RUN "$PGBIN/pg_ctl -D $PGDIR/data -l $PGDIR/log -w -t 60 -o '-k $PGDIR -h 127.0.0.1 -p $PGPORT -c fsync=off' start" >/dev/null
  export TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
  echo "Throwaway PostgreSQL on 127.0.0.1:$PGPORT"
elif [ -z "${TEST_PG_URL:-}" ]; then
  if allowed postgresql; then
    echo "PostgreSQL not installed: TESTS_ALLOW_MISSING lets its tests fail-open as skips (never in CI)"
  else
    echo "MISSING: PostgreSQL (Debian package postgresql) — the tests on PostgreSQL cannot run." >&2
    echo "Install it (make test does as root), or on a laptop set TESTS_ALLOW_MISSING=postgresql." >&2
    exit 1
  fi
fi
echo "Lint: ruff check (pyproject.toml [tool.ruff.lint])"
.venv/bin/ruff check .
# Four workers (TEST_WORKERS; 0 = one process: most tests wait on a browser, a server or PostgreSQL, so
# more workers than cores keep both cores busy), a test file per worker at a time; the tests that compare
# timings (marked serial) run afterwards on their own, so the other workers' load does not skew them.
WORKERS=${TEST_WORKERS:-4}
PARALLEL=()
[ "$WORKERS" != 0 ] && PARALLEL=(-n "$WORKERS" --dist loadfile)
status=0
.venv/bin/python -m pytest -q -ra "${PARALLEL[@]}" -m "not serial" "$@" || status=$?
echo "Timing comparisons, alone:"
.venv/bin/python -m pytest -q -ra -m serial "$@" || { rc=$?; [ "$rc" = 5 ] || status=$rc; }  # 5: none selected
[ "$status" = 5 ] && status=0
exit "$status"
