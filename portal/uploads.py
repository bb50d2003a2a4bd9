"""Checking uploaded documents: kind by content (not by name), size, a safe name, SHA-256.

Used for plan deliverables and assessment evidence alike.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http.multipartparser import MultiPartParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# kind → (extensions a person may give it, what the content must be)
KINDS = {
    "pdf": ({".pdf"}, "application/pdf"),
    "docx": ({".docx"}, "docx"),
    "xlsx": ({".xlsx"}, "xlsx"),
    "jpg": ({".jpg", ".jpeg"}, "image/jpeg"),
    "png": ({".png"}, "image/png"),
}
ALLOWED_EXTENSIONS = sorted({ext for exts, _ in KINDS.values() for ext in exts})


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str
    size: int
    sha256: str


def _office_kind(upload: UploadedFile) -> str | None:
    """A .docx/.xlsx is a zip holding word/ or xl/; anything else in a zip is refused."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
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
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else None
    kind = None
    for name, (extensions, expected) in KINDS.items():
        if extension not in extensions:
            continue
        if expected in ("docx", "xlsx"):
            kind = name if _office_kind(upload) == expected else None
        elif mime == expected:
            kind = name
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
