"""The decision's signer moves from each scoring period to the province's document signers."""

from django.db import migrations


def periods_to_signers(apps, schema_editor):
    ScoringPeriod = apps.get_model("scoring", "ScoringPeriod")
    DocumentSigner = apps.get_model("reports", "DocumentSigner")
    for period in ScoringPeriod.objects.exclude(decision_signer="").order_by("year"):
        DocumentSigner.objects.get_or_create(
            province_id=period.province_id,
            program=period.program,
            kind="decision",
            valid_from_year=period.year,
            defaults={"title": period.decision_signer_title or "CHỦ TỊCH", "name": period.decision_signer},
        )


def signers_to_periods(apps, schema_editor):
    ScoringPeriod = apps.get_model("scoring", "ScoringPeriod")
    DocumentSigner = apps.get_model("reports", "DocumentSigner")
    for period in ScoringPeriod.objects.all():
        signer = (
            DocumentSigner.objects.filter(
                province_id=period.province_id, program=period.program, kind="decision", valid_from_year__lte=period.year
            )
            .order_by("-valid_from_year")
            .first()
        )
        if signer is not None:
            period.decision_signer, period.decision_signer_title = signer.name, signer.title
            period.save(update_fields=["decision_signer", "decision_signer_title"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_document_texts"),
        ("scoring", "0002_dossier_evidence_evidencerequest_explanation_and_more"),
    ]
    # The period's signer fields are removed only after they were copied here.
    run_before = [("scoring", "0003_remove_period_signer")]

    operations = [migrations.RunPython(periods_to_signers, signers_to_periods)]
