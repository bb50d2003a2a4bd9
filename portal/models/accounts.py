"""Users and roles.

A user belongs to one agency of one province. Roles combine (a department head may also be a
co-reviewer) and are stored as Django groups named after the Role values, so the admin can grant
them without code; every permission is decided in portal/rules.py, never by comparing roles in a view.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    AGENCY_HEAD = "agency_head", _("Agency head")
    REVIEWER = "reviewer", _("Reviewer (Department of Home Affairs)")
    CO_REVIEWER = "co_reviewer", _("Co-reviewer")
    LEADER = "leader", _("Provincial leader")
    # Ban Chỉ đạo thực hiện QCDC: reads every grassroots-democracy result and report of its province.
    STEERING_COMMITTEE = "steering_committee", _("Steering committee (grassroots democracy)")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """Người dùng — an official of one agency."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    province = models.ForeignKey(
        "portal.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("province"),
    )
    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    email_reminders = models.BooleanField(
        _("receive reminders by e-mail"),
        default=True,
        help_text=_("In-app notifications are always kept."),
    )
    reminder_digest = models.BooleanField(
        _("daily digest"), default=False, help_text=_("One e-mail a day listing everything that is due.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.agency_id and self.province_id and self.agency.province_id != self.province_id:
            raise ValidationError({"agency": _("The agency belongs to another province.")})

    def save(self, *args, **kwargs) -> None:
        # The province follows the agency, so a user can never be scoped to one and work for another.
        if self.agency_id and not self.province_id:
            self.province_id = self.agency.province_id
        super().save(*args, **kwargs)

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles (group names that are Role values), read once per request."""
        if not self.is_active or not self.pk:
            return frozenset()
        valid = set(Role.values)
        # groups.all() uses a prefetch when the caller made one (reminder sweeps list many users).
        return frozenset(group.name for group in self.groups.all() if group.name in valid)

    def has_role(self, role: str) -> bool:
        return role in self.roles
