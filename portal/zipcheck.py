"""Looking inside an uploaded zip (.docx, .xlsx) before anything trusts it.

`zipfile` believes the archive's own records: it builds one object per entry the central
directory claims and inflates whatever a member holds. These checks bound both first: the entry
count from the end record, then (for files the portal will parse) the declared sizes and the
expansion ratio of every member. `zipfile` never returns more than a member's declared size, so
a bounded declared total bounds what a parser can be fed.
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_END_RECORD_MAX = 22 + 0xFFFF  # the record and the longest archive comment
# A central-directory entry is 46 bytes plus its name and extras; a kilobyte each is generous.
_DIRECTORY_BYTES_PER_MEMBER = 1024
# Below this a member cannot hurt anyone whatever its ratio; small XML parts compress very well.
RATIO_FLOOR_BYTES = 1024 * 1024
# Archives inside the archive: each could be a bomb of its own, and no portal form needs one.
_NESTED_MAGIC = (ZIP_MAGIC, b"PK\x05\x06", b"PK\x07\x08", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")
_NESTED_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".jar", ".gz", ".7z", ".rar", ".bz2")


def grouped(number: int) -> str:
    """20000 as the reader writes it (20.000 in Vietnamese)."""
    return number_format(number, force_grouping=True)


class ZipRefused(ValidationError):
    """The archive breaks one of the limits; the message names the limit for the person."""


def not_a_genuine(kind_label: str) -> ZipRefused:
    return ZipRefused(
        _("The file is not a genuine %(kind)s file (its content does not start as one).") % {"kind": kind_label},
        code="not_zip",
    )


def _too_many(count: int) -> ZipRefused:
    limit = settings.UPLOAD_ZIP_MAX_MEMBERS
    return ZipRefused(
        _("The file holds %(count)s parts; at most %(limit)s are accepted.")
        % {"count": grouped(count), "limit": grouped(limit)},
        code="too_many_members",
    )


def _check_end_record(fileobj: BinaryIO, kind_label: str) -> None:
    """Bounds the number of entries before zipfile reads the central directory."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    tail_length = min(size, _END_RECORD_MAX + 20)
    fileobj.seek(size - tail_length)
    tail = fileobj.read(tail_length)
    fileobj.seek(0)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) < at + 22:
        raise not_a_genuine(kind_label)
    if at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR:
        # ZIP64 only matters above 4 GB or 65,535 entries, far beyond any upload here; its
        # records would let the archive claim counts this check cannot see.
        raise not_a_genuine(kind_label)
    entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    limit = settings.UPLOAD_ZIP_MAX_MEMBERS
    if entries > limit or directory_size > limit * _DIRECTORY_BYTES_PER_MEMBER:
        raise _too_many(max(entries, directory_size // _DIRECTORY_BYTES_PER_MEMBER))


def open_checked_zip(fileobj: BinaryIO, *, kind_label: str, deep: bool) -> zipfile.ZipFile:
    """The archive, opened only if it starts as a zip at byte 0, holds a bounded number of parts and
    nothing encrypted. `deep` (for files the portal parses) also bounds the expanded size and the
    ratio of each part and refuses archives inside it. Raises ZipRefused; the caller closes it."""
    fileobj.seek(0)
    if fileobj.read(4) != ZIP_MAGIC:
        raise not_a_genuine(kind_label)
    _check_end_record(fileobj, kind_label)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise not_a_genuine(kind_label) from None
    try:
        _check_members(archive, deep=deep, kind_label=kind_label)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_members(archive: zipfile.ZipFile, *, deep: bool, kind_label: str) -> None:
    infos = archive.infolist()
    if len(infos) > settings.UPLOAD_ZIP_MAX_MEMBERS:
        raise _too_many(len(infos))
    _refuse_encrypted(infos)
    if deep:  # only for workbooks the portal will read
        _refuse_oversized(infos)
        _refuse_bombs(infos)
        _refuse_nested(archive, infos, kind_label)


def _refuse_encrypted(infos: list[zipfile.ZipInfo]) -> None:
    if any(info.flag_bits & 0x1 for info in infos):
        raise ZipRefused(
            _("The file is password-protected or encrypted; save it without a password and upload it again."),
            code="encrypted",
        )


def _refuse_oversized(infos: list[zipfile.ZipInfo]) -> None:
    total = sum(info.file_size for info in infos)
    limit = settings.UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise ZipRefused(
            _("Once unpacked the file would take %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(limit)},
            code="too_big_unpacked",
        )


def _refuse_bombs(infos: list[zipfile.ZipInfo]) -> None:
    ratio_limit = settings.UPLOAD_XLSX_MAX_RATIO
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ZipRefused(_("The file is packed in a way Excel never uses."), code="compression")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > ratio_limit:
            raise ZipRefused(
                _(
                    "Part “%(name)s” of the file expands %(ratio)s times once unpacked (a “zip bomb”); "
                    "at most %(limit)s times is accepted."
                )
                % {"name": info.filename[:80], "ratio": grouped(int(ratio)), "limit": grouped(ratio_limit)},
                code="zip_bomb",
            )


def _refuse_nested(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], kind_label: str) -> None:
    for info in infos:
        nested = info.filename.lower().endswith(_NESTED_SUFFIXES)
        if not nested and info.file_size >= 2:
            try:
                with archive.open(info) as member:
                    nested = member.read(4).startswith(_NESTED_MAGIC)
            except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError):
                raise not_a_genuine(kind_label) from None
        if nested:
            raise ZipRefused(
                _("The file contains another packed file (“%(name)s”); embedded files are not accepted.")
                % {"name": info.filename[:80]},
                code="nested",
            )
