"""The receipt's e-mail carries the receipt itself as a PDF attachment (issue 13), not only its link."""

import shutil
import subprocess

from django.core import mail
from django.urls import reverse

from scoring.models.cycle import SubmissionReceipt
from tests.scoring.cycle_helpers import fill_complete


def pdf_text(content: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is needed (CI installs it)"
    path = tmp_path / "attached.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_receipt_mail_attaches_the_receipt_pdf_and_keeps_its_link(
    client, cycle, tmp_path, django_capture_on_commit_callbacks
):
    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, cycle["people"]["staff"], marks={"2.2": "3,5"})
    client.force_login(cycle["people"]["head"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scoring:submit", args=[dossier.pk]), {"confirmed": "1"})
    receipt = SubmissionReceipt.objects.get(dossier=dossier)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    pdfs = [(name, content) for name, content, mimetype in message.attachments if mimetype == "application/pdf"]
    assert len(pdfs) == 1
    name, content = pdfs[0]
    assert name == f"bien-nhan-{receipt.code}.pdf"
    assert content.startswith(b"%PDF-")
    text = pdf_text(content, tmp_path)
    assert "GIẤY BIÊN NHẬN" in text and receipt.code in text and "Sở Tư pháp" in text
    assert "99,5 / 100 điểm" in text  # the totals: full marks but 2.2, 3,5 of 4
    # The link to the PDF on the portal stays in the body.
    assert reverse("reports:receipt_pdf", args=[dossier.pk]) in message.body


def test_the_receipt_still_goes_when_its_pdf_cannot_be_made(cycle, monkeypatch, django_capture_on_commit_callbacks):
    from reports import receipt as receipt_module
    from scoring import services

    def broken(_receipt):
        raise OSError("no fonts")

    monkeypatch.setattr(receipt_module, "receipt_pdf", broken)
    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, cycle["people"]["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, by=cycle["people"]["head"])
    receipt = SubmissionReceipt.objects.get(dossier=dossier)
    assert len(mail.outbox) == 1 and receipt.code in mail.outbox[0].body
    assert mail.outbox[0].attachments == []
