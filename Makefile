# Refugio — the two commands a newcomer needs: `make run` and `make test`.
# Both install what they need first (uv, the locked Python packages, Debian packages if missing).

SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
FORMS ?= $(abspath $(CURDIR)/../shared/forms)
export REFUGIO_FORMS_DIR ?= $(FORMS)
# Debian packages the suite and the filler use: qpdf and poppler to check outputs, Noto and
# Droid (Han) and Nanum (Hangul) fonts for native-alphabet names, pdftk-java for the
# benchmark's reference.
DEB_PACKAGES := qpdf poppler-utils fonts-noto-core fonts-droid-fallback fonts-nanum pdftk-java

.PHONY: run test lint typecheck bench deps system-deps clean

run: deps
	@mkdir -p out
	$(PY) -m refugio fill examples/b-dissident-businessman.json -o out/example-b-i589.pdf
	@echo "The filled I-589 for the fictional example (b) is at $(CURDIR)/out/example-b-i589.pdf"

test: deps
	$(PY) -m ruff check src tests tools
	$(PY) -m mypy
	$(PY) -m pytest -q

lint: deps
	$(PY) -m ruff check src tests tools

typecheck: deps
	$(PY) -m mypy

bench: deps
	$(PY) tools/bench.py --write docs/benchmarks.md

deps: system-deps .venv/.synced

.venv/.synced: pyproject.toml uv.lock
	@test -x "$(UV)" || python3 -m pip install --quiet --user uv
	$(UV) sync --frozen
	@touch $@

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

clean:
	rm -rf .venv out .pytest_cache .mypy_cache .ruff_cache .hypothesis
