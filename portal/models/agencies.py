"""Provinces and agencies, versioned by date.

Provinces reorganise: districts become towns (2020), departments merge (2025), the district level
ends and provinces merge (1/7/2025). An agency is therefore a stable identity (Agency) with
versions valid over date ranges (AgencyVersion: name, kind, parent, khối) and lineage records
between versions (AgencyLineage: rename, merge, split, transfer, dissolve) with their legal basis.
Everything scored or assigned points at the version as it was that year.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..scopes import ProvinceScopedManager


class Province(models.Model):
    """Tỉnh — the root of every query: all data belongs to exactly one province."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. Tây Ninh"))
    place_name = models.CharField(
        _("place name in documents"),
        max_length=120,
        help_text=_('Written before the date of a document: "Tây Ninh, ngày 05 tháng 12 năm 2021".'),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_id(self) -> int:
        # Lets province-wide permissions take the province itself as their object.
        return self.pk


class AgencyGroup(models.Model):
    """Khối — the group within which agencies are ranked (khối sở, khối huyện, …)."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="groups", verbose_name=_("province"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The programmes (portal.models.Program values) whose periods and plans this group's agencies take
    # part in; empty: every programme. Enterprises and party committees are assessed in grassroots
    # democracy (QCDC) only, never in a DVCQ period, ranking or plan.
    programs = models.JSONField(
        _("programmes"),
        default=list,
        blank=True,
        help_text=_("Programme codes (dvcq, qcdc, …) the group's agencies take part in; empty: every programme."),
    )
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("agency group (khối)")
        verbose_name_plural = _("agency groups (khối)")
        ordering = ["province", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="agencygroup_unique_code")]

    def __str__(self) -> str:
        return self.name

    def takes_part_in(self, program: str) -> bool:
        """Whether the group's agencies take part in the programme's periods and plans."""
        return not self.programs or program in self.programs


class AgencyKind(models.TextChoices):
    UBND_TINH = "ubnd_tinh", _("Provincial People's Committee")
    VP_UBND = "vp_ubnd", _("Office of the Provincial People's Committee")
    SO = "so", _("Department (sở)")
    BAN = "ban", _("Board (ban, ngành)")
    THANH_TRA = "thanh_tra", _("Inspectorate")
    DVSN = "dvsn", _("Public service unit")
    NGANH_DOC_TW = "nganh_doc_tw", _("Central agency in the province")
    UBND_HUYEN = "ubnd_huyen", _("District-level People's Committee")
    PHONG = "phong", _("District office (phòng)")
    UBND_XA = "ubnd_xa", _("Commune-level People's Committee")
    # Assessed or scoring units of grassroots democracy (QCDC) that are not state bodies.
    DOANH_NGHIEP = "doanh_nghiep", _("Enterprise (with a trade union)")
    DANG_UY = "dang_uy", _("Party committee (đảng ủy, huyện ủy)")
    CO_QUAN_DANG = "co_quan_dang", _("Body of the provincial party committee (ban of Tỉnh ủy)")
    DOAN_THE = "doan_the", _("Front or mass organisation (đoàn thể)")
    OTHER = "other", _("Other")


class Agency(models.Model):
    """Cơ quan, đơn vị — the identity that survives renames; its names live in versions."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    code = models.SlugField(_("stable code"), max_length=60, help_text=_("Never changes, even when the name does."))
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["province", "code"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="agency_unique_code")]

    def __str__(self) -> str:
        version = self.version_on(dt.date.today())
        return version.name if version else self.code

    @property
    def agency_id(self) -> int:
        # Lets the permission predicates treat an agency like any object it owns.
        return self.pk

    def version_on(self, day: dt.date) -> AgencyVersion | None:
        """The version valid on `day`, or None when the agency did not exist then.

        Uses prefetched versions when the caller prefetched them (lists print many agencies).
        """
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if prefetched is not None:
            return next(
                (v for v in prefetched if v.valid_from <= day and (v.valid_to is None or v.valid_to >= day)), None
            )
        return self.versions.valid_on(day).first()


class AgencyVersionQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> AgencyVersionQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def valid_in_year(self, year: int) -> AgencyVersionQuerySet:
        """Versions valid at any time in `year` (an agency renamed mid-year appears twice)."""
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start), valid_from__lte=end)


class AgencyVersion(models.Model):
    """Phiên bản của cơ quan — the agency as it was between two dates."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="versions", verbose_name=_("agency"))
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_versions",
        verbose_name=_("parent agency"),
        help_text=_("e.g. the district People's Committee for a commune."),
    )
    group = models.ForeignKey(
        AgencyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("group (khối)"),
        help_text=_("Empty for bodies that are not ranked (e.g. the Provincial People's Committee)."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (inclusive)"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    objects = AgencyVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency version")
        verbose_name_plural = _("agency versions")
        ordering = ["agency", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "valid_from"], name="agencyversion_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agencyversion_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="agencyversion_validity")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date must not be before the start date.")})
        if self.agency_id:
            overlapping = AgencyVersion.objects.filter(agency_id=self.agency_id).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                raise ValidationError(_("This period overlaps another version of the same agency."))
        if self.group_id and self.agency_id and self.group.province_id != self.agency.province_id:
            raise ValidationError({"group": _("The group belongs to another province.")})


class LineageKind(models.TextChoices):
    RENAME = "rename", _("Rename")
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    TRANSFER = "transfer", _("Transfer")
    DISSOLVE = "dissolve", _("Dissolve")


class AgencyLineage(models.Model):
    """Quan hệ kế thừa — how one version became another, on which legal basis."""

    kind = models.CharField(_("kind"), max_length=20, choices=LineageKind.choices)
    predecessor = models.ForeignKey(
        AgencyVersion, on_delete=models.CASCADE, related_name="successor_links", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        AgencyVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="predecessor_links",
        verbose_name=_("successor"),
    )
    effective_on = models.DateField(_("effective on"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("agency lineage")
        verbose_name_plural = _("agency lineage")
        ordering = ["effective_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="dissolve", successor__isnull=True)
                | (~Q(kind="dissolve") & Q(successor__isnull=False)),
                name="agencylineage_successor_unless_dissolved",
            ),
            models.UniqueConstraint(fields=["predecessor", "successor"], name="agencylineage_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor or '∅'} ({self.get_kind_display()})"
