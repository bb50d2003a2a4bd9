"""Checking uploaded documents: kind by content (not by name), size, a safe name, SHA-256 — and
bounding every request body before Django parses it.

Used for plan deliverables and assessment evidence alike.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .security import client_ip
from .zipcheck import ZIP_MAGIC, ZipRefused, open_checked_zip

# kind → (extensions a person may give it, what the content must be)
KINDS = {
    "pdf": ({".pdf"}, "application/pdf"),
    "docx": ({".docx"}, "docx"),
    "xlsx": ({".xlsx"}, "xlsx"),
    "jpg": ({".jpg", ".jpeg"}, "image/jpeg"),
    "png": ({".png"}, "image/png"),
}
ALLOWED_EXTENSIONS = sorted({ext for exts, _ in KINDS.values() for ext in exts})
# Each kind's signature at byte 0: a file with anything before it (HTML in front of a zip) is refused.
MAGIC = {"pdf": b"%PDF-", "docx": ZIP_MAGIC, "xlsx": ZIP_MAGIC, "jpg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
# What browsers look for when they guess that bytes are a web page (the sniffers of Chromium and
# Firefox read the first kilobyte or so); a document never needs any of it at its start. "<a" and
# "<b" are left out: a PDF's hex strings ("<b>") would match them.
HTML_MARKERS = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|svg|object|embed|title|style|meta|link|img|div|table|font"
    rb"|h1|p|br|!--)[\s>/]",
    re.IGNORECASE,
)
SNIFFED_BYTES = 1024


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str
    size: int
    sha256: str


def _office_kind(upload, kind_label: str) -> str | None:
    """A .docx/.xlsx is a zip holding word/ or xl/; anything else in a zip is refused. Its entry
    count and encryption are checked before zipfile reads the directory (ZipRefused)."""
    try:
        with open_checked_zip(upload, kind_label=kind_label, deep=False) as archive:
            names = archive.namelist()
    except ZipRefused as refused:
        if refused.code == "not_zip":
            return None
        raise
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def safe_name(name: str) -> str:
    """The file's own name without any folder part, control characters or odd punctuation."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"[^\w.\- ()]", "_", base).strip(" .")
    return base[:150] or "tep"


class _PathRecordingParser(MultiPartParser):
    """Django's parser, which already strips folders from upload names; this one also remembers
    that it had to, so the portal can refuse such a file instead of silently renaming it."""

    def sanitize_file_name(self, file_name):
        cleaned = super().sanitize_file_name(file_name)
        if cleaned is not None and cleaned != file_name.strip():
            self.renamed.add(cleaned)
        return cleaned

    def parse(self):
        self.renamed = set()
        post, files = super().parse()
        for upload in files.values():
            upload.had_path_in_name = upload.name in self.renamed
        return post, files


