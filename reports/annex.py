"""The annex of the decision and the proposal, laid out in two parts on two cores when it is long.

WeasyPrint is CPU-bound and single-threaded: a 600-row national annex takes seconds to lay out. A
long annex is therefore split at a page break and its two parts are rendered at the same time, one
in a forked child process, and their pages merged (pypdf). The result is the document a single pass
would give, page for page: the same page breaks, the table header on every page, page numbers
continuous (the second part starts its page counter where the first part ends), the draft watermark
on every page.

How the break is found without laying the whole annex out first:
1. The child starts at once on part A: the document with the annex's rows up to a little past the
   middle (`LOOKAHEAD` rows past the planned break).
2. Meanwhile the parent lays out a cheap probe (the document with one annex row, and every row's
   wrapping cells as plain blocks of their column's width) and simulates the table's pagination from
   the measured heights: the first predicted page break at or after the middle is where part B
   starts, and its page number.
3. The parent renders part B (rows from that break to the end, numbered on), then reads part A's
   real page breaks: when A really breaks before B's first row (or any later break of B's), A's
   pages before it and B's pages from it are merged. Otherwise (a misprediction) the parent lays the
   rest out again from A's last true break: slower, never wrong.

Serial (a single pass) when the annex is short, the machine has one core, or no child can be made.
Children are forked with billiard (Celery's own multiprocessing), which, unlike multiprocessing,
allows a daemonic process such as a Celery prefork worker to have children; the child only lays out
HTML (no database, no Django I/O) and leaves by os._exit.
"""

from __future__ import annotations

import html as html_lib
import io
import logging
import os
import time

from django.template.loader import render_to_string

from . import weasy

logger = logging.getLogger(__name__)

# Below this many rows (group headings included) one pass is as fast: the probe and the fork cost
# about what the split saves (the one-province 150-row annex stays a single pass).
PARALLEL_MIN_ROWS = 300
# Rows part A lays out past the planned break: one landscape page holds about 23, so the predicted
# break, the first one at or after the planned row, always falls inside part A and is checked there.
LOOKAHEAD = 30
# Cores other processes may keep busy while the part A's HTML is rendered (a few tens of ms, read
# from /proc/stat) for two parts to be worth it; on a saturated machine one pass is faster.
OTHERS_BUSY_LIMIT = 0.5
PART_TEMPLATE = "reports/pdf/annex_part.html"
# The probe's measuring page: @page appendix's left and right margins (print.css), very tall.
PROBE_CSS = "@page annex-probe { size: 297mm %dmm; margin: 0 20mm 0 25mm; } section.annex-probe { page: annex-probe; }"
PROBE_EPSILON = 0.01


def annex_items(groups: list[dict]) -> list[dict]:
    """The annex's rows in print order: each group's heading, then its rows numbered from 1."""
    items = []
    for group in groups:
        items.append({"group": True, "roman": group["roman"], "name": group["name"]})
        for number, row in enumerate(group["rows"], start=1):
            items.append({**row, "number": number})
    return items


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def render(template: str, context: dict, min_rows: int | None = None) -> bytes | None:
    """The PDF of `template` laid out in two parts, or None when one pass is the way: a short annex,
    one core, the other cores busy (two parts do a quarter more work than one pass: only a free
    core pays for it), or no child process possible."""
    items = annex_items(context.get("groups") or [])
    if len(items) < (PARALLEL_MIN_ROWS if min_rows is None else min_rows) or cores() < 2:
        return None
    try:
        import billiard
    except ImportError:
        return None
    planned = _planned_break(len(items))
    sample = cpu_sample()
    html_a = render_to_string(template, {**context, "annex_items": items[: planned + LOOKAHEAD]})
    busy = others_busy(sample)
    if busy > OTHERS_BUSY_LIMIT:
        logger.info("annex in one pass: %.1f cores busy elsewhere", busy)
        return None
    receive, send = billiard.Pipe(duplex=False)
    child = billiard.get_context("fork").Process(target=_child_render, args=(html_a, send), daemon=True)
    try:
        child.start()
    except (OSError, AssertionError) as error:  # no children here: one pass
        logger.warning("annex in one pass: no child process (%s)", error)
        receive.close()
        send.close()
        return None
    send.close()
    try:
        return _parent_render(template, context, items, planned, receive)
    finally:
        receive.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
            child.join()


