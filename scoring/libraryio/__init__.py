"""Reading and writing regulation library files (YAML and .xlsx)."""

from pathlib import Path

from .document import LibraryError, LibraryErrors, Location, RegulationDoc, RegulationMeta
from .parsing import parse_document
from .xlsx_sets import read_xlsx, write_xlsx
from .yaml_io import read_yaml, write_yaml


def read_library_file(name: str, content: bytes, known_agencies: set[str] | None = None) -> RegulationDoc:
    """Reads a library file by its extension (.yaml/.yml or .xlsx)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(content, known_agencies)
    return read_yaml(content, known_agencies)


__all__ = [
    "LibraryError",
    "LibraryErrors",
    "Location",
    "RegulationDoc",
    "RegulationMeta",
    "parse_document",
    "read_library_file",
    "read_xlsx",
    "read_yaml",
    "write_xlsx",
    "write_yaml",
]
