"""The main menu: the links a role may follow (the same permissions as the pages), the one for the
page being shown marked aria-current="page" and, on a page inside a menu entry's section (a dossier
under "Assessment", a plan under "Plans"), that entry marked aria-current="true"."""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()


class Entry(NamedTuple):
    url_name: str
    label: str
    perm: str | None  # None: every signed-in user


ENTRIES = (
    Entry("agency_home", _("My agency"), "portal.access_agency_area"),
    Entry("plans:my_duties", _("My duties and deadlines"), "portal.access_agency_area"),
    Entry("review_home", _("Appraisal"), "portal.access_review_area"),
    Entry("leader_home", _("Overview"), "portal.access_leader_area"),
    Entry("reports:dashboard", _("Dashboard"), "portal.access_leader_area"),
    Entry("steering_home", _("Steering committee"), "portal.access_steering_area"),
    Entry("scoring:home", _("Assessment"), "scoring.access_assessment"),
    Entry("plans:plan_list", _("Plans"), None),
    Entry("plans:dvk_registry", _("“Dân vận khéo”"), None),
    Entry("scoring:contest_list", _("Contests"), None),
    Entry("agency_list", _("Agencies"), None),
    Entry("admin_home", _("Administration"), "portal.access_admin_area"),
)


def menu_links(user, path: str, lands_here: str | None = None) -> list[dict]:
    """The entries `user` may follow, each with its href and `current`: "page" for the entry whose
    address is `path` or that leads to this very page (`lands_here`: the url name of an entry that
    redirects here, as "Assessment" takes an agency to its dossier), else "true" for the one whose
    address is the longest start of `path`."""
    allowed: dict[str, bool] = {}
    links = []
    for entry in ENTRIES:
        if entry.perm is not None:
            if entry.perm not in allowed:
                allowed[entry.perm] = user.has_perm(entry.perm)
            if not allowed[entry.perm]:
                continue
        links.append({"href": reverse(entry.url_name), "label": entry.label, "current": None, "name": entry.url_name})
    exact = next((link for link in links if link["href"] == path or link["name"] == lands_here), None)
    if exact is not None:
        exact["current"] = "page"
        return links
    inside = [link for link in links if link["href"] != "/" and path.startswith(link["href"])]
    if inside:
        max(inside, key=lambda link: len(link["href"]))["current"] = "true"
    return links


@register.inclusion_tag("portal/_menu.html", takes_context=True)
def main_menu(context) -> dict:
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return {"links": []}
    return {"links": menu_links(user, request.path, context.get("menu_lands_here"))}
