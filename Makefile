# The two set-up commands: `make run` (the application with demo data) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ADDR   ?= 127.0.0.1:8000
# Tests run in one process per core (pytest-xdist), each with its own test database and Celery queue.
PYTEST_XDIST ?= -n auto

.PHONY: run test worker beat relay messages bench-load clean api-schema

$(VENV)/.runtime: requirements.txt
	@echo "== Installing the Python packages into $(VENV) (the first time only: a few minutes)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt
	@echo "== Installing the Python packages and the test tools into $(VENV) (the first time only: a few minutes)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## Install, migrate, load demo data (logins printed) and serve on http://127.0.0.1:8000/
run: $(VENV)/.runtime
	@echo "== Creating or updating the database (DATABASE_URL, else var/pmo.sqlite3)"
	$(PY) manage.py migrate --noinput
	@echo "== Loading the demo data (the logins are printed below)"
	$(PY) manage.py demo_data
	@echo "== Serving http://$(ADDR)/ (Ctrl-C stops)"
	$(PY) manage.py runserver $(ADDR)

## Install everything (system packages for browser and PDF tests too) and run every test
test: $(VENV)/.dev
	scripts/install-system-deps
	$(VENV)/bin/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

## With REDIS_URL set: a real worker, the beat scheduler and the outbox relay (queued work to Redis)
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A pmo worker --loglevel=INFO
beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A pmo beat --loglevel=INFO --schedule=var/celerybeat-schedule
relay: $(VENV)/.runtime
	$(PY) manage.py relay_outbox

## Refresh the nl and fr catalogs (the .po files are the one source of the translations), list what is
## still untranslated or fuzzy, and compile them. The compiled .mo files are committed, so `make run`
## needs no gettext; tests/test_i18n.py fails when a .mo is older than its .po or an entry is untranslated.
messages: $(VENV)/.dev
	$(PY) manage.py makemessages --no-location --no-obsolete -l nl -l fr --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'locale/*'
	@for po in locale/*/LC_MESSAGES/django.po; do msgattrib --untranslated --only-fuzzy $$po 2>/dev/null | grep -q msgid && echo "fuzzy in $$po"; msgattrib --untranslated $$po | grep '^msgid' | tail -n +2 | sed "s|^|untranslated in $$po: |"; done; true
	$(PY) manage.py compilemessages --ignore '.venv/*'

## The load test on a seed_bench database (DATABASE_URL): gunicorn with production settings, then locust
## (its own .venv-bench, requirements-bench.txt) for 10, 50 and 100 people; one table per page. Not in CI.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@
bench-load: $(VENV)/.runtime $(BENCH_VENV)/.installed
	$(PY) bench/load_run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) var/*.sqlite3

## Regenerate the committed OpenAPI document from the code (tests/test_api_schema.py fails when it is stale)
api-schema: $(VENV)/.runtime
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py spectacular --file api/openapi.yaml --validate
