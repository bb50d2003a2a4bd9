"""Template helpers of the PDF documents."""

from django import template

from reports.annex import annex_items

register = template.Library()


@register.simple_tag(takes_context=True)
def annex_rows(context):
    """The annex's rows, group headings included, numbered within their group: the part of them a
    document laid out in parts prints (`annex_items`), else every row of `groups`."""
    items = context.get("annex_items")
    return items if items is not None else annex_items(context.get("groups") or [])
