#!/usr/bin/env bash
# Serve the platform with its task worker beside it; Ctrl-C stops both.
set -u
HOST="$1"; PORT="$2"
PY=.venv/bin/python
# The demo's members get thousands of emails: write them to files rather than flood this
# terminal (EMAIL_URL=console:// shows them here instead).
export EMAIL_URL="${EMAIL_URL:-file://$PWD/var/mail}"
# Links in emails and feeds lead to where this server listens (make run PORT=8080).
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
$PY manage.py schedule
mkdir -p var
# The worker reports every task it runs: into a log file, so the logins below stay in view.
$PY manage.py db_worker --queue-name '*' --no-reload >> var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null; exit 0' INT TERM EXIT
$PY manage.py demo_logins
echo "Emails go to $EMAIL_URL; the task worker logs to var/worker.log"
echo "Commonweal is running on http://$HOST:$PORT/ (Ctrl-C stops the server and the worker)"
$PY manage.py runserver --noreload "$HOST:$PORT"
