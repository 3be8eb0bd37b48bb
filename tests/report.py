#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The test run as a page a person reads: the boot matrix (port x scenario, each cell linking to that
run's console log) and each port's -icount figures beside the anchors, as bars.

    tests/report.py write BOOT.xml ICOUNT.json OUT.html     what tests/run-all does after the boot matrix
    tests/report.py check OUT.html BOOT.xml                 parses the page back: every boot result is a
                                                            cell whose link reaches its log, and every
                                                            figure a bar; exit 1 naming what is wrong
"""
import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import junit  # noqa: E402

LOGS = "boot-logs"  # beside the page, as tests/boot/run writes them


def boot_results(xml):
    """{(port, scenario): passed} from the boot runner's JUnit (suites boot.<port>)."""
    results = {}
    for suite, cases in junit.read(xml).items():
        if suite.startswith("boot."):
            for case in cases:
                results[(suite[5:], case.name)] = case.outcome == junit.PASSED
    return results


def number(text):
    m = re.search(r"[\d,]+", text or "")
    return int(m.group(0).replace(",", "")) if m else None


def bars(port, figures):
    """One SVG bar per figure: its length is ours / target (the anchor at the middle line), capped at 2."""
    rows = [f for f in figures if number(f["target"])]
    width, row = 600, 22
    out = [f'<svg class="figures" data-port="{port}" width="{width + 330}" height="{row * len(rows) + 10}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for i, f in enumerate(rows):
        ratio = f["ours"] / number(f["target"])
        length = int(min(ratio, 2.0) / 2.0 * width)
        y = 5 + i * row
        colour = "#3a7" if ratio <= 1 else "#c44"
        out.append(f'<rect class="bar" data-key="{f["key"]}" x="0" y="{y}" width="{length}" height="{row - 6}" '
                   f'fill="{colour}"><title>{html.escape(f["label"])}: {f["ours"]:,} (target {f["target"]})</title></rect>')
        out.append(f'<text x="{width + 8}" y="{y + row - 10}" font-size="12">{html.escape(f["label"])}: '
                   f'{f["ours"]:,} / {html.escape(f["target"])}</text>')
    out.append(f'<line x1="{width // 2}" y1="0" x2="{width // 2}" y2="{row * len(rows) + 10}" stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out)


def write(boot_xml, icount_json, out):
    results = boot_results(boot_xml)
    figures = json.loads(Path(icount_json).read_text()) if Path(icount_json).exists() else {}
    ports = sorted({p for p, _ in results})
    scenarios = list(dict.fromkeys(s for _, s in results))
    page = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"><title>hv: test report</title>",
            "<style>td,th{padding:2px 8px;border:1px solid #ccc} .pass{background:#dfd} .fail{background:#fdd}</style>",
            "</head><body>", "<h1>Boot matrix</h1>", '<table id="matrix"><tr><th>scenario</th>']
    page += [f"<th>{html.escape(p)}</th>" for p in ports]
    page.append("</tr>")
    for s in scenarios:
        page.append(f"<tr><th>{html.escape(s)}</th>")
        for p in ports:
            if (p, s) not in results:
                page.append("<td>-</td>")
                continue
            ok = results[(p, s)]
            log = f"{LOGS}/{p}.{s}.log"
            page.append(f'<td class="{"pass" if ok else "fail"}" data-port="{p}" data-scenario="{s}">'
                        f'<a href="{html.escape(log)}">{"pass" if ok else "FAIL"}</a></td>')
        page.append("</tr>")
    page.append("</table>")
    page.append("<h1>-icount figures (instructions; the line is the target)</h1>")
    for port, rows in figures.items():
        page.append(f"<h2>{html.escape(port)}</h2>")
        page.append(bars(port, rows))
    page.append("</body></html>")
    Path(out).write_text("\n".join(page))


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self.bars, self.charts = {}, [], []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-port" in a:
            self.cell = (a["data-port"], a["data-scenario"], a.get("class"))
        elif tag == "a" and self.cell is not None:
            self.cells[self.cell[:2]] = (self.cell[2] == "pass", a.get("href"))
        elif tag == "svg" and a.get("class") == "figures":
            self.charts.append(a.get("data-port"))
        elif tag == "rect" and a.get("class") == "bar":
            self.bars.append(a.get("data-key"))

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None


def check(page_path, boot_xml):
    page = Page()
    page.feed(Path(page_path).read_text())
    problems = []
    for key, passed in boot_results(boot_xml).items():
        if key not in page.cells:
            problems.append(f"no cell for {key[0]} {key[1]}")
            continue
        shown, href = page.cells[key]
        if shown != passed:
            problems.append(f"{key[0]} {key[1]} shown as {'pass' if shown else 'FAIL'}, the result says otherwise")
        if href is None or not (Path(page_path).parent / href).exists():
            problems.append(f"{key[0]} {key[1]}: its log link {href} reaches nothing")
    if not page.charts or not page.bars:
        problems.append("no -icount chart")
    for p in problems:
        print(f"report: {p}")
    print(f"report: {len(page.cells)} cells, {len(page.charts)} charts, {len(page.bars)} bars; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "write":
        write(*sys.argv[2:])
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)
