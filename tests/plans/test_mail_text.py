"""E-mail subjects and notification titles are plain text, escaped once where they are shown."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from plans import services, tasks
from portal.models import Notification
from tests.factories import DeliverableTypeFactory, PlanFactory, ReminderPolicyFactory

TITLE = "Báo cáo Q&A <2021> “đặc biệt”"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def reminded(world, django_capture_on_commit_callbacks):
    """A deliverable whose title has &, < and > in it, reminded three days before its deadline."""
    policy = ReminderPolicyFactory(province=world["province"], days_before=[3])
    plan = PlanFactory(province=world["province"], year=2021, reminder_policy=policy, title=f"Kế hoạch {TITLE}")
    DeliverableTypeFactory(plan=plan, code="qa", title=TITLE, due_on=dt.date(2021, 6, 15)).groups.set([world["group"]])
    with time_machine.travel(dt.datetime(2021, 1, 4, 8, tzinfo=TZ), tick=False):
        services.plan_issue(plan=plan)
    with (
        time_machine.travel(dt.datetime(2021, 6, 11, 8, tzinfo=TZ), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.reminder_sweep()
    return world


def test_reminder_subject_is_the_title_as_typed(reminded):
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {f"[Cổng DVCQ] {TITLE} còn 4 ngày đến hạn (15/06/2021)"}
    for message in mail.outbox:
        assert TITLE in message.subject
        assert "&amp;" not in message.subject and "&lt;" not in message.subject
        assert TITLE in message.body and "&amp;" not in message.body


def test_notification_title_is_stored_plain_and_shown_escaped_once(client, reminded):
    notification = Notification.objects.filter(recipient=reminded["staff"]).get()
    assert TITLE in notification.title
    assert "&" in notification.title and "&amp;" not in notification.title
    client.force_login(reminded["staff"])
    page = client.get(reverse("notification_list")).content.decode()
    assert "Báo cáo Q&amp;A &lt;2021&gt; “đặc biệt”" in page
    assert "&amp;amp;" not in page and "&amp;lt;" not in page
    assert "<2021>" not in page


def test_every_text_mail_template_turns_autoescape_off():
    """A .txt template is plain text: HTML escaping there would put &amp; into subjects and bodies."""
    roots = [Path(settings.BASE_DIR) / "templates"] + [
        Path(settings.BASE_DIR) / app / "templates" for app in ("portal", "plans", "scoring", "reports")
    ]
    templates = [path for root in roots if root.exists() for path in root.rglob("*.txt")]
    assert templates
    for path in templates:
        text = path.read_text()
        assert "{% autoescape off %}" in text and text.rstrip().endswith("{% endautoescape %}"), path
