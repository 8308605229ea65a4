# ZI Portal. `make run` to try it, `make test` to test it. See README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
PYTHON ?= python3

.PHONY: run test test-services test-e2e lint check bench install install-dev system-deps clean messages check-messages

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

system-deps:
	bash scripts/system-deps.sh

# The compiled catalogue (.mo) is built here, never committed (docs/i18n.md).
messages: | $(VENV)/.installed
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

# Fails when makemessages finds an English entry without a translation.
check-messages: install-dev
	$(PY) scripts/check_messages.py

install: system-deps $(VENV)/.installed messages

install-dev: system-deps $(VENV)/.installed-dev messages

# Embedded default: SQLite, files on local disk, tasks in-process. DEBUG only here.
run: install
	mkdir -p var
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py import_instrument fixtures/instruments/permenpanrb-90-2021.json fixtures/instruments/permenpanrb-10-2019.json
	DEBUG=true $(PY) manage.py seed_demo --filled $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD)) $(if $(DEMO_UNITS),--units $(DEMO_UNITS))
	@echo "ZI Portal: http://127.0.0.1:$(PORT)/"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Unit and integration tests on SQLite; the service and browser suites run in .ci/run.
test: install-dev
	$(PY) -m pytest -m "not services and not e2e"

# Needs PostgreSQL and Redis (defaults: the local servers); starts its own Celery workers, S3 double,
# nginx and clamd (Debian packages, installed by system-deps.sh --services).
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zi_portal_services
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/15
test-services: install-dev
	bash scripts/system-deps.sh --services
	DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) $(PY) -m pytest -m "services"

test-e2e: install-dev
	bash scripts/system-deps.sh --browser
	$(PY) -m pytest -m "e2e"

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

check: install-dev
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=true $(PY) manage.py check

bench: install-dev
	$(PY) tests/bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
