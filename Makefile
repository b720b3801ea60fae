# The two commands a newcomer needs: `make run` and `make test`. Both install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint messages bench bench-build load clean backup restore lock

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,bench]'
	touch $(STAMP)

# Re-pin the whole dependency set after a change to pyproject.toml (fresh virtualenv).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet -e '.[dev,bench]'
	{ head -2 requirements.lock; .venv-lock/bin/python -m pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .venv-lock

run: install
	$(BIN)/python scripts/run.py

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=static/vendor --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# PostgreSQL backups (docs/operations.md): `make backup`, `make restore [BACKUP=var/backups/x.dump]`.
backup:
	scripts/backup.sh

restore:
	scripts/restore.sh $(BACKUP)

clean:
	rm -rf var

# Province-scale benchmark (PostgreSQL): `make bench` (the province: 100,000 staff, 300 departments,
# 3,000 windows, database ws_bench_100000) or `make bench BENCH_ARGS="--staff 470"` (the article's
# center). Every page cold, after a relevant write and warm, next to its bare view.
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# Build (or reuse and migrate) the bench database only: `make bench-build [BENCH_ARGS=...]`.
bench-build: install
	$(BIN)/python -m bench --build-only $(BENCH_ARGS)

# Load test against the bench database (build it with `make bench` first): gunicorn 4 workers,
# 20 locust users for a minute, with writers (20 entries and 20 ratings a minute, logins).
# `make load LOAD_ARGS="--staff 470 --seconds 30"`.
load: install
	$(BIN)/python -m bench.load $(LOAD_ARGS)
