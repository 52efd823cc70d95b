# Cuilong CRM — the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-redis setup browser lint check messages import-sample bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed .env
	mkdir -p var
	$(PY) manage.py compiletranslations

# A development .env (DEBUG on, a generated secret key) so that the plain Django commands
# (`manage.py migrate`, `manage.py runserver`) work too; an existing .env is never touched.
.env:
	$(PYTHON) scripts/write_env.py $@

# The browser journeys need Debian's Chromium; a run that leaves them out does not.
browser:
	@sh scripts/ensure_browser.sh

run: setup
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) scripts/run.py --port $(PORT)

test: setup $(if $(findstring not e2e,$(PYTEST_ARGS)),,browser)
	$(PY) -m pytest $(PYTEST_ARGS)

# The integration test with a real Celery worker on the Redis of this machine (db 5 unless
# REDIS_TEST_URL says otherwise); fails instead of skipping when no Redis answers.
test-redis: setup
	REQUIRE_REDIS=1 $(PY) -m pytest -m redis $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Developers only (needs GNU gettext): refresh the catalogue after changing strings.
messages: setup
	$(PY) manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "node_modules/*" --ignore "var/*" --no-obsolete
	$(PY) manage.py compiletranslations

# The benchmark of issues 9 and 24 (docs/performance.md): seeds or reuses the volume data on
# $(BENCH_DATABASE_URL), serves it under gunicorn and measures every main screen, then the
# throughput of four pages (wrk when installed) with the CPU split; the table is printed and
# benchmarks/results/latest.json written. BENCH_ARGS="--only throughput" measures req/s alone.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cuilong_bench
BENCH_SIZE ?= large
bench: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/run.py --size $(BENCH_SIZE) $(BENCH_ARGS)

# The Maven CRM data set (../shared/datasets/maven-crm) into the configured database
# (DATABASE_URL, else the SQLite file): migrations first, then users, teams, products,
# accounts and 8,800 opportunities; running it again updates instead of duplicating.
import-sample: setup
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py import_maven $(if $(MAVEN_DIR),--dir $(MAVEN_DIR),)

clean:
	rm -rf $(VENV) node_modules var/staticfiles
