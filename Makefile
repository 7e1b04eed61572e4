# Commonweal: `make run` to start the platform, `make test` to check everything.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every package and its hash, generated from pyproject.toml by `make lock` (docs/security.md).
LOCK := requirements.lock
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format chromium migrate demo worker bench typecheck lock audit

$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) scripts/check_lock.py
	$(PY) -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
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
	$(PY) scripts/check_lock.py
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/mypy

# Services (modules and packages) and selectors: the list is `files` in pyproject.toml.
typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install chromium lint
	@bash scripts/test.sh "$(PG_URL)"

# Update the locked versions deliberately: `make lock` adds what pyproject.toml gained and keeps
# every other pin; `make lock LOCK_FLAGS=--upgrade` moves everything to the newest versions its
# range allows. Review `git diff requirements.lock` before committing.
LOCK_FLAGS ?=
lock:
	test -x $(VENV)/bin/uv || $(PY) -m pip install -q 'uv>=0.5'
	echo 'setuptools>=68' | $(VENV)/bin/uv pip compile pyproject.toml - --extra dev --universal \
	  --python-version 3.11 --generate-hashes $(LOCK_FLAGS) --quiet -o $(LOCK)

# Known vulnerabilities in the locked set, from the package index's advisories (needs the
# index's JSON API; --strict fails, rather than reporting "no known vulnerabilities", when a
# package could not be looked up).
audit: install
	test -x $(VENV)/bin/pip-audit || $(PY) -m pip install -q 'pip-audit>=2.7'
	$(VENV)/bin/pip-audit --strict --require-hashes --disable-pip -r $(LOCK)

bench: install
	$(PY) bench/run_all.py
