"""Column headers that sort a list page, keeping its search and filters in the link."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    url: str  # a query string: "?q=…&sort=-submitted"
    direction: str  # "ascending", "descending" or "" (as aria-sort says it)


def query_with(request, **params) -> str:
    """The page's query string with `params` set (a None removes one)."""
    query = request.GET.copy()
    for key, value in params.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return f"?{query.urlencode()}"


def sort_links(request, columns, current: str) -> list[SortLink]:
    """A link per column: sorting by it ascending, or descending when it is the ascending sort now."""
    column, descending = current.removeprefix("-"), current.startswith("-")
    links = []
    for key, label in columns:
        active = key == column
        direction = ("descending" if descending else "ascending") if active else ""
        target = f"-{key}" if active and not descending else key
        links.append(SortLink(key, str(label), query_with(request, sort=target, format=None), direction))
    return links