def cpu_sample() -> tuple[float, ...] | None:
    """The machine's CPU ticks (all, idle) and this process's CPU and wall clock, now."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(v) for v in stat.readline().split()[1:8]]
    except (OSError, ValueError):
        return None
    return sum(ticks), ticks[3] + ticks[4], time.process_time(), time.monotonic()


def others_busy(before: tuple[float, ...] | None) -> float:
    """How many cores other processes kept busy since `before` (0 when it cannot be told)."""
    after = cpu_sample()
    if before is None or after is None or after[0] <= before[0]:
        return 0.0
    busy = (os.cpu_count() or 1) * (1 - (after[1] - before[1]) / (after[0] - before[0]))
    mine = (after[2] - before[2]) / max(after[3] - before[3], 1e-6)
    return max(0.0, busy - mine)


def _planned_break(count: int) -> int:
    # Part A also lays out the body and the rows past the break (half LOOKAHEAD on average), the
    # parent the probe (about 55 rows' worth, measured): a break just past the middle evens the work.
    return max(1, count // 2 + 5)


def _child_render(html: str, send) -> None:
    try:
        document = weasy.layout(html)
        result = ("ok", weasy.write(document), _page_first_rows(document))
    except BaseException as error:  # reported to the parent, which lays out alone
        result = ("error", repr(error), None)
    try:
        send.send(result)
    finally:
        send.close()
        os._exit(0)  # never run the parent's exit handlers (database connections, Celery)


def _body_rows(box, rows: list, in_annex: bool = False) -> None:
    """The annex table's body rows inside `box`, in order (repeated header rows left out)."""
    kind = type(box).__name__
    if kind == "TableBox":
        in_annex = "annex" in (box.element.get("class") or "").split()
    elif kind == "TableRowGroupBox" and (box.is_header or box.is_footer):
        return
    elif kind == "TableRowBox":
        if in_annex:
            rows.append(box)
        return
    for child in getattr(box, "children", None) or ():
        _body_rows(child, rows, in_annex)


def _page_first_rows(document, offset: int = 0) -> list[int | None]:
    """Per page, the index of the first annex row on it (None for a page without one)."""
    firsts, seen = [], offset
    for page in document.pages:
        rows: list = []
        _body_rows(page._page_box, rows)
        firsts.append(seen if rows else None)
        seen += len(rows)
    return firsts


def _parent_render(template: str, context: dict, items: list[dict], planned: int, receive) -> bytes:
    started = time.perf_counter()
    try:
        starts = _predicted_breaks(template, context, items)  # {row index: page number}
    except Exception:  # the probe is an optimisation: without it, A's breaks decide
        logger.exception("annex probe failed")
        starts = {}
    window = [i for i in sorted(starts) if planned <= i < planned + LOOKAHEAD - 1]
    part_b = None
    if window:
        first_row = window[0]
        part_b = weasy.layout(
            render_to_string(PART_TEMPLATE, _part_context(context, items[first_row:], starts[first_row]))
        )
        b_firsts = _page_first_rows(part_b, offset=first_row)
        b_pdf = weasy.write(part_b)
    status, a_pdf, a_firsts = receive.recv() if receive.poll(600) else ("error", "no answer", None)
    if status != "ok":
        logger.warning("annex part A failed in its child (%s): one pass", a_pdf)
        return weasy.html_to_pdf(render_to_string(template, context))
    a_breaks = {row: page for page, row in enumerate(a_firsts, start=1) if row is not None}
    if part_b is not None:
        for b_page, row in enumerate(b_firsts, start=starts[window[0]]):
            # A break both parts make, A's pages after it laid out in full: the same pages from there on.
            if row is not None and a_breaks.get(row) == b_page:
                result = _merge([(a_pdf, 0, b_page - 1), (b_pdf, b_page - starts[window[0]], None)])
                logger.info("annex in two parts, joined at row %s, %.2f s", row, time.perf_counter() - started)
                return result
    # Mispredicted: A's last page may be incomplete, the break before it is true; lay the rest out from it.
    last_page = max(a_breaks.values(), default=None)
    if last_page is None:
        return weasy.html_to_pdf(render_to_string(template, context))
    row = a_firsts[last_page - 1]
    logger.warning("annex break mispredicted near row %s: the rest laid out again", row)
    rest = weasy.html_to_pdf(render_to_string(PART_TEMPLATE, _part_context(context, items[row:], last_page)))
    return _merge([(a_pdf, 0, last_page - 1), (rest, 0, None)])


