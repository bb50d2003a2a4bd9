"""What the province's IT staff rely on: lockouts that key on the real client behind nginx, and a
backup that restores into an empty database with the same ranking."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from .client import Client
from .stack import RESTORED_WEB_PORT, WEB_PORTS, WORK, psql, wait_for_port

LOCKED = "bị khóa"  # "Tài khoản tạm thời bị khóa" — the lockout page


def test_a_stranger_locks_only_himself_out_whatever_address_he_claims(stack):
    stranger = Client(source_ip="127.0.0.5")
    # He claims to be the reviewer's own address; nginx appends his real one, which the portal reads.
    spoof = {"X-Forwarded-For": "127.0.0.7"}
    answers = [stranger.log_in("thamdinh.noivu", "sai-mat-khau", **spoof).status for _ in range(5)]
    assert answers[:4] == [200] * 4  # the form again, with an error
    assert answers[4] == 429
    locked = stranger.log_in("thamdinh.noivu", **spoof)  # even the right password, from his address
    assert locked.status == 429 and LOCKED in locked.body.lower()
    # The reviewer, at her own address, is not locked out by him.
    reviewer = Client(source_ip="127.0.0.7")
    assert reviewer.log_in("thamdinh.noivu").status == 302


def test_nginx_limits_a_flood_of_login_attempts_from_one_address_only(stack):
    flooder, colleague = Client(source_ip="127.0.0.9"), Client(source_ip="127.0.0.10")
    flooder.get("/tai-khoan/login/")
    statuses = [flooder.post("/tai-khoan/login/", {"username": f"x{i}", "password": "y"}).status for i in range(40)]
    assert 429 in statuses
    assert colleague.log_in("canbo.tuphap").status == 302


def upload(client: Client, size: int):
    boundary = "dvcqtest"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bao-cao.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-1.4\n"
        + b"0" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    connection = client._connection()
    connection.request(
        "POST",
        "/ke-hoach/",
        body=body,
        headers={"Host": "localhost", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def test_an_oversized_upload_is_refused_in_vietnamese_by_the_portal_or_by_nginx(stack):
    from django.conf import settings

    client = Client(source_ip="127.0.0.11")
    # Just over the portal's limit: the portal's own page, before it reads the body.
    status, page = upload(client, settings.UPLOAD_REQUEST_MAX_BYTES + 256 * 1024)
    assert status == 413 and "quá lớn" in page and "<nav" in page
    # Far over it: nginx stops it before it reaches the portal, with a Vietnamese page too.
    status, page = upload(client, settings.UPLOAD_REQUEST_MAX_BYTES + 3 * 1024 * 1024)
    assert status == 413 and "Tệp quá lớn" in page


def ranking_tables(client: Client) -> dict[str, str]:
    """Period path → the ranking table's text, for every period the leader sees."""
    listing = client.get("/cham-diem/").body
    tables = {}
    for path in sorted(set(re.findall(r'href="(/cham-diem/ky/\d+/xep-hang/)"', listing))):
        page = client.get(path).body
        table = re.search(r"<table.*?</table>", page, re.S)
        tables[path] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", table.group(0) if table else "")).split())
    return tables


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def test_a_backup_restored_into_an_empty_database_shows_the_same_ranking(stack):
    folder = WORK / "backup"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(WORK / "media-restored", ignore_errors=True)
    stack.manage("backup", str(folder))
    psql("DROP DATABASE IF EXISTS dvcq_restored")
    psql("CREATE DATABASE dvcq_restored OWNER dvcq")
    restored_media = WORK / "media-restored"
    restored_env = {
        **stack.env,
        "DATABASE_URL": stack.env["DATABASE_URL"].rsplit("/", 1)[0] + "/dvcq_restored",
        "MEDIA_ROOT": str(restored_media),
    }
    out = stack.manage("restore", str(folder), env=restored_env).stdout
    assert "every count matches" in out
    assert files_under(restored_media) == files_under(Path(stack.env["MEDIA_ROOT"]))
    stack._spawn(
        "web-restored",
        "gunicorn portal.wsgi -c deploy/gunicorn.conf.py",
        **{k: v for k, v in restored_env.items() if k in ("DATABASE_URL", "MEDIA_ROOT")},
        GUNICORN_BIND=f"127.0.0.1:{RESTORED_WEB_PORT}",
    )
    try:
        wait_for_port(RESTORED_WEB_PORT)
        original, restored = Client(web_port=WEB_PORTS[0]), Client(web_port=RESTORED_WEB_PORT)
        for client in (original, restored):
            assert client.log_in("lanhdao.tinh").status == 302
        before, after = ranking_tables(original), ranking_tables(restored)
        assert before and any("Tốt" in text or "Khá" in text for text in before.values())
        assert after == before
    finally:
        stack.stop("web-restored")
