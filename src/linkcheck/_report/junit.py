"""JUnit XML for GitLab and Jenkins: a testsuite per file, a testcase per occurrence."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TextIO

from .._models import Level, LinkResult, Report, Status
from ._common import message, xml_text


def write_junit(report: Report, stream: TextIO, *, color: bool = False) -> None:
    """JUnit XML: a testsuite per file, a testcase per occurrence, failures for the
    failing set, `skipped` for skipped and excluded links; warnings go to system-out."""
    by_file: dict[str, list[LinkResult]] = defaultdict(list)
    for result in report.results:
        by_file[result.link.file].append(result)
    suites = ET.Element("testsuites", name="linkcheck")
    total = failures = 0
    for file in sorted(set(by_file) | {i.file for i in report.file_issues}):
        results = by_file.get(file, [])
        suite = ET.SubElement(suites, "testsuite", name=xml_text(file))
        failed = skipped = errors = 0
        for result in results:
            link = result.link
            case = ET.SubElement(
                suite,
                "testcase",
                classname=xml_text(file),
                name=xml_text(f"{link.line}:{link.column} {link.url or '[' + link.text + ']'}"),
            )
            reason = xml_text(result.outcome.reason or "")
            level = result.level(report.fail_on)
            if level is Level.ERROR:
                failure = ET.SubElement(case, "failure", message=reason, type=result.status.value)
                failure.text = xml_text(message(result))
                failed += 1
            elif result.status in (Status.SKIPPED, Status.EXCLUDED):
                ET.SubElement(case, "skipped", message=reason)
                skipped += 1
            elif level is Level.WARNING:
                out = ET.SubElement(case, "system-out")
                out.text = xml_text(f"warning: {message(result)}")
        for issue in report.file_issues:
            if issue.file == file:
                case = ET.SubElement(suite, "testcase", classname=xml_text(file), name="read")
                tag = "error" if issue.fatal else "system-out"
                attributes = {"message": xml_text(issue.message)} if issue.fatal else {}
                node = ET.SubElement(case, tag, attributes)
                node.text = xml_text(issue.message)
                errors += issue.fatal
        tests = len(results) + sum(1 for i in report.file_issues if i.file == file)
        suite.set("tests", str(tests))
        suite.set("failures", str(failed))
        suite.set("errors", str(errors))
        suite.set("skipped", str(skipped))
        total += tests
        failures += failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(suites, encoding="unicode"))
    stream.write("\n")
