"""Every role's pages through nginx in production mode: no missing static file, no CSP violation, no
script error, and the headers a province's security officer checks."""

from __future__ import annotations

import urllib.error

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in

# What each role opens in a working day (the demo province: 2021 final, the current year open).
PAGES = {
    "canbo.tuphap": ["/don-vi/", "/ke-hoach/", "/cham-diem/", "/thong-bao/", "/tai-khoan/cai-dat/"],
    "thamdinh.noivu": ["/tham-dinh/", "/cham-diem/", "/co-quan/"],
    "phoihop.vpubnd": ["/tham-dinh/", "/cham-diem/"],
    "lanhdao.tinh": ["/lanh-dao/", "/bao-cao/", "/ke-hoach/"],
    "quantri": ["/quan-tri/", "/admin/", "/admin/scoring/criteriaset/"],
}


@pytest.mark.parametrize("username", PAGES)
def test_each_role_works_in_production_mode_without_a_broken_asset(stack, page: Page, problems, username):
    log_in(page, username)
    for path in PAGES[username]:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        page.wait_for_load_state("networkidle")
        expect(page.locator("body")).not_to_contain_text("Server Error")
        # Follow the first links a person would click from here, too (dossiers, periods, sheets).
        for link in page.locator("main a[href^='/']").all()[:6]:
            href = link.get_attribute("href")
            if href and not href.endswith((".xlsx", "/tai/", "/excel/")):
                assert page.request.get(href).status in (200, 302), href
    assert problems.items == []


def test_security_headers_on_a_signed_in_page(stack, page: Page):
    log_in(page, "lanhdao.tinh")
    response = page.goto("/bao-cao/")
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in headers["permissions-policy"]
    assert "no-store" in headers["cache-control"]
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "server" not in headers or "nginx/" not in headers["server"]  # server_tokens off


def test_static_files_come_from_nginx_with_hashed_names_and_a_long_cache(stack, page: Page):
    page.goto("/tai-khoan/login/")
    css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert css.startswith("/static/") and css.count(".") >= 2  # manifest name: bootstrap.min.<hash>.css
    response = page.request.get(css)
    assert response.status == 200
    assert "immutable" in response.headers["cache-control"]


def test_uploaded_files_are_never_served_directly(stack):
    with pytest.raises(urllib.error.HTTPError) as refused:
        stack.get("/media/evidence/anything.pdf")
    assert refused.value.code == 404


def test_the_api_schema_is_for_signed_in_users_only(stack):
    with pytest.raises(urllib.error.HTTPError) as refused:
        stack.get("/api/v1/schema/")
    assert refused.value.code in (401, 403)
