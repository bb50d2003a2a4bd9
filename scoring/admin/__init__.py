"""The scoring app's admin: the regulation library, scoring periods, contests (one module each)."""

from . import contests, periods, regulations  # noqa: F401