class UploadNameMiddleware:
    """Makes every request parse uploads with _PathRecordingParser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def parse_file_upload(META, post_data):
            parser = _PathRecordingParser(META, post_data, request.upload_handlers, request.encoding)
            return parser.parse()

        request.parse_file_upload = parse_file_upload
        return self.get_response(request)


def _kind_of(fileobj, head: bytes, extension: str) -> str | None:
    """The kind the name claims, if the content starts as that kind at byte 0 and is one."""
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else None
    for name, (extensions, expected) in KINDS.items():
        if extension not in extensions or not head.startswith(MAGIC[name]):
            continue
        if expected in ("docx", "xlsx"):
            return name if _office_kind(fileobj, extension) == expected else None
        if mime == expected:
            return name
    return None


def stored_content_type(fileobj, name: str) -> str:
    """The type a stored upload is served as, from its content checked again (never from the name
    alone): files stored before today's checks, or whose content no longer matches, are plain bytes."""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    try:
        kind = None if HTML_MARKERS.search(head[:SNIFFED_BYTES]) else _kind_of(fileobj, head, extension)
    except ValidationError:
        kind = None
    finally:
        fileobj.seek(0)
    return CONTENT_TYPES.get(kind, "application/octet-stream")


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuses a file whose name has a path, whose content is not an allowed kind, or which is too big."""
    raw_name = upload.name or ""
    if getattr(upload, "had_path_in_name", False) or "/" in raw_name or "\\" in raw_name or ".." in raw_name:
        raise ValidationError(_("The file name must not contain a folder path."), code="path_in_name")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    extension = ("." + raw_name.rsplit(".", 1)[-1].lower()) if "." in raw_name else ""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if HTML_MARKERS.search(head[:SNIFFED_BYTES]):
        raise ValidationError(
            _("The start of the file contains web-page code (HTML or script); such files are not accepted."),
            code="html",
        )
    kind = _kind_of(upload, head, extension)
    if kind is None:
        raise ValidationError(
            _("The content of this file is not an accepted document (%(kinds)s), whatever its name says.")
            % {"kinds": ", ".join(ALLOWED_EXTENSIONS)},
            code="bad_kind",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name=safe_name(raw_name), kind=kind, size=upload.size, sha256=digest.hexdigest())


# --- bounding the request body -------------------------------------------------------------------


def request_max_bytes() -> int:
    """The largest body accepted: one upload plus its form (nginx's client_max_body_size matches)."""
    return settings.UPLOAD_REQUEST_MAX_BYTES


def _refused_response(request) -> HttpResponse:
    message = _(
        "What you sent is too large: at most %(limit)s can be sent at once. Nothing from this upload was "
        "saved; what you saved before is unchanged."
    ) % {"limit": filesizeformat(request_max_bytes())}
    if request.headers.get("HX-Request") == "true":
        fragment = render_to_string("portal/_upload_too_large.html", {"message": message})
        return HttpResponse(fragment, status=413)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "portal/upload_too_large.html", {"message": message, "back": back}, status=413)


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the bytes of every file in the request and stops
    reading at the limit, whatever the headers claimed (a chunked body has no Content-Length)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > request_max_bytes():
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


# What may be read and thrown away after a refusal: up to nginx's own limit (above ours).
DRAIN_MAX_BYTES = 4 * 1024 * 1024


def _drain_from_our_proxy(request, length: int) -> None:
    """Reads and discards a refused body that our own proxy has already buffered.

    Answering before the body is read is right for a stranger's connection, but nginx is still
    writing the buffered body to us: if gunicorn closes the socket under it, nginx reports 502
    instead of our 413. From a trusted proxy on loopback the rest is a few milliseconds.
    """
    if client_ip(request) == request.META.get("REMOTE_ADDR") or length > request_max_bytes() + DRAIN_MAX_BYTES:
        return  # not through our proxy, or more than nginx lets through: do not read a byte
    stream = request.environ.get("wsgi.input")
    remaining = length
    while stream is not None and remaining > 0:
        chunk = stream.read(min(remaining, 64 * 1024))
        if not chunk:
            break
        remaining -= len(chunk)


class UploadLimitMiddleware:
    """Answers 413 to a body over the limit before any of it is read, so an oversized upload costs
    a worker nothing. Placed after authentication: the refusal page is the portal's own page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = request_max_bytes()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            _drain_from_our_proxy(request, length)
            return _refused_response(request)
        if not length and self._is_chunked_upload(request):
            # Django reads no body without a length. A server that removes the chunking (gunicorn
            # says so with wsgi.input_terminated) lets the parser read it here, through a stream cut
            # one byte past the limit and BoundedUploadHandler; the length given to the parser only
            # has to be non-zero (it also sends the files to disk, never to memory).
            stream = LimitedStream(request.environ["wsgi.input"], limit + 1)
            request._stream = stream
            request.META["CONTENT_LENGTH"] = str(limit + 1)
            request.FILES  # noqa: B018 — parse now, while a refusal is still possible
            if getattr(request, "upload_too_large", False) or stream._pos > limit:
                return _refused_response(request)
        return self.get_response(request)

    @staticmethod
    def _is_chunked_upload(request) -> bool:
        return (
            request.method == "POST"
            and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            and request.META.get("CONTENT_TYPE", "").startswith("multipart/")
            and bool(request.environ.get("wsgi.input_terminated"))
        )
