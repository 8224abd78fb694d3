#!/usr/bin/env python3
"""Checks the DOM headless Chromium rendered from an addperm HTML report (--dump-dom).

Usage: check_dom.py REPORT.json DOM.html EXPECT
  REPORT.json  the run's --report-json (what the page must show)
  DOM.html     the DOM Chromium dumped after the page's script ran
  EXPECT       what the page's filters must show, given as the URL fragment it was opened
               with: "" (nothing filtered), "verdict=V", "bucket=N" or "q=TEXT"

Checks: every failing case of the report is a case block and every passing case is listed;
exactly the cases the filter selects are visible and the count line says so; text that the
case file and the target wrote as markup (the hostile case) is text, not elements, and did not
run; nothing on the page points to a network resource. Exit 0 when all hold, 1 otherwise.
Standard library only (html.parser).
"""

import json
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs


class Dom(HTMLParser):
    """The parts of the page the checks read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # open elements: (tag, attrs)
        self.cases = []  # case blocks: {"verdict", "bucket", "hidden", "id"}
        self.listed = []  # passing cases: {"verdict", "hidden", "id"}
        self.shown = ""
        self.title = ""
        self.html_attrs = {}
        self.elements = []  # every (tag, attrs)
        self.cells = []  # text of every td

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "html":
            self.html_attrs = a
        if tag == "details" and "case" in a.get("class", "").split():
            self.cases.append({"verdict": a.get("data-verdict"), "bucket": a.get("data-bucket"),
                               "hidden": "hidden" in a, "id": ""})
        if tag == "li" and "data-verdict" in a:
            self.listed.append({"verdict": a["data-verdict"], "hidden": "hidden" in a, "id": ""})
        if tag == "td":
            self.cells.append("")
        if tag not in ("meta", "input", "br", "img", "link"):
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        top, attrs = self.stack[-1] if self.stack else ("", {})
        if top == "code" and attrs.get("class") == "id" and self.cases:
            self.cases[-1]["id"] += data
        elif top == "li" and self.listed and "data-verdict" in attrs:
            self.listed[-1]["id"] += data
        elif top == "span" and attrs.get("id") == "f-shown":
            self.shown += data
        elif top == "title" and "svg" not in tags:
            self.title += data
        if "td" in tags and self.cells:
            self.cells[-1] += data


def main():
    report_path, dom_path, expect = sys.argv[1:4]
    report = json.load(open(report_path, encoding="utf-8"))
    dom = Dom()
    dom.feed(open(dom_path, encoding="utf-8").read())
    problems = []

    def check(ok, what):
        if not ok:
            problems.append(what)

    cases = report["cases"]
    failing = [c for c in cases if c["verdict"] != "pass"]
    passing = [c for c in cases if c["verdict"] == "pass"]
    blocks = {c["id"]: c for c in dom.cases}
    check(len(dom.cases) == len(failing), f"{len(dom.cases)} case blocks, {len(failing)} failing cases")
    for c in failing:
        b = blocks.get(c["id"])
        check(b is not None, f"failing case {c['id']!r} is not on the page")
        if b:
            check(b["verdict"] == c["verdict"], f"{c['id']!r}: verdict {b['verdict']!r}")
    check(sorted(l["id"] for l in dom.listed) == sorted(c["id"] for c in passing),
          "the passing cases listed are not the report's")

    # What the filter must show.
    want = parse_qs(expect, keep_blank_values=True)
    buckets = report.get("buckets", [])

    def selected(item, is_block):
        if "verdict" in want and item["verdict"] not in want["verdict"][0].split(","):
            return False
        if "bucket" in want and (not is_block or item["bucket"] != want["bucket"][0]):
            return False
        if "q" in want and want["q"][0].lower() not in item["id"].lower():
            return False
        return True

    items = [(b, True) for b in dom.cases] + [(l, False) for l in dom.listed]
    visible = [i for i, _ in items if not i["hidden"]]
    expected_visible = [i for i, block in items if selected(i, block)]
    check(visible == expected_visible,
          f"#{expect}: {len(visible)} visible, {len(expected_visible)} selected "
          f"(e.g. {[i['id'] for i in visible if i not in expected_visible][:3]} "
          f"{[i['id'] for i in expected_visible if i not in visible][:3]})")
    if "bucket" in want:
        n = int(want["bucket"][0])
        check(len(visible) == buckets[n]["count"],
              f"#{expect}: {len(visible)} visible, the finding has {buckets[n]['count']}")
    check(dom.shown.strip() == f"{len(visible)} of {len(items)} cases shown",
          f"count line {dom.shown!r}")
    check(len(visible) > 0, f"#{expect} shows no case: a filter that selects nothing proves little")

    # Hostile text: shown as text, and it did not run.
    hostile = [c for c in failing if c["id"].startswith("hostile-")]
    check(len(hostile) == 1, "the hostile case is not in the report")
    for c in hostile:
        check(c["id"] in blocks, "the hostile id is not shown as text")
        message = (c.get("actual") or {}).get("message") or ""
        check("</script>" in message, "the target did not echo the hostile StatementId")
        check(any(message[:200] in cell for cell in dom.cells),
              "the hostile message is not shown as text in the answers table")
    check("data-pwned" not in dom.html_attrs, "a hostile script ran")
    check(not any(t == "img" for t, _ in dom.elements), "hostile markup became an <img> element")
    check(dom.title.startswith("addperm report: "), f"title {dom.title!r}")
    scripts = [a for t, a in dom.elements if t == "script"]
    check(len(scripts) == 1, f"{len(scripts)} script elements (the page has one)")

    # Nothing to fetch.
    for t, a in dom.elements:
        for attr in ("src", "href", "action", "data", "poster"):
            v = a.get(attr) or ""
            check(not v.startswith(("http:", "https:", "//")), f"<{t} {attr}={v!r}>")

    for p in problems:
        print(f"html-check: {dom_path}: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"html-check: #{expect or '(no filter)'}: {len(visible)} of {len(items)} cases shown, "
          f"{len(failing)} failing on the page, hostile text shown as text")


if __name__ == "__main__":
    main()
