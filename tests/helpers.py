"""Readers of what the portal produces, using the same programs people use (LibreOffice, poppler)."""

import csv
import subprocess
from pathlib import Path


def xlsx_to_csv_rows(path: Path, workdir: Path) -> list[list[str]]:
    """Opens the workbook in LibreOffice (headless) and returns the first sheet as CSV rows (UTF-8)."""
    profile = workdir / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(workdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    out = workdir / (path.stem + ".csv")
    with out.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def xlsx_resaved_by_libreoffice(path: Path, workdir: Path) -> Path:
    """The workbook as LibreOffice reads it, saved again as .xlsx: a number it read as text (or a
    print setting it dropped) shows in the copy, which openpyxl then reads."""
    profile = workdir / "lo-profile"
    outdir = workdir / "resaved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return outdir / (path.stem + ".xlsx")
