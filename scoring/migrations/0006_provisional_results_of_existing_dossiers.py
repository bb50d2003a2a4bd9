"""Stores the provisional result of every existing dossier (later ones are stored by the services)."""

from django.db import migrations


def refresh(apps, schema_editor):
    # The historical model says whether there is anything to do; the computation is the portal's own
    # service (the engine over the dossiers' rows), the same one `manage.py refresh_results` runs. If a
    # later version of the models cannot run it on this schema, migrate and run that command instead.
    if not apps.get_model("scoring", "Dossier").objects.exists():
        return
    from scoring.models import ScoringPeriod
    from scoring.services import results_refresh

    for period in ScoringPeriod.objects.select_related("criteria_set"):
        results_refresh(period=period)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0005_provisional_result")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
