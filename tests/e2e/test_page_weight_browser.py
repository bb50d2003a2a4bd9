"""First load of the login page, the agency home and the grid: at most 300 KB over the wire, measured
in Chromium with an empty cache against the portal served as in production (static files collected
under hashed names and precompressed, served by WhiteNoise; pages compressed by the portal)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser

BUDGET = 300 * 1024
TEXT_TYPES = ("text/html", "text/css", "application/javascript", "text/javascript", "application/json")


@pytest.fixture
def production_server(settings, tmp_path):
    """The portal with production static files: collectstatic with the production storage, and no
    test static handler in front, so WhiteNoise answers /static/ as it does behind gunicorn."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "-v0")
    thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def first_load(browser: Browser, url: str, cookie: dict | None) -> tuple[int, list[str]]:
    """Bytes over the wire (headers and encoded bodies) for `url` in a fresh context (empty cache),
    and the text responses that came uncompressed."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url)
    assert response.status == 200 and response.url == url, response.url
    page.wait_for_load_state("networkidle")
    total, plain = 0, []
    for request in finished:
        sizes = request.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        answer = request.response()
        kind = answer.headers.get("content-type", "")
        if (
            kind.startswith(TEXT_TYPES)
            and sizes["responseBodySize"] > 1024
            and "content-encoding" not in answer.headers
        ):
            plain.append(request.url)
    context.close()
    return total, plain


def session_cookie(username: str, base: str, settings) -> dict:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base}  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_first_load_of_login_agency_home_and_grid_is_under_300_kb(
    browser: Browser, production_server, demo_province, settings
):
    from scoring.models import Dossier, Phase, ScoringPeriod

    period = (
        ScoringPeriod.objects.filter(province__code="tay-ninh", program="dvcq")
        .exclude(phase=Phase.FINAL)
        .latest("year")
    )
    dossier = Dossier.objects.get(period=period, agency__code="so-tu-phap")
    staff = session_cookie("canbo.tuphap", production_server, settings)
    weights = {}
    for name, path, cookie in [
        ("login", "/tai-khoan/login/", None),
        ("agency home", "/don-vi/", staff),
        ("grid", f"/cham-diem/ho-so/{dossier.pk}/", staff),
    ]:
        total, plain = first_load(browser, production_server + path, cookie)
        assert plain == [], f"{name}: sent uncompressed: {plain}"
        weights[name] = total
    assert all(total <= BUDGET for total in weights.values()), weights
    # The measure is real: the pages do load their style sheet and scripts.
    assert all(total > 40 * 1024 for total in weights.values()), weights
