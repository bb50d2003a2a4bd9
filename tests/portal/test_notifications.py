"""The bell: one notification per key, unread count, mark read."""

from django.urls import reverse

from portal import services
from tests.factories import NotificationFactory, UserFactory


def test_sending_the_same_key_twice_creates_one_notification(db):
    user = UserFactory()
    first = services.notification_send(recipient=user, key="han-nop-bao-cao", title="Sắp đến hạn")
    again = services.notification_send(recipient=user, key="han-nop-bao-cao", title="Sắp đến hạn")
    assert first.pk == again.pk
    assert user.notifications.count() == 1


def test_bell_shows_unread_count_and_mark_all_read_clears_it(client, db):
    user = UserFactory(roles=["agency_staff"])
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=UserFactory())  # someone else's
    client.force_login(user)
    page = client.get(reverse("notification_list")).content.decode()
    assert 'bell-count">3<' in page
    client.post(reverse("notification_mark_all_read"))
    page = client.get(reverse("notification_list")).content.decode()
    assert "bell-count" not in page


def test_marking_one_read_from_the_bell_answers_the_new_count(client, db):
    # The count that comes with the signed-in user predates the marking: the bell is counted again.
    user = UserFactory(roles=["agency_staff"])
    first, _second = NotificationFactory.create_batch(2, recipient=user)
    client.force_login(user)
    bell = client.post(reverse("notification_mark_read", args=[first.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'bell-count">1<' in bell


def test_roles_and_bell_come_with_the_user_in_one_query(client, db, django_assert_num_queries):
    user = UserFactory(roles=["agency_staff", "co_reviewer"])
    NotificationFactory.create_batch(2, recipient=user)
    client.force_login(user)
    with django_assert_num_queries(3):  # the session, the user with all that, the notifications
        page = client.get(reverse("notification_list")).content.decode()
    assert 'bell-count">2<' in page
    assert reverse("agency_home") in page and reverse("review_home") in page  # the menu of both roles


def test_cannot_mark_someone_elses_notification(client, db):
    mine, theirs = UserFactory(), NotificationFactory()
    client.force_login(mine)
    client.post(reverse("notification_mark_read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notification_text_is_escaped(client, db):
    user = UserFactory()
    NotificationFactory(recipient=user, title="<script>alert(1)</script>")
    client.force_login(user)
    page = client.get(reverse("notification_list")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_email_opt_out_is_saved_from_settings_page(client, db):
    user = UserFactory()
    client.force_login(user)
    client.post(
        reverse("preferences"), {"full_name": "Nguyễn Văn A", "email": "a@example.test", "reminder_digest": "on"}
    )
    user.refresh_from_db()
    assert user.email_reminders is False
    assert user.reminder_digest is True
