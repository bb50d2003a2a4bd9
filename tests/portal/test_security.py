"""Defences that keep strangers from stalling or peeking: the real client behind the proxy, lockouts
that a stranger cannot hold, rate limits, security headers, templates fit for a strict CSP."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from portal.demo import DEMO_PASSWORD
from portal.security import ApiUserThrottle, client_ip

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "Tài khoản tạm thời bị khóa"


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "::1"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.9", "10.0.0.7", "203.0.113.9"),  # not through our proxy: its header is not believed
        ("127.0.0.1", "10.0.0.7", "10.0.0.7"),  # nginx on this host says who it was
        ("127.0.0.1", "10.0.0.7, 10.0.0.5", "10.0.0.5"),  # the client wrote the first; nginx appended its own
        ("127.0.0.1", "10.0.0.5, 127.0.0.1", "10.0.0.5"),  # two proxies of ours in a row
        ("127.0.0.1", "not-an-address", "127.0.0.1"),  # nonsense is never taken for an address
        ("127.0.0.1", None, "127.0.0.1"),
    ],
)
def test_the_client_address_is_read_from_the_right_past_our_own_proxies(remote, forwarded, expected):
    assert client_ip(request_from(remote, forwarded)) == expected


def attempt(client: Client, username: str, password: str, address: str, claimed: str | None = None):
    # As nginx passes it on: the client's own X-Forwarded-For (if any) with its real address appended.
    forwarded = f"{claimed}, {address}" if claimed else address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_a_stranger_locks_only_his_own_address(demo_core, settings):
    stranger, reviewer = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(stranger, "thamdinh.noivu", "sai-mat-khau", "10.0.0.5", claimed="10.0.0.7")
    locked = attempt(stranger, "thamdinh.noivu", DEMO_PASSWORD, "10.0.0.5", claimed="10.0.0.7")
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert attempt(reviewer, "thamdinh.noivu", DEMO_PASSWORD, "10.0.0.7").status_code == 302


def lock_out(client: Client, settings, address: str = "10.0.0.5") -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "canbo.tuphap", "sai-mat-khau", address)


def test_a_lockout_is_not_extended_by_trying_again_and_repeat_lockouts_back_off(demo_core, settings):
    settings.AXES_COOLOFF_MINUTES = 15
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False) as clock:
        lock_out(client, settings)
        clock.move_to(start + dt.timedelta(minutes=10))
        assert attempt(client, "canbo.tuphap", "sai-mat-khau", "10.0.0.5").status_code == 429  # still locked
        clock.move_to(start + dt.timedelta(minutes=16))  # 15 minutes after the lock, not after the last try
        assert attempt(client, "canbo.tuphap", DEMO_PASSWORD, "10.0.0.5").status_code == 302
        client.logout()
        second = start + dt.timedelta(minutes=20)
        clock.move_to(second)
        lock_out(client, settings)
        clock.move_to(second + dt.timedelta(minutes=16))
        assert attempt(client, "canbo.tuphap", DEMO_PASSWORD, "10.0.0.5").status_code == 429  # now 30 minutes
        clock.move_to(second + dt.timedelta(minutes=31))
        assert attempt(client, "canbo.tuphap", DEMO_PASSWORD, "10.0.0.5").status_code == 302


@override_settings(LOGIN_RATE="3/m")
def test_one_address_trying_many_accounts_is_slowed_down_in_vietnamese(demo_core):
    client = Client()
    statuses = [attempt(client, f"nguoi{i}", "x", "10.0.0.9").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = attempt(client, "canbo.tuphap", DEMO_PASSWORD, "10.0.0.9")
    assert refused.status_code == 429 and "Quá nhiều lần thử" in refused.content.decode()
    assert attempt(Client(), "canbo.tuphap", DEMO_PASSWORD, "10.0.0.10").status_code == 302  # a colleague


@override_settings(PASSWORD_RESET_RATE="2/h")
def test_password_reset_is_limited_per_address_and_per_email(demo_core, mailoutbox):
    def reset(address: str, email: str):
        return Client().post(
            reverse("password_reset"), {"email": email}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address
        )

    assert [reset(f"10.0.1.{i}", "canbo.tuphap@tayninh.gov.vn").status_code for i in range(3)] == [302, 302, 429]
    assert [reset("10.0.2.1", f"ai{i}@example.vn").status_code for i in range(3)] == [302, 302, 429]


def test_the_read_api_is_throttled_per_token(demo_core, monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.setattr(ApiUserThrottle, "THROTTLE_RATES", {"user": "2/min"})
    client = Client()
    client.force_login(get_user_model().objects.get(username="lanhdao.tinh"))
    statuses = [client.get("/api/v1/periods/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_signed_in_page_carries_the_security_headers(client, demo_core):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="lanhdao.tinh"))
    response = client.get(reverse("leader_home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "geolocation=()" in response["Permissions-Policy"] and "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


# Markup a strict Content-Security-Policy refuses: inline script, inline style, inline handlers.
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=[\"']", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=[\"']", re.I), "inline event handler"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on (evaluated script)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_markup_that_a_strict_csp_would_block():
    templates = [
        path
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "pdf" not in path.parts  # PDF templates are for WeasyPrint only
    ]
    assert len(templates) > 20
    found = [
        f"{path.relative_to(ROOT)}: {label}"
        for path in templates
        for pattern, label in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
