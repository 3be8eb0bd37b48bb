# SPDX-License-Identifier: Apache-2.0
"""JUnit XML, the one format every test step reports in (tests/run-all merges and counts them).

A case is a Case; a report is {suite name: [Case, ...]}.
"""
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass
class Case:
    name: str
    outcome: str = PASSED
    message: str = ""
    text: str = ""
    seconds: float = 0.0


def write(report, path):
    suites = ET.Element("testsuites")
    for suite_name, cases in report.items():
        suite = ET.SubElement(suites, "testsuite", name=suite_name, tests=str(len(cases)),
                              failures=str(sum(c.outcome == FAILED for c in cases)),
                              skipped=str(sum(c.outcome == SKIPPED for c in cases)))
        for c in cases:
            case = ET.SubElement(suite, "testcase", classname=suite_name, name=c.name, time=f"{c.seconds:.2f}")
            if c.outcome != PASSED:
                node = ET.SubElement(case, "failure" if c.outcome == FAILED else "skipped", message=c.message)
                node.text = c.text
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="unicode", xml_declaration=True)


def read(path):
    """The report in a JUnit file (ours, Catch2's or meson's), by suite."""
    report = {}
    for suite in ET.parse(path).getroot().iter("testsuite"):
        cases = report.setdefault(suite.get("name", ""), [])
        for case in suite.iter("testcase"):
            node = next((case.find(tag) for tag in ("failure", "error", "skipped") if case.find(tag) is not None),
                        None)
            outcome = PASSED if node is None else SKIPPED if node.tag == "skipped" else FAILED
            cases.append(Case(case.get("name", ""), outcome, "" if node is None else node.get("message", ""),
                              "" if node is None else (node.text or ""), float(case.get("time") or 0)))
    return report
