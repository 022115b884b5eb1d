# Two commands do all set-up: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1
# endpoints.yml reads these; `make run` takes the real values from .env via bot/settings.py.
export ACTION_PORT ?= 5055
export RASA_PORT ?= 5005
APT_PACKAGES := chromium postgresql redis-server nginx graphviz fonts-dejavu-core

.PHONY: help install system-deps spacy train env run test test-unit lint lint-content validate \
        test-stories eval preview bench run-cluster retention clean

help:
	@echo "make run    - install what is missing, train if stale, start bot + actions + web page (Ctrl-C stops)"
	@echo "make test   - every check: ruff, content linter, data validation, pytest (unit, e2e, browser),"
	@echo "              rasa test stories, eval report, clinician preview"
	@echo "make eval | preview | bench | run-cluster | retention | lint-content"

# --- installation -----------------------------------------------------------------------------
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# up to three tries: one truncated download (a hash mismatch) makes pip install nothing at all
	@for lock in requirements.lock requirements-dev.lock; do \
	  for attempt in 1 2 3; do \
	    echo "pip install -r $$lock (try $$attempt of 3)"; \
	    if $(PY) -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python -r $$lock \
	        > $(VENV)/pip.log 2>&1; then break; fi; \
	    grep -v '^WARNING: Location' $(VENV)/pip.log; sleep 5; \
	  done; \
	done
	$(PY) -c "import rasa, rasa_sdk, dask, spacy, pytest, playwright, frontmatter" # a missing module fails here
	@touch $@

install: $(VENV)/.installed

# Debian packages for browser tests, the cluster and the flow diagram (CI runs as root).
system-deps:
	@missing=""; for b in chromium psql redis-server nginx dot; do command -v $$b >/dev/null || missing=1; done; \
	test -x /usr/lib/postgresql/*/bin/initdb || missing=1; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

.cache/spacy_da/meta.json: scripts/build_spacy_da.py | $(VENV)/.installed
	$(PY) scripts/build_spacy_da.py .cache/spacy_da

spacy: .cache/spacy_da/meta.json

train: install spacy
	$(PY) scripts/train_if_stale.py

env:
	@$(PYTHON) scripts/ensure_env.py

run: install spacy train env
	$(PY) -m bot.launcher

# --- checks -----------------------------------------------------------------------------------
lint: install
	$(VENV)/bin/ruff check .

lint-content: install
	$(PY) scripts/lint_content.py

validate: install
	$(RASA) data validate --domain domain.yml --data bot/data --config config.yml --fail-on-warnings

test-unit: install spacy
	$(PY) -m pytest -m "not e2e and not browser"

test-stories: train
	$(RASA) test core --model models/current.tar.gz --stories tests/stories --out results/core \
	  --fail-on-prediction-errors --endpoints endpoints.yml

# NLU: two held-out sets (heldout.yml written with the training data, blind_2.yml written blind);
# red flags: recall per tier, false alarms and every under-triage case on each labelled set.
eval: train
	$(PY) scripts/report_nlu.py --check-overlap --heldout tests/nlu_test/heldout.yml
	$(PY) scripts/report_nlu.py --check-overlap --heldout tests/nlu_test/blind_2.yml
	$(RASA) test nlu --model models/current.tar.gz --nlu tests/nlu_test/heldout.yml --out results/nlu
	$(PY) scripts/report_nlu.py results/nlu/intent_report.json
	$(RASA) test nlu --model models/current.tar.gz --nlu tests/nlu_test/blind_2.yml --out results/nlu_blind_2
	$(PY) scripts/report_nlu.py results/nlu_blind_2/intent_report.json
	$(PY) scripts/eval_red_flags.py

preview: train system-deps
	$(PY) -m bot.preview
	$(PY) scripts/check_consistency.py build/preview/trackers

bench: train system-deps
	$(PY) bench/run_bench.py

run-cluster: train system-deps env
	bash scripts/run_cluster.sh

retention: install
	$(PY) -m bot.retention

test: install system-deps spacy lint lint-content validate train
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-stories
	$(MAKE) --no-print-directory eval
	$(MAKE) --no-print-directory preview

clean:
	rm -rf models results build .cache .pytest_cache
