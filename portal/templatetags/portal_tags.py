"""Template filters for Vietnamese official writing."""

import datetime as dt

from django import template

from ..text import long_date as _long_date

register = template.Library()


@register.filter
def long_date(value: dt.date | None) -> str:
    """{{ day|long_date }} → "ngày 05 tháng 12 năm 2021"."""
    return _long_date(value) if value else ""


@register.filter
def get_item(mapping, key):
    """{{ labels|get_item:code }} — look a key up in a dict."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
