"""Programmes a province runs on the portal (shared by plans and scoring)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    DVCQ = "dvcq", _("Mass mobilisation in government (DVCQ)")
    DVK = "dvk", _("“Skilful mass mobilisation” contest (Dân vận khéo)")
    CQTT = "cqtt", _("Friendly government (chính quyền thân thiện)")
    QCDC = "qcdc", _("Grassroots democracy (QCDC)")
    PAR = "par", _("Public administration reform (PAR)")
