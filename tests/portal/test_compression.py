"""Responses are compressed where that is safe, static files carry hashed names and are cached for a
year (issue 13: weight). Why compressing pages with a CSRF token is safe: portal/compression.py."""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from portal.compression import TextGZipMiddleware, gzip_exempt

ROOT = Path(__file__).resolve().parents[2]
PAGE = "<!doctype html><title>Đăng nhập</title>" + "<p>Cổng Dân vận chính quyền</p>" * 200


def csrf_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_pages_are_gzipped_for_browsers_that_accept_it(client):
    response = client.get("/tai-khoan/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "Đăng nhập" in html
    assert len(response.content) < len(html.encode()) / 2


@pytest.mark.django_db
def test_a_client_without_gzip_gets_the_plain_page(client):
    response = client.get("/tai-khoan/login/")
    assert not response.has_header("Content-Encoding")
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_the_same_page_never_compresses_to_the_same_bytes(client):
    """BREACH reads how the length of one secret-bearing page changes: the CSRF token is masked anew
    and the compressed body padded with random bytes on every response."""
    first = client.get("/tai-khoan/login/", HTTP_ACCEPT_ENCODING="gzip")
    second = client.get("/tai-khoan/login/", HTTP_ACCEPT_ENCODING="gzip")
    first_html, second_html = (gzip.decompress(r.content).decode() for r in (first, second))
    assert csrf_in(first_html) != csrf_in(second_html)
    assert first.content != second.content


def run_middleware(response, view=None):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    middleware = TextGZipMiddleware(lambda r: response)
    if view is not None:
        middleware.process_view(request, view, (), {})
    return middleware(request)


def test_json_is_compressed_and_files_are_not():
    assert run_middleware(HttpResponse(json.dumps({"x": "y" * 1000}), content_type="application/json")).has_header(
        "Content-Encoding"
    )
    pdf = run_middleware(HttpResponse(b"%PDF-1.7" + b"0" * 5000, content_type="application/pdf"))
    assert not pdf.has_header("Content-Encoding")
    xlsx = run_middleware(
        FileResponse(
            iter([b"PK" + b"0" * 5000]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )
    assert not xlsx.has_header("Content-Encoding")


def test_a_view_marked_exempt_is_never_compressed():
    @gzip_exempt
    def shows_a_secret(request):
        return HttpResponse(PAGE)

    assert not run_middleware(HttpResponse(PAGE), view=shows_a_secret).has_header("Content-Encoding")
    assert run_middleware(HttpResponse(PAGE), view=lambda r: None)["Content-Encoding"] == "gzip"


def test_production_collects_static_files_under_hashed_precompressed_names():
    """DEBUG off (production): collectstatic writes name.<hash>.css and its .gz (WhiteNoise)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"DEBUG": "false", "SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "portal.settings"})
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    backend = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_nginx_compresses_text_and_caches_static_files_for_a_year(capsys):
    call_command("nginx_config", "--cert", "/etc/ssl/c.pem", "--key", "/etc/ssl/k.pem")
    site = capsys.readouterr().out
    assert re.search(r"^\s*gzip\s+on;", site, re.M)
    types = re.search(r"gzip_types([^;]+);", site).group(1).split()
    assert {"text/css", "application/javascript", "application/json", "image/svg+xml"} <= set(types)
    static = re.search(r"location /static/ \{(.*?)\n    \}", site, re.S).group(1)
    assert "expires 1y;" in static
    assert "immutable" in static
    assert "gzip_static on;" in static
