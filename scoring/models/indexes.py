"""Indexes imported for an agency and a year (PAR index, SIPAS satisfaction), read by the criteria
whose source is an index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, Province


class IndexValue(models.Model):
    """An imported index of an agency for a year (PAR index, SIPAS satisfaction), in %."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="index_values")
    source = models.CharField(_("source"), max_length=20, help_text=_("e.g. PAR, SIPAS"))
    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="index_values")
    value = models.DecimalField(_("value (%)"), max_digits=6, decimal_places=2)
    note = models.CharField(_("source document"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("index value")
        verbose_name_plural = _("index values")
        constraints = [models.UniqueConstraint(fields=["source", "year", "agency"], name="indexvalue_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.year} {self.agency}: {self.value}"
