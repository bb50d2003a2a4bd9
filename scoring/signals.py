"""The marks the portal fills in itself follow the records they come from while agencies still fill
their dossiers: a "Dân vận khéo" model registered, changed, recognised or removed fills in again the
criteria whose regulation names the registry as their source (731's 2.5, 1563's 3.3, the bonus for a
model recognised by the province) in its unit's open dossiers of that year. A submitted dossier
keeps what it was submitted with; submitting and finalizing fill in again anyway."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from plans.models import DvkModel, DvkRecognition

from .models import Dossier
from .phases import Permit


def open_dossiers_prefill(*, agency_id: int, year: int) -> int:
    """Fills in again the automatic marks of the agency's dossiers of `year` it may still edit;
    returns how many marks changed."""
    from .services import dossier_prefill  # services import the plans' selectors: loaded once apps are

    changed = 0
    dossiers = Dossier.objects.filter(agency_id=agency_id, period__year=year).exclude(status=Dossier.Status.SUBMITTED)
    for dossier in dossiers.select_related("period", "agency"):
        if dossier.period.current_phase.allows(Permit.AGENCIES_EDIT):
            changed += dossier_prefill(dossier)
    return changed


def _model_changed(sender, instance, **kwargs) -> None:
    model = instance if isinstance(instance, DvkModel) else instance.model
    open_dossiers_prefill(agency_id=model.agency_id, year=model.year)


def connect() -> None:
    for model in (DvkModel, DvkRecognition):
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"scoring-prefill-{model.__name__}")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"scoring-prefill-del-{model.__name__}")
