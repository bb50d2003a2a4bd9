"""Demo data of the scoring app: the regulation library files shipped in scoring/library/."""

import hashlib
from pathlib import Path

from portal.models import Province

from .models import Regulation
from .services import regulation_import_file

LIBRARY = Path(__file__).resolve().parent / "library"
DEMO_FILES = ["tay-ninh-731-2019.yaml", "dan-van-kheo-2024.yaml"]


def load(province: Province) -> None:
    """Loads each shipped library file once; an unchanged file is not loaded again."""
    for name in DEMO_FILES:
        content = (LIBRARY / name).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        existing = Regulation.objects.filter(province=province, source_sha256=digest).exists()
        if not existing:
            regulation_import_file(province=province, name=name, content=content, replace=True)
