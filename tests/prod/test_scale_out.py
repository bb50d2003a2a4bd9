"""Scale-out as stated in README: two gunicorn instances and two Celery workers on one PostgreSQL and
one Redis, one beat. Saves through either instance all land (or are refused with a reason, never
lost silently), and a reminder sweep run twice at once sends every reminder once."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from .client import Client, form_values
from .stack import ROOT, VENV_BIN, WEB_PORTS


def own_dossier(client: Client) -> tuple[str, str]:
    """(dossier path, page HTML) of the agency's current dossier."""
    home = client.get("/cham-diem/")  # an agency with one open dossier is taken straight to it
    path = home.headers.get("location") or re.search(r'href="(/cham-diem/ho-so/\d+/)"', home.body).group(1)
    return path, client.get(path).body


def text_inputs(html: str) -> list[str]:
    """Criterion ids of the score cells typed as numbers (not lists), in page order."""
    return re.findall(r'<input type="text"[^>]*name="raw_(\d+)"', html)


def save(client: Client, dossier: str, cid: str, value: str, version: str):
    return client.post(f"{dossier}tu-cham/{cid}/", {f"raw_{cid}": value, f"v_{cid}": version}, **{"HX-Request": "true"})


def test_saves_through_both_web_instances_all_land(stack):
    first, second = Client(web_port=WEB_PORTS[0]), Client(web_port=WEB_PORTS[1])
    for client in (first, second):
        assert client.log_in("canbo.tuphap").status == 302
    dossier, html = own_dossier(first)
    cells = text_inputs(html)[:6]
    versions = form_values(html, "v_")
    assert len(cells) >= 4, "the demo dossier has numeric cells"
    wanted = {cid: str(1 + i % 3) for i, cid in enumerate(cells)}

    def one(i_cid):
        i, cid = i_cid
        client = (first, second)[i % 2]  # alternate instances, all at once
        return save(client, dossier, cid, wanted[cid], versions[f"v_{cid}"]).status

    with ThreadPoolExecutor(max_workers=len(cells)) as pool:
        statuses = list(pool.map(one, enumerate(cells)))
    assert statuses == [200] * len(cells)
    after = second.get(dossier).body
    shown = {cid: re.search(rf'name="raw_{cid}" value="([^"]*)"', after).group(1) for cid in cells}
    assert shown == wanted


def test_two_people_saving_the_same_cell_at_once_one_wins_and_the_other_is_told(stack):
    first, second = Client(web_port=WEB_PORTS[0]), Client(web_port=WEB_PORTS[1])
    first.log_in("canbo.tuphap")
    second.log_in("lanhdao.tuphap")
    dossier, html = own_dossier(first)
    cid = text_inputs(html)[-1]
    version = form_values(html, "v_")[f"v_{cid}"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(lambda pair: save(pair[0], dossier, cid, pair[1], version), [(first, "1"), (second, "2")])
        )
    assert sorted(r.status for r in results) == [200, 409]
    refused = next(r for r in results if r.status == 409)
    assert "chưa được lưu" in refused.body  # the refused one is told, and its value stays in its box
    winner = "1" if results[0].status == 200 else "2"
    assert re.search(rf'name="raw_{cid}" value="([^"]*)"', first.get(dossier).body).group(1) == winner


def reminder_day(stack) -> tuple[str, int]:
    """A working day ahead with reminders that go out by e-mail (from the demo's deadlines)."""
    today = dt.date.today()
    for offset in range(1, 40):
        day = (today + dt.timedelta(days=offset)).isoformat()
        out = stack.manage("preview_reminders", "--on", day).stdout
        by_mail = [line for line in out.splitlines() if "@" in line]
        if by_mail:
            return day, len(by_mail)
    raise AssertionError("the demo plans no e-mail reminder in the next 40 days")


def test_a_sweep_run_twice_at_once_on_two_workers_sends_each_reminder_once(stack, smtp):
    day, expected = reminder_day(stack)
    before = len(smtp.messages)
    sweeps = [
        subprocess.Popen(  # noqa: S603
            [str(VENV_BIN / "python"), "manage.py", "send_reminders", "--on", day],
            cwd=ROOT,
            env=stack.env,
        )
        for _ in range(2)
    ]
    for sweep in sweeps:
        assert sweep.wait(60) == 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(smtp.messages) - before < expected:
        time.sleep(0.5)
    time.sleep(3)  # a duplicate would arrive now
    new = smtp.messages[before:]
    ids = [m["Message-ID"] for m in new]
    assert len(ids) >= expected
    assert len(ids) == len(set(ids)), "a reminder was sent twice"
