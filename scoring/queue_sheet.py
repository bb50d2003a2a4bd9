"""The appraisal queue as a spreadsheet: the rows the reviewer sees, filtered and sorted as on screen."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.spreadsheets import table_sheet, workbook_bytes

from .models import ScoringPeriod
from .selectors import QueueRow

DATE_FORMAT = "dd/mm/yyyy"
DATE_COLUMNS = (6, 10)  # submitted, last reminded


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def queue_workbook(period: ScoringPeriod, rows: list[QueueRow]) -> bytes:
    """One sheet: the agencies of the queue with status, submission, the user's progress, pending
    explanations and the last reminder; dates and counts stored as dates and numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Appraisal queue")[:31]
    headers = [
        _("No."),
        _("Agency"),
        _("Group (khối)"),
        _("Status"),
        _("Late"),
        _("Submitted"),
        _("Criteria marked by me"),
        _("Criteria I mark"),
        _("Explanations awaiting a decision"),
        _("Last reminded"),
    ]
    data = [
        [
            n,
            r.dossier.agency_version.name,
            r.dossier.group.name,
            r.dossier.get_status_display(),
            _("Yes") if r.dossier.is_late else _("No"),
            _day(r.dossier.submitted_at),
            r.marked,
            r.to_mark,
            r.pending_explanations,
            _day(r.last_reminded_at),
        ]
        for n, r in enumerate(rows, start=1)
    ]
    title = _("Appraisal queue — %(period)s") % {"period": period.name}
    table_sheet(ws, title, headers, data, widths=[6, 42, 24, 22, 8, 12, 12, 12, 14, 14], freeze_columns=2)
    for row in ws.iter_rows(min_row=4):
        for column in DATE_COLUMNS:
            cell = row[column - 1]
            if cell.value is not None:
                cell.number_format = DATE_FORMAT
    return workbook_bytes(wb)
