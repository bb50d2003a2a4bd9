import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def na_fields(prefix_fk: bool):
    """The agency's not-applicable declaration on CriterionScore and its history."""
    fk = (
        models.ForeignKey(
            blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+", to=settings.AUTH_USER_MODEL,
        )
        if prefix_fk
        else models.ForeignKey(
            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
            to=settings.AUTH_USER_MODEL,
        )
    )  # fmt: skip
    return [
        ("na_status", models.CharField(
            blank=True, default="", max_length=10, verbose_name="not-applicable declaration",
            choices=[
                ("pending", "Declared not applicable, awaiting the reviewer"),
                ("accepted", "Not applicable (accepted by the reviewer)"),
                ("refused", "Declaration refused by the reviewer"),
            ],
        )),
        ("na_reason", models.TextField(blank=True, verbose_name="why it does not apply")),
        ("na_decision_reason", models.TextField(blank=True, verbose_name="reviewer's reason")),
        ("na_decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
        ("na_decided_by", fk),
    ]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0006_provisional_results_of_existing_dossiers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *[migrations.AddField(model_name="criterionscore", name=name, field=field) for name, field in na_fields(False)],
        *[
            migrations.AddField(model_name="historicalcriterionscore", name=name, field=field)
            for name, field in na_fields(True)
        ],
        migrations.CreateModel(
            name="SubmissionReceipt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=40, unique=True, verbose_name="reference code")),
                ("submitted_at", models.DateTimeField(verbose_name="submitted at")),
                ("submitted_by_name", models.CharField(max_length=200, verbose_name="submitted by")),
                ("agency_name", models.CharField(max_length=300, verbose_name="agency")),
                ("self_total", models.DecimalField(decimal_places=2, max_digits=7, verbose_name="self-assessed total")),
                ("max_total", models.DecimalField(decimal_places=2, max_digits=7, verbose_name="maximum")),
                ("criteria_scored", models.PositiveIntegerField(default=0, verbose_name="criteria scored")),
                (
                    "criteria_not_applicable",
                    models.PositiveIntegerField(default=0, verbose_name="criteria declared not applicable"),
                ),
                ("evidence_count", models.PositiveIntegerField(default=0, verbose_name="evidence items")),
                ("late_days", models.PositiveSmallIntegerField(default=0, verbose_name="days late")),
                ("mailed_at", models.DateTimeField(blank=True, null=True, verbose_name="e-mailed at")),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="receipts", to="scoring.dossier"
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),  # fmt: skip
            ],
            options={
                "verbose_name": "submission receipt",
                "verbose_name_plural": "submission receipts",
                "ordering": ["-submitted_at", "-pk"],
            },
        ),
    ]
