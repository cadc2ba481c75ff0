# Hjulet. `make run` sets up and starts on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install setup run test lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

setup: install
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py load_demo

# The development server with a task worker beside it (large imports, e-mail): the worker
# stops when the server stops (Ctrl-C), however it stops.
run: setup
	TASK_BACKEND=database $(BIN)/python manage.py db_worker --interval 1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TASK_BACKEND=database $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new strings into locale/sv (needs GNU gettext) and compile.
messages: install
	$(BIN)/python manage.py makemessages --locale sv --no-location --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*'
	$(BIN)/python manage.py compile_translations

clean:
	rm -rf $(VENV) staticfiles node_modules .pytest_cache .ruff_cache
