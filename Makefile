# Osallistu: `make run` serves the Kuopio demo, `make test` runs the whole suite.
# Both set up everything they need on a fresh clone: the virtual environment, Python packages,
# system packages (where this runs as root with apt-get), translations and the database.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production sets its own environment (docs/deployment.md).
export DEBUG ?= 1
export PYTHONDONTWRITEBYTECODE := 1

# Browser tests need Chromium and npm (for axe-core); only `make test` installs them.
export OSALLISTU_NEED_BROWSER := $(if $(filter test,$(MAKECMDGOALS)),1,)

.PHONY: run test test-sqlite test-postgresql install system-packages messages axe lint check-migrations audit clean

# Poster QR codes and newsletter links use the address the demo is served on.
run: export OSALLISTU_SITE_URL ?= http://$(HOST):$(PORT)
run: system-packages install messages
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo
	# Without a separate worker process, background tasks (staff imports) run inside the request.
	TASKS_IMMEDIATE=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

# gettext compiles the translations; xmlsec1 checks Suomi.fi SAML signatures; Pango lets
# WeasyPrint render PDFs; Poppler's pdftoppm rasterises posters so tests can decode their QR codes;
# Chromium and Node.js run the browser tests.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v xmlsec1 >/dev/null || missing="$$missing xmlsec1"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$OSALLISTU_NEED_BROWSER" ] || [ -n "$$OSALLISTU_REQUIRE_BROWSER" ]; then \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v npm >/dev/null || missing="$$missing npm"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them with your package manager, for example: sudo apt-get install$$missing"; \
	    case "$$missing" in *gettext*) exit 1;; esac; \
	  fi; \
	fi

messages: install
	cd osallistu && ../$(BIN)/django-admin compilemessages --ignore=.venv -v0

# axe-core for the browser tests; without npm they are skipped (and fail in CI).
axe:
	@if command -v npm >/dev/null; then \
	  [ node_modules/.installed -nt package-lock.json ] || { npm ci --no-audit --no-fund --silent && touch node_modules/.installed; }; \
	else \
	  echo "npm is missing: the browser tests will be skipped. Install it with: sudo apt-get install npm"; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Known vulnerabilities of the pinned packages (docs/security.md). Where PyPI's vulnerability data
# does not answer, it reports the packages it could not audit and fails only with
# OSALLISTU_REQUIRE_AUDIT=1.
audit: install
	$(BIN)/python scripts/audit_dependencies.py

# The suite runs on SQLite, then on PostgreSQL. OSALLISTU_REQUIRE_POSTGRES=1 and
# OSALLISTU_REQUIRE_BROWSER=1 (set by .ci/run) turn a missing PostgreSQL or Chromium into a failure.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/osallistu

test: system-packages install messages axe lint check-migrations audit
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgresql

# The two runs of `make test`, without its set-up steps. tests/deployment runs test-postgresql
# against an unreachable server to check the OSALLISTU_REQUIRE_POSTGRES switch.
test-sqlite:
	SECRET_KEY=test-only-secret OSALLISTU_IDENTITY_HMAC_KEY=test-only-hmac DEBUG=0 TASKS_IMMEDIATE=1 $(BIN)/pytest $(PYTEST_ARGS)

test-postgresql:
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(TEST_DATABASE_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "Running the suite on PostgreSQL"; \
	  SECRET_KEY=test-only-secret OSALLISTU_IDENTITY_HMAC_KEY=test-only-hmac DEBUG=0 TASKS_IMMEDIATE=1 DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ -n "$$OSALLISTU_REQUIRE_POSTGRES" ]; then \
	  echo "PostgreSQL is required (OSALLISTU_REQUIRE_POSTGRES=1) but $(TEST_DATABASE_URL) does not answer."; exit 1; \
	else \
	  echo "PostgreSQL at $(TEST_DATABASE_URL) does not answer: the PostgreSQL run is skipped."; \
	fi

clean:
	rm -rf $(VENV) staticfiles node_modules
