# The two commands of the README: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCALE ?= 1
# processes for `make test`: pytest workers (each test file runs whole on one, in the order of
# tests/python/conftest.py) and sqlfluff's linting processes
JOBS ?= 2
# the browser the dashboard's tests drive: Debian's chromium package (Playwright never downloads one)
CHROMIUM ?= /usr/bin/chromium
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: install demo test test-duckdb lint bench clean dashboard test-postgres test-spark postgres-start postgres-stop engines

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## demo: generate sample sources into the DuckDB warehouse, build everything, print a summary
demo: $(STAMP)
	$(BIN)/leadscore generate
	$(BIN)/dbt build
	$(BIN)/leadscore summary

## test: the whole default suite (pytest drives dbt, files spread over JOBS workers; with the PostgreSQL
## and Spark suites, test_postgres.py and test_spark.py), then SQL lint
test: $(STAMP) $(CHROMIUM) engines
	$(BIN)/pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder --durations 15
	$(MAKE) lint

## test-duckdb: the inner loop, everything on the default DuckDB warehouse (the suite without the PostgreSQL and
## Spark suites, which need `make engines`), then SQL lint
test-duckdb: $(STAMP) $(CHROMIUM)
	$(BIN)/pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder --durations 15 \
		--ignore tests/python/test_postgres.py --ignore tests/python/test_spark.py
	$(MAKE) lint

lint: $(STAMP)
	LEADSCORE_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/leadscore generate --empty
	LEADSCORE_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint --processes $(JOBS) models macros tests analyses

## bench: generate at SCALE (1 = 1M leads, ~100M events), full build, daily incremental, floor
bench: $(STAMP)
	$(BIN)/leadscore bench --scale $(SCALE)

## dashboard: serve the Streamlit dashboard over the marts (after `make demo`) on
## $LEADSCORE_DASHBOARD_HOST:$LEADSCORE_DASHBOARD_PORT (default 127.0.0.1:8501)
dashboard: $(STAMP)
	$(BIN)/leadscore dashboard

# installs the browser the dashboard's tests drive, when missing
$(CHROMIUM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo -E ) apt-get install -y -qq chromium

## engines: what the PostgreSQL and Spark suites need from Debian (PostgreSQL 15, Java 17), installed if missing
engines:
	scripts/spark-java.sh
	scripts/postgres.sh install

## test-postgres / test-spark: one engine's suite alone (its own cluster / in-process session, small data)
test-postgres: $(STAMP) engines
	$(BIN)/pytest tests/python/test_postgres.py --durations 5

test-spark: $(STAMP) engines
	$(BIN)/pytest tests/python/test_spark.py --durations 5

## postgres-start / postgres-stop: the project's PostgreSQL 15 cluster in warehouse/postgres on 127.0.0.1
## ($LEADSCORE_PG_PORT, default 5432; role and database from LEADSCORE_PG_USER / LEADSCORE_PG_DBNAME)
postgres-start:
	scripts/postgres.sh start

postgres-stop:
	scripts/postgres.sh stop

clean:
	rm -rf target logs warehouse
