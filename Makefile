# Commonweal: `make run` to start the platform, `make test` to check everything.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format chromium migrate demo worker bench typecheck

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py load_demo --if-empty

run: demo
	$(PY) manage.py collectstatic --no-input -v0
	@bash scripts/serve.sh $(HOST) $(PORT)

worker: install
	$(PY) manage.py schedule
	$(PY) manage.py db_worker --queue-name '*'

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and we are not root: browser tests will be skipped"; fi; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0

typecheck: install
	$(VENV)/bin/mypy commonweal/*/services.py commonweal/*/selectors.py

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install chromium lint
	@bash scripts/test.sh "$(PG_URL)"

bench: install
	$(PY) bench/run_all.py
