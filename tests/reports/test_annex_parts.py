"""A long annex laid out in two parts on two cores (reports/annex.py), read back with poppler: the
same pages as one pass, page numbers continuous, every agency row once and in order, the table's
header on every page."""

import re
import subprocess

import pytest
from django.template.loader import render_to_string
from weasyprint import HTML

from reports import annex, pdf
from scoring.models import ScoringPeriod

pytestmark = pytest.mark.django_db
TEMPLATE = pdf.TEMPLATES["decision"]


@pytest.fixture
def long_context(demo_db):
    """The 2021 decision with its annex copied three times, each row tagged [rNNN] in print order."""
    context = pdf.document_context("decision", ScoringPeriod.objects.get(year=2021))
    number = 0
    groups = []
    for copy in range(3):
        for group in context["groups"]:
            rows = []
            for row in group["rows"]:
                number += 1
                rows.append({**row, "name": f"{row['name']} [r{number:03d}]"})
            groups.append({**group, "name": f"{group['name']} ({copy + 1})", "rows": rows})
    context["groups"] = groups
    context["total_agencies"] = number
    return context


def pages_text(content: bytes, tmp_path, name: str) -> list[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def one_pass(context) -> bytes:
    return HTML(string=render_to_string(TEMPLATE, context), base_url=".").write_pdf()


@pytest.fixture
def merges(monkeypatch):
    """The page ranges each two-part render joined."""
    calls = []
    real = annex._merge

    def spy(parts):
        calls.append([(start, stop) for _content, start, stop in parts])
        return real(parts)

    monkeypatch.setattr(annex, "_merge", spy)
    monkeypatch.setattr(annex, "cores", lambda: 2)
    monkeypatch.setattr(annex, "others_busy", lambda _sample: 0.0)  # the test machine is shared
    return calls


def assert_reads_as_one_document(pages: list[str], rows: int) -> None:
    # Page 1 carries no number; every later page its own, at the top, continuing across the join.
    assert not pages[0].strip().splitlines()[0].strip().isdigit()
    for number, page in enumerate(pages[1:], start=2):
        assert page.strip().splitlines()[0].strip() == str(number), number
        assert "Cơ quan, đơn vị" in page and "Xếp loại" in page, number  # the header row, on every page
    tags = re.findall(r"\[r(\d{3})\]", "\n".join(pages))
    assert tags == [f"{n:03d}" for n in range(1, rows + 1)]  # every row exactly once, in order


def test_a_long_annex_in_two_parts_is_the_one_pass_document(long_context, merges, tmp_path):
    parted = annex.render(TEMPLATE, long_context, min_rows=1)
    assert parted is not None and len(merges) == 1  # laid out in two parts and joined
    (_, cut), (start, _) = merges[0]
    assert cut > 2 and start == 0  # joined mid-annex, part B from its first page
    pages = pages_text(parted, tmp_path, "parted")
    assert pages == pages_text(one_pass(long_context), tmp_path, "one-pass")  # same breaks, same text
    assert_reads_as_one_document(pages, long_context["total_agencies"])


def test_a_mispredicted_break_is_laid_out_again_from_a_true_one(long_context, merges, monkeypatch, tmp_path):
    real = annex._predicted_breaks

    def off_by_one(*args):
        # Every predicted break one row late: part B starts mid-page, so it cannot be used.
        return {row + 1: page for row, page in real(*args).items()}

    monkeypatch.setattr(annex, "_predicted_breaks", off_by_one)
    parted = annex.render(TEMPLATE, long_context, min_rows=1)
    pages = pages_text(parted, tmp_path, "parted")
    assert pages == pages_text(one_pass(long_context), tmp_path, "one-pass")
    assert_reads_as_one_document(pages, long_context["total_agencies"])


def page_images(content: bytes, tmp_path, name: str) -> list[bytes]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(path), str(tmp_path / name)], check=True)
    return [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pgm"))]


def test_a_draft_annex_in_parts_looks_as_in_one_pass(long_context, merges, tmp_path):
    long_context["is_draft"] = True  # the watermark, fixed on every page, and the draft label
    parted = page_images(annex.render(TEMPLATE, long_context, min_rows=1), tmp_path, "parted")
    assert merges and parted == page_images(one_pass(long_context), tmp_path, "one-pass")


def test_a_short_annex_or_one_core_is_one_pass(long_context, monkeypatch):
    assert annex.render(TEMPLATE, long_context) is None  # below PARALLEL_MIN_ROWS
    monkeypatch.setattr(annex, "cores", lambda: 1)
    assert annex.render(TEMPLATE, long_context, min_rows=1) is None


def test_busy_cores_mean_one_pass(long_context, merges, monkeypatch):
    monkeypatch.setattr(annex, "others_busy", lambda _sample: 1.0)  # another job holds a core
    assert annex.render(TEMPLATE, long_context, min_rows=1) is None and not merges
    assert 0 <= annex.others_busy(annex.cpu_sample()) <= (annex.os.cpu_count() or 1)


def _render_in_worker(context, send):
    annex.cores = lambda: 2
    annex.others_busy = lambda _sample: 0.0
    content = annex.render(TEMPLATE, context, min_rows=1)
    send.send(content)
    send.close()


def test_a_celery_prefork_worker_lays_out_in_parts_too(long_context, tmp_path):
    """Celery's prefork workers are daemonic billiard processes, which multiprocessing forbids to
    have children: the annex's child is made with billiard, which allows it."""
    import billiard

    receive, send = billiard.Pipe(duplex=False)
    worker = billiard.get_context("fork").Process(target=_render_in_worker, args=(long_context, send), daemon=True)
    worker.start()
    send.close()
    assert receive.poll(300)
    content = receive.recv()
    worker.join(10)
    assert content is not None  # two parts, not one pass
    assert pages_text(content, tmp_path, "worker") == pages_text(one_pass(long_context), tmp_path, "one-pass")
