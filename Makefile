# The two commands of a fresh machine: `make run` and `make test` (see README); `make prod` runs the
# production stack on this machine (DEBUG off, PostgreSQL, Redis, gunicorn, Celery, nginx).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Production on this machine: its own env file (never the embedded .env), HTTPS on PROD_PORT.
PROD_ENV ?= prod.env
PROD_PORT ?= 8443
PROD := ENV_FILE=$(abspath $(PROD_ENV)) $(PY)
# Debian packages the tests use: WeasyPrint fonts and shaping, Chromium for browser tests,
# poppler to read our PDFs, LibreOffice to read our spreadsheets, gettext for the catalogue check,
# nginx, openssl and systemd-analyze to check and run the production configuration.
APT_PACKAGES := chromium chromium-driver poppler-utils fonts-liberation2 libharfbuzz-subset0 \
	libreoffice-calc-nogui gettext nginx openssl systemd
SYS_CHECK := command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v soffice >/dev/null \
	&& command -v msgfmt >/dev/null && command -v nginx >/dev/null && command -v openssl >/dev/null \
	&& command -v systemd-analyze >/dev/null && fc-list | grep -q LiberationSerif-Regular.ttf \
	&& ls /usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0 >/dev/null 2>&1

.PHONY: run test venv sysdeps migrate demo messages lint bench lighthouse report-preview clean prod prod-prepare prod-test

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed

sysdeps:
	@if ! ( $(SYS_CHECK) ); then \
	  echo "Installing Debian packages: $(APT_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi
	@$(SYS_CHECK) || { echo "Missing system packages: $(APT_PACKAGES)"; exit 1; }

var:
	mkdir -p var/mail var/broker/queue var/broker/processed var/celery-results var/media

# The embedded default's settings, read by manage.py, Celery, honcho and the tests: DEBUG on and a
# generated key (production refuses keys that start with "embedded-").
.env:
	@$(PYTHON) -c 'import secrets; print("# Written by make run: the embedded default. Production uses its own ENV_FILE (README).\nDEBUG=true\nSECRET_KEY=embedded-" + secrets.token_urlsafe(48))' > $@
	@echo "Wrote .env (the embedded default: DEBUG on, a generated SECRET_KEY)."

migrate: venv var .env
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo_province

run: venv var migrate demo
	@echo ""
	@echo "  DVCQ Portal: http://127.0.0.1:$(PORT)/   (e-mail goes to var/mail/)"
	@echo "  Stop with Ctrl+C."
	@echo ""
	PORT=$(PORT) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho start -e .env -f Procfile

# --- Production on this machine -------------------------------------------------------------
$(PROD_ENV):
	PROD_PORT=$(PROD_PORT) deploy/new-env > $@
	chmod 600 $@
	@echo "Wrote $@ (production settings with a fresh SECRET_KEY): review it."

# Everything before the processes start; CI runs this too, then starts deploy/Procfile.prod's lines.
prod-prepare: venv var $(PROD_ENV)
	@command -v nginx >/dev/null || { echo "Installing nginx"; $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq --no-install-recommends nginx openssl >/dev/null; }
	deploy/local-services
	$(PROD) manage.py check --deploy --fail-level WARNING
	$(PROD) manage.py migrate --noinput -v0
	$(PROD) manage.py collectstatic --noinput -v0
	@if [ -n "$(DEMO)" ]; then $(PROD) manage.py load_demo_province; fi
	mkdir -p var/nginx/tmp
	test -f var/nginx/tls.crt || openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
	  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout var/nginx/tls.key -out var/nginx/tls.crt 2>/dev/null
	$(PROD) manage.py nginx_config --listen $(PROD_PORT) --redirect-port '' --cert $(CURDIR)/var/nginx/tls.crt \
	  --key $(CURDIR)/var/nginx/tls.key $(foreach u,$(UPSTREAMS),--upstream $(u)) > var/nginx/site.conf
	cp deploy/nginx/nginx-local.conf var/nginx/nginx.conf
	nginx -t -q -p var/nginx -c nginx.conf -e stderr

prod: prod-prepare
	@echo ""
	@echo "  DVCQ Portal (production mode): https://localhost:$(PROD_PORT)/  (self-signed certificate)"
	@echo "  Stop with Ctrl+C."
	@echo ""
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH ENV_FILE=$(abspath $(PROD_ENV)) $(VENV)/bin/honcho start -e $(PROD_ENV) -f deploy/Procfile.prod -d .

# The production stack, started from deploy/Procfile.prod, driven by browser journeys (CI runs it).
prod-test: sysdeps venv var
	$(PY) -m pytest tests/prod -p no:randomly -o addopts="-q -p no:cacheprovider" --prod

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: sysdeps venv var lint
	DEBUG=false SECRET_KEY=test-only $(PY) manage.py makemigrations --check --dry-run -v1 --settings=portal.settings_test
	$(PY) -m pytest

report-preview: sysdeps venv var demo
	$(PY) manage.py render_report_preview
	@echo "Open var/report-preview/ (the PDF, trang-1-*.png and phu-luc-*.png)."

# What users feel, beside anchors, on national-scale data: builds (or reuses) the bench databases,
# measures, writes docs/PERFORMANCE.md (bench/README.md). Minutes; not part of `make test`.
# `make bench QUICK=1` runs fewer and shorter rounds. PostgreSQL and Redis come from deploy/local-services.
BENCH_APT := wrk fonts-liberation2 libharfbuzz-subset0
BENCH_CHECK := command -v wrk >/dev/null && fc-list | grep -q LiberationSerif-Regular.ttf \
	&& ls /usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0 >/dev/null 2>&1
bench: venv var
	@if ! ( $(BENCH_CHECK) ); then \
	  echo "Installing Debian packages: $(BENCH_APT)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq --no-install-recommends $(BENCH_APT) >/dev/null; \
	fi
	DB_NAME=dvcq_bench deploy/local-services
	QUICK=$(QUICK) $(PY) -m bench

# Lighthouse (phone preset) on the six pages of issue 13, signed in, the portal served as in production:
# writes docs/LIGHTHOUSE.md (bench/lighthouse.py). Minutes; not part of `make test`. Lighthouse comes
# from npm into var/tools (never global); Chromium and Node from Debian.
LIGHTHOUSE_VERSION := 13.5.0
LIGHTHOUSE_BIN := var/tools/node_modules/.bin/lighthouse
$(LIGHTHOUSE_BIN):
	@command -v chromium >/dev/null && command -v npm >/dev/null || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq --no-install-recommends chromium nodejs npm >/dev/null; }
	mkdir -p var/tools
	npm install --prefix var/tools --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: venv var $(LIGHTHOUSE_BIN)
	DB_NAME=dvcq_lighthouse deploy/local-services
	CHROME_PATH=/usr/bin/chromium $(PY) -m bench.lighthouse

messages: venv .env
	$(PY) manage.py makemessages -l vi --no-obsolete --no-location --ignore='.venv/*' --ignore='var/*' --ignore='tests/*'
	$(PY) manage.py compilemessages -l vi --ignore='.venv/*' --ignore='var/*'

clean:
	rm -rf var/broker var/celery-results var/celerybeat-schedule*
