"""`python manage.py render_report_preview` — the demo decision as PDF plus PNGs of page 1 and of an
appendix page, in var/report-preview/, for a person to look at (used by `make report-preview`)."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports import pdf
from reports.models import GeneratedReport
from scoring.models import Phase, ScoringPeriod


class Command(BaseCommand):
    help = "Renders the latest final decision of the demo province to var/report-preview/."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)

    def handle(self, *args, **options):
        periods = ScoringPeriod.objects.filter(phase=Phase.FINAL).order_by("-year")
        if options["year"]:
            periods = periods.filter(year=options["year"])
        period = periods.first()
        if period is None:
            raise CommandError("No final period: run `python manage.py load_demo_province` first.")
        out = Path(settings.VAR_DIR) / "report-preview"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"quyet-dinh-{period.year}.pdf"
        context = pdf.document_context(GeneratedReport.Kind.DECISION, period)
        path.write_bytes(pdf.render_pdf(GeneratedReport.Kind.DECISION, context))
        landscape = next((n for n, size in enumerate(page_sizes(path), start=1) if size[0] > size[1]), None)
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(path), str(out / "trang-1")], check=True
        )
        if landscape:
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "80",
                    "-png",
                    "-f",
                    str(landscape),
                    "-l",
                    str(landscape),
                    str(path),
                    str(out / "phu-luc"),
                ],
                check=True,
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} and PNG previews in {out}/"))


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Page sizes in points, read by poppler's pdfinfo."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            parts = line.split("size:")[1].split()
            sizes.append((float(parts[0]), float(parts[2])))
    return sizes
