"""Serving files people uploaded or the portal generated, so that no browser ever renders one as a
page: the checked type, an attachment (only a PDF the portal generated itself may open in the
browser's PDF viewer), no sniffing, a sandbox, never cached.

A PDF that is also valid HTML (a polyglot), or a file stored before today's checks, is then only
ever saved to disk: even opened in a tab, the sandbox gives it no scripts and no origin.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponseBase

from .uploads import safe_name, stored_content_type

DOWNLOAD_CSP = "sandbox; default-src 'none'"
PDF_MAGIC = b"%PDF-"


def _ascii_fallback(name: str) -> str:
    """The name for clients that ignore filename*: Vietnamese letters without their marks."""
    text = name.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._()\- ]", "_", text).strip(" .") or "tep"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """An RFC 6266 header: a quoted ASCII fallback and the UTF-8 name (RFC 5987); an attachment
    unless `inline` (shown by the browser, saved under that name)."""
    name = safe_name(filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def protect_download(
    response: HttpResponseBase, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponseBase:
    """The headers every file download carries (uploads, reports, spreadsheets)."""
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "no-store"
    return response


def file_download(fileobj, *, filename: str, content_type: str) -> FileResponse:
    """A stored file streamed as a protected attachment."""
    return protect_download(FileResponse(fileobj), filename=filename, content_type=content_type)


def generated_pdf_inline(fileobj, *, filename: str) -> FileResponse:
    """A PDF the portal generated, for the browser's PDF viewer: inline only if the stored file
    starts with the PDF signature, otherwise (a damaged or replaced file) an attachment of
    unknown type. The sandbox stays: Chromium's and Firefox's viewers render under it (tested)."""
    is_pdf = fileobj.read(len(PDF_MAGIC)) == PDF_MAGIC
    fileobj.seek(0)
    content_type = "application/pdf" if is_pdf else "application/octet-stream"
    return protect_download(FileResponse(fileobj), filename=filename, content_type=content_type, inline=is_pdf)


def stored_upload_download(field_file, *, filename: str) -> FileResponse:
    """An uploaded file served back: its type is checked again from its content (files stored
    before today's checks included), never taken from the name."""
    fileobj = field_file.open("rb")
    return file_download(fileobj, filename=filename, content_type=stored_content_type(fileobj, filename))
