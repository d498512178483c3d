"""SARIF 2.1.0 for code scanning: a rule per status, a result per problem."""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from .._models import LinkResult, Report, Status
from .._version import __version__
from ._common import RULES, message, reported


def write_sarif(report: Report, stream: TextIO, *, color: bool = False) -> None:
    """SARIF 2.1.0 for code scanning: a rule per status, a result per problem."""
    rows = reported(report)
    statuses = [s for s in Status if s in RULES and any(r.status is s for r, _ in rows)]
    index = {status: i for i, status in enumerate(statuses)}
    rules = [
        {
            "id": status.value,
            "name": status.value.replace("_", " ").title().replace(" ", ""),
            "shortDescription": {"text": f"{status.value} link"},
            "fullDescription": {"text": RULES[status]},
            "defaultConfiguration": {"level": "error" if status in report.fail_on else "warning"},
        }
        for status in statuses
    ]
    results = [
        {
            "ruleId": result.status.value,
            "ruleIndex": index[result.status],
            "level": level,
            "message": {"text": message(result)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(result.link.file)},
                        "region": {
                            "startLine": result.link.line,
                            "startColumn": result.link.column,
                        },
                    }
                }
            ],
            "partialFingerprints": {"linkcheck/v1": _fingerprint(result)},
        }
        for result, level in rows
    ]
    notifications = [
        {
            "level": "error" if issue.fatal else "warning",
            "message": {"text": issue.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(issue.file)}}}],
        }
        for issue in report.file_issues
    ]
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "linkcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "results": results,
    }
    if notifications:
        run["invocations"] = [
            {"executionSuccessful": True, "toolExecutionNotifications": notifications}
        ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    json.dump(sarif, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _uri(path: str) -> str:
    return "stdin" if path == "-" else path.replace(" ", "%20")


def _fingerprint(result: LinkResult) -> str:
    """Stable across runs and line moves: the file, the URL and the kind of link."""
    key = "\0".join([result.link.file, result.link.url, result.link.kind.value])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
