"""Login, role landing pages, lockout, passwords, sessions — all in Vietnamese."""

import logging

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.demo import DEMO_PASSWORD, DEMO_USERS
from portal.models import Role
from tests.factories import UserFactory

LANDING = {
    "canbo.tuphap": ("agency_home", "Sở Tư pháp"),
    "lanhdao.tuphap": ("agency_home", "Sở Tư pháp"),
    "thamdinh.noivu": ("review_home", "Thẩm định"),
    "phoihop.vpubnd": ("review_home", "Thẩm định"),
    "lanhdao.tinh": ("leader_home", "Tổng quan toàn tỉnh"),
    "quantri": ("admin_home", "Quản trị"),
    "bcd.qcdc": ("steering_home", "Tây Ninh"),
    "chamdiem.ldld": ("review_home", "Thẩm định"),
    "chamdiem.bdvtu": ("review_home", "Thẩm định"),
    "canbo.caosu": ("agency_home", "Công ty Cổ phần Cao su Tây Ninh"),
}


def login(client, username, password=DEMO_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password}, follow=True)


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_each_demo_login_lands_on_its_role_home(client, demo_core, username):
    url_name, heading = LANDING[username]
    response = login(client, username)
    assert response.redirect_chain[-1][0] == reverse(url_name)
    page = response.content.decode()
    assert heading in page
    assert '<html lang="vi">' in page


def test_login_page_is_vietnamese_and_anonymous_is_sent_there(client, db):
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    page = response.content.decode()
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page


def test_wrong_password_shows_vietnamese_error_and_keeps_the_username(client, demo_core):
    page = login(client, "canbo.tuphap", "sai-mat-khau").content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page
    assert 'value="canbo.tuphap"' in page


def test_lockout_after_repeated_failures(client, demo_core):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo.tuphap", "sai-mat-khau")
    # Even the right password is refused while locked, with a Vietnamese explanation.
    response = login(client, "canbo.tuphap")
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_block_a_colleague(client, demo_core):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo.tuphap", "sai-mat-khau")
    response = login(Client(), "lanhdao.tuphap")
    assert response.redirect_chain[-1][0] == reverse("agency_home")


def test_passwords_never_reach_the_logs(client, demo_core, caplog):
    caplog.set_level(logging.DEBUG)
    login(client, "canbo.tuphap", "Bi-mat-Tuyet-Doi-77")
    login(client, "canbo.tuphap")
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert "Bi-mat-Tuyet-Doi-77" not in text
    assert DEMO_PASSWORD not in text
    assert client.cookies["sessionid"].value not in text


def test_logout_is_a_post_and_ends_the_session(client, demo_core):
    login(client, "canbo.tuphap")
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("agency_home")).status_code == 302


def test_weak_new_password_is_refused_in_vietnamese(client, db):
    user = UserFactory(roles=[Role.AGENCY_STAFF])
    client.force_login(user)
    page = client.post(
        reverse("password_change"),
        {"old_password": "Mat-khau-2026!", "new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "Mật khẩu quá ngắn" in page
    assert "chữ cái, chữ số và ít nhất một ký hiệu" in page
    user.refresh_from_db()
    assert user.check_password("Mat-khau-2026!")


def test_strong_password_change_succeeds(client, db):
    user = UserFactory(roles=[Role.AGENCY_STAFF])
    client.force_login(user)
    client.post(
        reverse("password_change"),
        {"old_password": "Mat-khau-2026!", "new_password1": "Dan-van-kheo-2026", "new_password2": "Dan-van-kheo-2026"},
    )
    user.refresh_from_db()
    assert user.check_password("Dan-van-kheo-2026")


def test_password_reset_sends_a_vietnamese_email(client, db):
    UserFactory(email="canbo@example.test", roles=[Role.AGENCY_STAFF])
    client.post(reverse("password_reset"), {"email": "canbo@example.test"})
    assert len(mail.outbox) == 1
    assert "Đặt lại mật khẩu" in mail.outbox[0].subject
    assert "/tai-khoan/password/reset/" in mail.outbox[0].body


def test_login_without_csrf_token_is_refused(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_user_without_role_sees_an_explanation(client, db):
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert "Tài khoản của bạn chưa được phân vai trò" in page


@pytest.mark.parametrize(
    ("role", "url_name", "status"),
    [
        (Role.AGENCY_STAFF, "review_home", 403),
        (Role.AGENCY_STAFF, "leader_home", 403),
        (Role.AGENCY_STAFF, "admin_home", 403),
        (Role.CO_REVIEWER, "agency_home", 403),
        (Role.LEADER, "review_home", 403),
        (Role.REVIEWER, "admin_home", 403),
        (Role.REVIEWER, "leader_home", 200),
    ],
)
def test_role_areas_are_closed_to_other_roles(client, db, role, url_name, status):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse(url_name)).status_code == status


def test_an_active_session_is_renewed_at_most_once_a_minute(client, demo_core):
    import datetime as dt

    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.models import User

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(User.objects.get(username="canbo.tuphap"))
        client.get(reverse("notification_list"))
        expiry = Session.objects.get().expire_date
        clock.shift(dt.timedelta(seconds=20))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("notification_list"))
        assert not any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in queries.captured_queries)
        clock.shift(dt.timedelta(minutes=2))
        client.get(reverse("notification_list"))
        # Working keeps the session alive: its idle expiry starts again from now.
        assert Session.objects.get().expire_date > expiry + dt.timedelta(minutes=1)
