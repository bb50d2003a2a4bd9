"""YAML reading with line numbers, and writing in the library's canonical layout."""

from __future__ import annotations

from decimal import Decimal

import yaml
from django.utils.translation import gettext as _

from ..engine import score_types
from .document import LibraryError, LibraryErrors, Location, RegulationDoc, document_to_data
from .parsing import parse_document


class _LineLoader(yaml.SafeLoader):
    """Attaches `__at__` and `__where__` (field → line) to every mapping; reads floats as Decimal."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=True)
        mapping["__at__"] = Location(line=node.start_mark.line + 1)
        mapping["__where__"] = {key.value: Location(line=key.start_mark.line + 1) for key, _value in node.value}
        return mapping


def _decimal(loader, node):
    return Decimal(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))


def read_yaml(text: str | bytes, known_agencies: set[str] | None = None) -> RegulationDoc:
    """Parses and validates a YAML library file; LibraryErrors carry line numbers."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = Location(line=mark.line + 1) if mark else Location()
        raise LibraryErrors([LibraryError(where, _("This is not valid YAML: %(error)s") % {"error": error})]) from None
    return parse_document(data, known_agencies)


def _numbers(value, numeric: frozenset[str], in_params=False):
    """Numbers in parameters (the score types' `numeric_params`) are written as YAML numbers."""
    if isinstance(value, dict):
        return {
            k: (Decimal(v) if in_params and k in numeric and isinstance(v, str) else v)
            for k, v in ((k, _numbers(v, numeric, in_params or k == "params")) for k, v in value.items())
        }
    if isinstance(value, list):
        return [_numbers(v, numeric, in_params) for v in value]
    return value


def write_yaml(doc: RegulationDoc) -> str:
    header = "# DVCQ regulation library file — format reference: scoring/library/README.md\n"
    data = _numbers(document_to_data(doc), score_types.numeric_params())
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    return header + body
