import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0006_provisional_results_of_existing_dossiers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="sent at")),
                ("title", models.CharField(max_length=255, verbose_name="title")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("notified", models.PositiveSmallIntegerField(default=0, verbose_name="people notified in the portal")),
                ("emailed", models.PositiveSmallIntegerField(default=0, verbose_name="e-mails to send")),
                ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="e-mails sent at")),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="scoring.dossier",
                        verbose_name="dossier",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="sent by",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder about a dossier",
                "verbose_name_plural": "reminders about dossiers",
                "ordering": ["-sent_at", "-pk"],
                "indexes": [models.Index(fields=["dossier", "-sent_at"], name="dossier_reminder_latest")],
            },
        ),
    ]
