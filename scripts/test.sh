#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when it answers. Says which it covered.
set -uo pipefail
PG_URL="$1"
PY=.venv/bin/python
export DJANGO_ALLOW_ASYNC_UNSAFE=true
covered=()
status=0

echo "== Test suite on SQLite"
env -u DATABASE_URL $PY -m pytest -n 2 --dist loadgroup
rc=$?
[ $rc -eq 0 ] || status=$rc
covered+=("SQLite: $([ $rc -eq 0 ] && echo passed || echo FAILED)")

if $PY - "$PG_URL" <<'PYEOF' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
PYEOF
then
  echo "== Test suite on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $PY -m pytest -n 2 --dist loadgroup
  rc=$?
  [ $rc -eq 0 ] || status=$rc
  covered+=("PostgreSQL: $([ $rc -eq 0 ] && echo passed || echo FAILED)")
else
  covered+=("PostgreSQL: not reachable at $PG_URL, not run")
fi

echo "== Databases covered"
printf ' - %s\n' "${covered[@]}"
exit $status
