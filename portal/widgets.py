"""Panels other apps add to the portal's home pages, without the core importing them.

An app registers `(template, context function)` in its AppConfig.ready(); the home view renders
every panel whose context function returns something for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Widget:
    template: str
    context: Callable  # (request) -> dict | None
    order: int = 50


AGENCY_HOME: list[Widget] = []
REVIEW_HOME: list[Widget] = []
LEADER_HOME: list[Widget] = []
# The steering committee of grassroots democracy (Ban Chỉ đạo QCDC): its periods, reports, …
STEERING_HOME: list[Widget] = []


def register(area: list[Widget], widget: Widget) -> None:
    if widget not in area:
        area.append(widget)
        area.sort(key=lambda w: w.order)


def render_context(area: list[Widget], request) -> list[tuple[str, dict]]:
    panels = []
    for widget in area:
        context = widget.context(request)
        if context is not None:
            panels.append((widget.template, context))
    return panels
