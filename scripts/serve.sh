#!/usr/bin/env bash
# Serve the platform with its task worker beside it; Ctrl-C stops both.
set -u
HOST="$1"; PORT="$2"
PY=.venv/bin/python
$PY manage.py schedule
$PY manage.py db_worker --queue-name '*' --no-reload &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null; exit 0' INT TERM EXIT
$PY manage.py demo_logins
echo "Commonweal is running on http://$HOST:$PORT/ (Ctrl-C stops the server and the worker)"
$PY manage.py runserver --noreload "$HOST:$PORT"
