"""The detail of each stored provisional result (each leaf criterion's exact result, the bonus and
penalty items): what a cell's save recomputes the totals from and the dashboard's criterion gaps
read. Filled in for the existing dossiers by the portal's own service, as 0006 did."""

from django.db import migrations, models


def refresh(apps, schema_editor):
    # The historical model says whether there is anything to do; the computation is the portal's own
    # service (`manage.py refresh_results` runs the same). Until a dossier's detail is stored, its
    # cells' saves recompute it from its rows (services.results.dossier_result_update).
    if not apps.get_model("scoring", "ProvisionalResult").objects.exists():
        return
    from scoring.models import ScoringPeriod
    from scoring.services import results_refresh

    for period in ScoringPeriod.objects.select_related("criteria_set"):
        results_refresh(period=period)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0012_criteria_set_spec_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="provisionalresult",
            name="detail",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(refresh, migrations.RunPython.noop),
    ]
