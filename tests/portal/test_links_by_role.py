"""No link is offered to someone who would be refused (issue 13): every link on the main pages of
each demo role opens for that role — nothing answers 403 ("Không có quyền truy cập") or 404."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.contrib.auth import get_user_model

ROLES = ["canbo.tuphap", "lanhdao.tuphap", "thamdinh.noivu", "phoihop.vpubnd", "lanhdao.tinh", "quantri"]
# Not pages: leaving, files served as they are, the admin (its own permission system), the API.
SKIP = ("/tai-khoan/logout/", "/static/", "/media/", "/admin/", "/api/", "/jsi18n/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_on(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(href).url
        parsed = urlparse(url)
        if (
            not url
            or parsed.scheme in ("mailto", "tel", "javascript")
            or (parsed.netloc and parsed.netloc != "testserver")
        ):
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if path.startswith("/") and not path.startswith(SKIP):
            found.append(path)
    return found


def main_pages(username: str) -> list[str]:
    from scoring.demo import demo_periods
    from scoring.models import Dossier

    open_period, final_period = demo_periods()
    pages = ["/", "/thong-bao/", "/cham-diem/"]
    ranking = f"/cham-diem/ky/{final_period.pk}/xep-hang/"
    if username in ("canbo.tuphap", "lanhdao.tuphap"):
        pages += [
            "/don-vi/",
            f"/cham-diem/ho-so/{Dossier.objects.get(period=open_period, agency__code='so-tu-phap').pk}/",
        ]
    if username in ("thamdinh.noivu", "phoihop.vpubnd"):
        pages += [
            "/tham-dinh/",
            f"/cham-diem/ky/{open_period.pk}/tham-dinh/",
            ranking,
        ]
    if username == "lanhdao.tinh":
        pages += ["/lanh-dao/", "/bao-cao/", f"/bao-cao/ky/{final_period.pk}/van-ban/", ranking]
    if username == "quantri":
        pages += ["/quan-tri/"]
    return pages


@pytest.mark.django_db
def test_every_link_a_role_is_shown_opens_for_that_role(client, demo_province):
    refused = []
    for username in ROLES:
        client.force_login(get_user_model().objects.get(username=username))
        seen: dict[str, int] = {}
        for page in main_pages(username):
            response = client.get(page, follow=True)
            assert response.status_code == 200, f"{username}: main page {page} answered {response.status_code}"
            for link in links_on(response.content.decode()):
                if link not in seen:
                    seen[link] = client.get(link).status_code
                if seen[link] in (403, 404, 405):
                    refused.append(f"{username}: {page} links to {link}, which answers {seen[link]}")
        assert len(seen) > 5, f"{username}: too few links followed ({seen})"
        client.logout()
    assert refused == [], "\n".join(sorted(set(refused)))


def test_the_link_collector_reads_what_a_page_offers():
    html = '<a href="/co-quan/">x</a><a href="#main">skip</a><a href="https://example.org/">out</a><a href="/static/a.css">s</a><a href="/ke-hoach/?year=2021#top">p</a>'
    assert links_on(html) == ["/co-quan/", "/ke-hoach/?year=2021"]
