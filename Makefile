# Refugio — the two commands a newcomer needs: `make run` and `make test`.
# Both install what they need first (uv, the locked Python packages, Debian packages if missing).

SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
FORMS ?= $(abspath $(CURDIR)/../shared/forms)
export REFUGIO_FORMS_DIR ?= $(FORMS)
# Debian packages the suite and the filler use: qpdf and poppler to check outputs, Noto and
# Droid (Han) and Nanum (Hangul) fonts for native-alphabet names, pdftk-java for the
# benchmark's reference; gettext compiles the translations; Node.js and npm install the U.S. Web
# Design System (served by the app itself); Chromium runs the browser tests; LibreOffice opens
# the declaration's DOCX in a test, as a word processor would.
DEB_PACKAGES := qpdf poppler-utils fonts-noto-core fonts-droid-fallback fonts-nanum pdftk-java \
	gettext chromium libreoffice-writer-nogui
# Node.js and npm only if no `npm` is on the PATH (a machine may have its own, newer Node.js,
# which Debian's npm package would conflict with).
NODE_PACKAGES := $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
MANAGE := REFUGIO_DEBUG=1 $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run fill-example test test-postgres lint typecheck bench bench-web deps system-deps messages clean

# The web app on the embedded default (SQLite in var/), with a demo organisation, a
# representative account and the fictional example case (b).
run: deps
	$(MANAGE) migrate --verbosity 0
	@echo
	@echo "Refugio (demo, fictional data) at http://$(HOST):$(PORT)/"
	@$(MANAGE) demo
	@echo
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

# The core alone: fill example (b) into out/ (what `make run` did before the web app).
fill-example: deps
	@mkdir -p out
	$(PY) -m refugio fill examples/b-dissident-businessman.json -o out/example-b-i589.pdf
	@echo "The filled I-589 for the fictional example (b) is at $(CURDIR)/out/example-b-i589.pdf"

test: deps
	$(PY) -m ruff check src tests tools
	$(PY) -m mypy
	$(PY) -m pytest -q

# The web tests again, on PostgreSQL (DATABASE_URL must point at a server; .ci/run starts one).
test-postgres: deps
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "test-postgres: set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DB" >&2; exit 2;; esac
	$(PY) -m pytest -q tests/web

lint: deps
	$(PY) -m ruff check src tests tools

typecheck: deps
	$(PY) -m mypy

# The filler against pdftk-java, and the web app saving interview steps (gunicorn, SQLite).
bench: deps
	$(PY) tools/bench.py --write docs/benchmarks.md

# The web benchmark alone: prints its section of docs/benchmarks.md.
bench-web: deps
	$(PY) tools/bench_web.py

deps: system-deps .venv/.synced node_modules/.installed messages

# Front-end files, pinned by package-lock.json; no install scripts run.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Compiled translations (.mo) are built, not committed.
messages: .venv/.synced
	@cd src/refugio_web && REFUGIO_DEBUG=1 ../../$(PY) ../../manage.py compilemessages --verbosity 0

.venv/.synced: pyproject.toml uv.lock
	@test -x "$(UV)" || python3 -m pip install --quiet --user uv
	$(UV) sync --frozen
	@touch $@

system-deps:
	@missing=""; for p in $(DEB_PACKAGES) $(NODE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

clean:
	rm -rf .venv out .pytest_cache .mypy_cache .ruff_cache .hypothesis node_modules