def _part_context(context: dict, items: list[dict], first_page: int) -> dict:
    # `counter-reset: page N` on @page :first: WeasyPrint numbers that page N (checked by the tests).
    return {**context, "annex_items": items, "page_counter": first_page}


def _merge(parts: list[tuple[bytes, int, int | None]]) -> bytes:
    """Pages [start, stop) of each PDF, in order, as one PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for content, start, stop in parts:
        reader = PdfReader(io.BytesIO(content))
        writer.append(reader, pages=(start, len(reader.pages) if stop is None else stop))
    first = PdfReader(io.BytesIO(parts[0][0]))
    if first.metadata:
        writer.add_metadata({k: v for k, v in first.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- prediction -------------------------------------------------------------------------------


def _probe_html(template: str, context: dict, items: list[dict]) -> str:
    """The document with the annex's first row only, then a tall page measuring every row's wrapping
    cells (name, band; group headings across seven columns) in the annex's own column widths."""
    esc = html_lib.escape
    rows = [item for item in items if not item.get("group")]
    groups = [item for item in items if item.get("group")]
    bands = sorted({str(item.get("band", "")) for item in rows})
    div = "<div>{}</div>".format
    height_mm = 100 + 10 * len(items)
    probe = (
        f"<style>{PROBE_CSS % height_mm}</style>"
        '<section class="annex-probe"><table class="data annex">'
        '<colgroup><col class="stt"><col class="name"><col span="4" class="points"><col class="band"><col class="rank"></colgroup>'
        "<tbody><tr><td></td><td>" + "".join(div(esc(str(r["name"]))) for r in rows) + "</td><td></td><td></td><td></td>"
        "<td></td><td>" + "".join(div(esc(b)) for b in bands) + "</td><td></td></tr>"
        '<tr><td></td><td colspan="7">' + "".join(div(esc(str(g["name"]))) for g in groups) + "</td></tr>"
        "</tbody></table></section>"
    )  # fmt: skip
    html = render_to_string(template, {**context, "annex_items": items[:1]})
    head, tail = html.rsplit("</body>", 1)
    return head + probe + "</body>" + tail


def _predicted_breaks(template: str, context: dict, items: list[dict]) -> dict[int, int]:
    """{row index: page number} of every page the annex's rows would start, from the probe."""
    document = weasy.layout(_probe_html(template, context, items))
    firsts = _page_first_rows(document)
    annex_page = next(i for i, row in enumerate(firsts) if row is not None)
    page = document.pages[annex_page]._page_box
    body: list = []
    _body_rows(page, body)
    first_row = body[0]
    table = _find(page, "TableBox")[0]
    measure = _find(document.pages[-1]._page_box, "TableBox")[0]
    cells = _find(measure, "TableCellBox")
    name_cell, band_cell, group_cell = cells[1], cells[6], cells[9]
    real = _find(first_row, "TableCellBox")[1]
    if abs(real.width - (group_cell if items[0].get("group") else name_cell).width) > PROBE_EPSILON:
        raise ValueError("annex probe: its column widths differ from the annex's")
    rows = [item for item in items if not item.get("group")]
    name_h = [c.margin_height() for c in name_cell.children]
    band_h = {
        b: c.margin_height()
        for b, c in zip(sorted({str(r.get("band", "")) for r in rows}), band_cell.children, strict=True)
    }
    group_h = [c.margin_height() for c in group_cell.children]
    line = min(name_h + group_h)
    heights, r, g = [], 0, 0
    for item in items:
        if item.get("group"):
            heights.append(max(line, group_h[g]))
            g += 1
        else:
            heights.append(max(line, name_h[r], band_h[str(item.get("band", ""))]))
            r += 1
    extra = first_row.height - heights[0]  # padding and borders around the tallest cell
    top = page.content_box_y()
    bottom = top + page.height
    y, page_number = first_row.position_y, annex_page + 1
    continued_y = top + (first_row.position_y - table.position_y)
    starts = {0: page_number}
    for index, content in enumerate(heights):
        height = content + extra
        if index and y + height > bottom + PROBE_EPSILON:
            page_number += 1
            y = continued_y
            starts[index] = page_number
        y += height
    return starts


def _find(box, kind: str) -> list:
    found = []

    def walk(b):
        if type(b).__name__ == kind:
            found.append(b)
            return
        for child in getattr(b, "children", None) or ():
            walk(child)

    walk(box)
    return found
