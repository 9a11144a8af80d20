# Two commands set everything up on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEBS := python3-venv tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet poppler-utils \
        fonts-noto-core fonts-dejavu-core softhsm2 opensc libnss3-tools chromium chromium-driver postgresql \
        faketime ghostscript
DEMO ?= 1
# Demo keys are used remotely through the local CSC test service (PIN 123456); DEMO_CSC=0: as files.
DEMO_CSC ?= 1
export OMP_THREAD_LIMIT := 1

.PHONY: run test bench mutation css axe system-packages venv clean-test

# Demo mode: the server also serves the demo PKI (CRL, OCSP, TSA; Certomancer) on PKI_PORT (8079).
run: system-packages venv
	DEMO=$(DEMO) $(PY) main.py migrate
	DEMO=$(DEMO) DEMO_CSC=$(DEMO_CSC) $(PY) main.py

test: system-packages venv axe
	bash tools/run_tests.sh

# Mutation testing of the rule modules (mutmut; not part of `make test`): one module at a time, each with the
# tests that cover it; report in build/mutation/report.md. `make mutation MODULES=domain/fees.py` for some.
mutation: system-packages venv
	$(PY) tools/mutation.py $(MODULES)

bench: system-packages venv
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

# The prebuilt stylesheet and icon subset (components/static/), committed; rebuild after adding a class.
css: venv
	bash tools/css/build.sh

# axe-core (pinned in tools/axe/package-lock.json), injected by the Chromium tests into every page.
axe: tools/axe/node_modules/axe-core/axe.min.js

tools/axe/node_modules/axe-core/axe.min.js: tools/axe/package-lock.json
	cd tools/axe && npm ci --no-audit --no-fund
	@touch $@

# Debian packages: installed when missing and we are root; otherwise the line to run is printed
# and make stops (TESTS_ALLOW_MISSING=1 lets a developer's laptop go on; never set it in CI).
system-packages:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo -n "$$p "; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages; run as root: apt-get install -y $$missing"; \
	    [ -n "$${TESTS_ALLOW_MISSING:-}" ] || exit 1; \
	  fi; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml tools/requirements.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) tools/requirements.py test > $(VENV)/requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check -r $(VENV)/requirements.txt
	@touch $@
