# The two commands of the README: `make run` and `make test`. Everything else is a step they need.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test install ui dist browser remote-stores clean

# Flags for `mcfkg serve`, e.g. make run SERVE_ARGS="--host 0.0.0.0 --port 8080" (see mcfkg serve --help).
SERVE_ARGS ?=
# The on-disk store the main job serves: sources ingested and writes acknowledged survive a restart.
STORE ?= var/store
run: install ui dist
	$(BIN)/mcfkg serve --store $(STORE) $(SERVE_ARGS)

test: install ui browser remote-stores
	MCFKG_REQUIRE_BROWSER=1 $(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Front-end libraries (YASGUI, Cytoscape.js) come from the npm registry, never a CDN.
ui: src/mcfkg/web/static/vendor/.installed

src/mcfkg/web/static/vendor/.installed: package.json package-lock.json scripts/vendor.sh
	npm ci --no-audit --no-fund
	sh scripts/vendor.sh
	touch $@

dist: install
	$(BIN)/mcfkg build

# Browser tests drive Debian's Chromium (with a CJK font, so Chinese names render in screenshots);
# install the packages only where they are missing.
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-zenhei
browser:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES))

# The remote-store tests (tests/remote) start a Virtuoso of their own; its package asks for a dba password
# at install, answered here so the install never waits for a person (the tests set their own instance's).
VIRTUOSO_DBA_PASSWORD ?= mcfkg-ci-dba
remote-stores:
	@dpkg -s virtuoso-opensource >/dev/null 2>&1 || ( \
	  printf '%s\n' "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password $(VIRTUOSO_DBA_PASSWORD)" \
	    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password $(VIRTUOSO_DBA_PASSWORD)" \
	    | debconf-set-selections && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource)

clean:
	rm -rf $(VENV) dist node_modules src/mcfkg/web/static/vendor
