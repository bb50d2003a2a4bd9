# The two commands of a fresh machine: `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The embedded default: SQLite, filesystem broker and e-mail to files, all under var/.
RUN_ENV := DEBUG=$${DEBUG:-true}
# Debian packages the tests use: WeasyPrint fonts and shaping, Chromium for browser tests,
# poppler to read our PDFs, LibreOffice to read our spreadsheets, gettext for the catalogue check.
APT_PACKAGES := chromium chromium-driver poppler-utils fonts-liberation2 libharfbuzz-subset0 \
	libreoffice-calc-nogui gettext
SYS_CHECK := command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v soffice >/dev/null \
	&& command -v msgfmt >/dev/null && fc-list | grep -q LiberationSerif-Regular.ttf \
	&& ls /usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0 >/dev/null 2>&1

.PHONY: run test venv sysdeps migrate demo messages lint bench report-preview clean

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

migrate: venv var
	$(RUN_ENV) $(PY) manage.py migrate --noinput -v0

demo: migrate
	$(RUN_ENV) $(PY) manage.py load_demo_province

run: venv var migrate demo
	@echo ""
	@echo "  DVCQ Portal: http://127.0.0.1:$(PORT)/   (e-mail goes to var/mail/)"
	@echo "  Stop with Ctrl+C."
	@echo ""
	$(RUN_ENV) PORT=$(PORT) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho start -f Procfile

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: sysdeps venv var lint
	DEBUG=false SECRET_KEY=test-only $(PY) manage.py makemigrations --check --dry-run -v1 --settings=portal.settings_test
	$(PY) -m pytest

report-preview: sysdeps venv var demo
	$(RUN_ENV) $(PY) manage.py render_report_preview
	@echo "Open var/report-preview/ (the PDF, trang-1-*.png and phu-luc-*.png)."

bench: venv var
	$(PY) -m bench

messages: venv
	$(RUN_ENV) $(PY) manage.py makemessages -l vi --no-obsolete --no-location --ignore='.venv/*' --ignore='var/*' --ignore='tests/*'
	$(RUN_ENV) $(PY) manage.py compilemessages -l vi --ignore='.venv/*' --ignore='var/*'

clean:
	rm -rf var/broker var/celery-results var/celerybeat-schedule*
