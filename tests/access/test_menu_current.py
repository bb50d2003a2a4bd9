"""The main menu says where the user is (issue 13): on a page of the menu exactly one link carries
aria-current="page" and it is that page's; on a page inside a menu entry's section that entry carries
aria-current="true" and no link claims to be the page."""

import re

import pytest
from django.urls import reverse

LINK = re.compile(r'<a class="nav-link( active)?" href="([^"]+)"( aria-current="(page|true)")?>([^<]*)</a>')


def menu(response) -> list[tuple[str, str | None, str]]:
    """(href, aria-current, label) of every link of the main menu."""
    page = response.content.decode()
    block = page.split('<ul class="navbar-nav me-auto">')[1].split("</ul>")[0]
    links = [(m[1], m[3] or None, m[4]) for m in LINK.findall(block)]
    assert len(links) == block.count("<a "), "a menu link this test cannot read"
    for m in LINK.findall(block):
        assert bool(m[0]) == bool(m[3]), "the marked link is also shown active"
    return links


@pytest.mark.parametrize("role", ["staff", "head", "reviewer", "coreviewer", "leader", "admin"])
def test_each_menu_page_marks_itself_and_only_itself(world, clients, db, role):
    client = clients[role]
    home = client.get("/", follow=True)
    assert home.status_code == 200
    links = menu(home)
    assert len(links) >= 4, role
    landed = home.redirect_chain[-1][0] if home.redirect_chain else "/"
    assert [href for href, current, _ in links if current == "page"] == [landed], role
    for href, _current, label in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (role, href)
        marked = [(h, current, lab) for h, current, lab in menu(response) if current]
        # "Assessment" takes an agency to its open dossier: that page is where the entry leads.
        assert marked == [(href, "page", label)], (role, href, response.redirect_chain)


def test_the_menu_entries_by_role(world, clients, db):
    def hrefs(role):
        return [href for href, _c, _l in menu(clients[role].get(reverse("agency_list")))]

    assert reverse("agency_home") in hrefs("staff") and reverse("review_home") not in hrefs("staff")
    assert reverse("review_home") in hrefs("reviewer") and reverse("agency_home") not in hrefs("reviewer")
    assert reverse("reports:dashboard") in hrefs("leader") and reverse("admin_home") not in hrefs("leader")
    assert reverse("admin_home") in hrefs("admin")


def test_a_page_inside_a_section_marks_its_entry_not_as_the_page(world, clients, db):
    final = world.periods["final"]
    # A plan's sub-page under "Plans"; the longest matching entry wins ("My duties" is under /ke-hoach/ too).
    cases = [
        ("staff", reverse("plans:my_duties"), reverse("plans:my_duties"), "page"),
        ("reviewer", reverse("scoring:ranking", args=[final.pk]), reverse("scoring:home"), "true"),
        (
            "leader",
            reverse("reports:agency_sheet", args=[final.pk, "so-tu-phap"]),
            reverse("reports:dashboard"),
            "true",
        ),
        ("staff", reverse("agency_detail", args=["so-tu-phap"]), reverse("agency_list"), "true"),
    ]
    for role, url, entry, current in cases:
        response = clients[role].get(url)
        assert response.status_code == 200, (role, url)
        marked = [(href, c) for href, c, _l in menu(response) if c]
        assert marked == [(entry, current)], (role, url, marked)
    # The agency's dossier of a final year is not where "Assessment" leads: inside its section only.
    response = clients["staff"].get(reverse("scoring:dossier", args=[world.dossier("final", "own").pk]))
    assert [(href, c) for href, c, _l in menu(response) if c] == [(reverse("scoring:home"), "true")]
    # A page outside every entry (the notifications) marks nothing.
    response = clients["staff"].get(reverse("notification_list"))
    assert [c for _h, c, _l in menu(response) if c] == []
