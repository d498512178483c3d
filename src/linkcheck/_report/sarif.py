"""SARIF 2.1.0 for code scanning: a rule per status, a result per problem."""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from .._models import LinkResult, Report, Status
from .._version import __version__
from ._common import DRIFT_RULE, RULES, message, reported


def write_sarif(report: Report, stream: TextIO, *, color: bool = False) -> None:
    """SARIF 2.1.0 for code scanning: a rule per status, a result per problem."""
    rows = reported(report)
    used = {_rule(result) for result, _ in rows}
    statuses = [s for s in Status if s in RULES and s.value in used]
    described = [(s.value, f"{s.value} link", RULES[s], s in report.fail_on) for s in statuses]
    if DRIFTED in used:  # a working citation whose page no longer says what it did
        described.append((DRIFTED, "drifted citation", DRIFT_RULE, False))
    for other in sorted(used - {d[0] for d in described}):  # e.g. ok, fragment not verified
        described.append((other, f"{other} link", OTHER_WARNING, False))
    index = {rule: i for i, (rule, *_) in enumerate(described)}
    rules = [
        {
            "id": rule,
            "name": rule.replace("_", " ").title().replace(" ", ""),
            "shortDescription": {"text": short},
            "fullDescription": {"text": full},
            "defaultConfiguration": {"level": "error" if fails else "warning"},
        }
        for rule, short, full, fails in described
    ]
    results = [
        {
            "ruleId": _rule(result),
            "ruleIndex": index[_rule(result)],
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


DRIFTED = "drifted"
OTHER_WARNING = "A link that works, with a warning worth a look (the result's message says what)."


def _rule(result: LinkResult) -> str:
    """The rule an occurrence breaks: its status's, or "drifted" for a working citation
    that drifted."""
    if result.drift is not None and result.status not in RULES:
        return DRIFTED
    return result.status.value


def _uri(path: str) -> str:
    return "stdin" if path == "-" else path.replace(" ", "%20")


def _fingerprint(result: LinkResult) -> str:
    """Stable across runs and line moves: the file, the URL and the kind of link."""
    key = "\0".join([result.link.file, result.link.url, result.link.kind.value])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
