# The two commands: `make run` and `make test`. Everything else is for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Development defaults for the local commands; production reads the real environment.
DEV := DEBUG=$${DEBUG:-1}

.PHONY: run test lint fmt clean bench load weight mail-demo

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.12+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 12) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_demo
	@echo "Serving Microwins at http://127.0.0.1:8000, with its mail worker and schedule (Ctrl-C stops all three)"
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(DEV) $(PY) manage.py db_worker --verbosity 0 & \
	$(DEV) $(PY) manage.py queue_due_mail --every 60 & \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# While `make run` serves: the demo team's evening digest and a member's week, as the console shows mail.
mail-demo: $(VENV)/.installed
	$(DEV) $(PY) manage.py show_mail digest lead@example.com
	$(DEV) $(PY) manage.py show_mail week member@example.com

test: $(VENV)/.installed
	$(DEV) $(PY) -m pytest $(ARGS)

bench: $(VENV)/.installed
	$(PY) bench/dashboard.py $(ARGS)

load: $(VENV)/.installed
	$(PY) bench/load.py $(ARGS)

weight: $(VENV)/.installed
	$(PY) bench/weight.py $(ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/microwins.sqlite3* var/weight.sqlite3* var/static
