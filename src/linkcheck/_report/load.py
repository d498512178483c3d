"""A JSON report read back into a `Report`: what `linkcheck merge` joins.

The inverse of `json.py` for every field a writer uses. A file that is not a linkcheck
report is a one-line `ReportError` naming the file and what is wrong, never a traceback.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from .._errors import LinkcheckError
from .._models import (
    DEFAULT_FAIL_ON,
    Archived,
    Drift,
    DriftSummary,
    FileIssue,
    FixNote,
    Kind,
    Link,
    LinkResult,
    Outcome,
    Preserved,
    Redirect,
    Report,
    Status,
)
from .._shard import Shard


class ReportError(LinkcheckError):
    """Not a linkcheck JSON report: one line for the CLI, which exits 2."""


_LINK_FIELDS = frozenset(f.name for f in dataclasses.fields(Link))
_OUTCOME_FIELDS = frozenset(f.name for f in dataclasses.fields(Outcome))


def load_report(path: str) -> Report:
    """The report in the JSON file at `path`."""
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    except (ValueError, RecursionError) as error:  # not JSON, or not UTF-8
        raise ReportError(f"{path} is not a linkcheck JSON report: {error}") from None
    try:
        return report_from_dict(document)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReportError(f"{path} is not a linkcheck JSON report: {_why(error)}") from None


def report_from_dict(document: Any) -> Report:
    """Raises KeyError, TypeError or ValueError when `document` is not a report."""
    if not isinstance(document, dict) or not str(document.get("tool", "")).startswith("linkcheck "):
        raise ValueError("no 'tool': 'linkcheck …'")
    if document.get("version") != 1:
        raise ValueError(f"version {document.get('version')!r}, not 1")
    summary = _table(document["summary"], "summary")
    results = [_result(_table(row, "a link")) for row in _list(document["links"], "links")]
    errors = [_table(e, "an error") for e in _list(document.get("errors", []), "errors")]
    issues = tuple(
        FileIssue(_str(e["file"]), _str(e["message"]), e["fatal"] is True) for e in errors
    )
    files = document.get("files")
    if files is None:  # a report written before `files` was added: names from its rows
        files = list(dict.fromkeys(r.link.file for r in results))
    fail_on = summary.get("fail_on")
    shard = summary.get("shard")
    return Report(
        files=tuple(_str(f) for f in _list(files, "files")),
        results=tuple(results),
        file_issues=issues,
        fail_on=DEFAULT_FAIL_ON
        if fail_on is None
        else frozenset(Status(s) for s in _list(fail_on, "fail_on")),
        dates={
            _str(a["file"]): (_optional_str(a["date"]), _str(a["date_source"]))
            for a in _list(document.get("articles", []), "articles")
        },
        shard=None if shard is None else Shard(_int(shard["index"]), _int(shard["total"])),
        generators=_generators(summary.get("generator")),
        partial=summary.get("partial") is True,
        drift=_drift_summary(summary.get("drift")),
    )


def _drift_summary(found: Any) -> DriftSummary | None:
    """The inverse of the JSON summary's `drift`: None when the run did not compare."""
    if found is None:
        return None
    table = _table(found, "drift")
    not_judged = _table(table.get("not_judged", {}), "not_judged")
    return DriftSummary(
        _int(table["compared"]),
        _int(table["drifted"]),
        tuple(sorted((_str(why), _int(count)) for why, count in not_judged.items())),
    )


def _generators(found: Any) -> tuple[tuple[str, str], ...] | None:
    """The inverse of json.generator_summary: None when the report does not say."""
    if found is None:
        return None
    found = _table(found, "generator")
    if found["from"] is None:  # judged as GitHub renders it
        return ()
    sites = found.get("sites") or [found]
    return tuple((_str(s["name"]), _str(s["from"])) for s in (_table(x, "site") for x in sites))


#: Row fields read above; another field named like a field of Link or Outcome (a flag a
#: later capability adds, such as `unused`) is read into it as written.
_ROW = frozenset(
    {"file", "line", "column", "kind", "text", "url", "target", "status", "reason"}
    | {"shortlink", "http_status", "final_url", "redirects", "flaky", "archive", "fix"}
    | {"drift", "preserved"}
)


def _result(row: Mapping[str, Any]) -> LinkResult:
    later: dict[str, Any] = {
        k: v for k, v in row.items() if k not in _ROW and isinstance(v, bool | int | str)
    }
    link = Link(
        _str(row["file"]),
        _int(row["line"]),
        _int(row["column"]),
        Kind(row["kind"]),
        _str(row["text"]),
        _str(row["url"]),
        **{k: v for k, v in later.items() if k in _LINK_FIELDS},
    )
    outcome = Outcome(
        Status(row["status"]),
        _optional_str(row["reason"]),
        None if row["http_status"] is None else _int(row["http_status"]),
        _optional_str(row["final_url"]),
        tuple(Redirect(_int(r["status"]), _str(r["url"])) for r in _list(row["redirects"], "x")),
        row.get("flaky") is True,
        **{k: v for k, v in later.items() if k in _OUTCOME_FIELDS},
    )
    target = _optional_str(row["target"])
    archive = None
    if "archive" in row:  # null: looked up, no copy found
        found = row["archive"]
        archive = (
            Archived()
            if found is None
            else Archived(_optional_str(found["url"]), _optional_str(found["timestamp"]))
        )
    fix = None
    if row.get("fix") is not None:
        note = _table(row["fix"], "fix")
        fix = FixNote(_str(note["to"]), _str(note["why"]), note["applied"] is True)
    drift = None
    if row.get("drift") is not None:
        moved = _table(row["drift"], "drift")
        score = moved["similarity"]
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise TypeError(f"{score!r:.40} is not a similarity")
        drift = Drift(
            float(score),
            _str(moved["archived_url"]),
            _str(moved["title_then"]),
            _str(moved["title_now"]),
        )
    preserved = None
    if row.get("preserved") is not None:
        kept = _table(row["preserved"], "preserved")
        preserved = Preserved(
            _optional_str(kept.get("url")),
            _optional_str(kept.get("timestamp")),
            _optional_str(kept.get("error")),
            kept.get("permanent") is True,
        )
    return LinkResult(
        link, target, row["shortlink"] is True, outcome, archive, fix, drift, preserved
    )


def _table(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"'{what}' is not a list")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r:.40} is not a string")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r:.40} is not a whole number")
    return value


def _why(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"no {error.args[0]!r} field"
    return str(error)


class ReportStream:
    """A JSON report read row by row, for a merge that does not hold every row.

    `write_json` puts each row on a line of its own between the head (`summary`) and
    the tail (`errors`, `files`, …); such a file is read one line at a time, again at
    every `rows()`. A report laid out otherwise (re-indented by another tool) is loaded
    whole, as `load_report` does. Errors: ReportError, as `load_report`.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._whole: Report | None = None
        self._rest: Report | None = None
        try:
            # A pipe (`<(…)`, /dev/stdin) cannot be read twice: loaded whole.
            head = self._head() if os.path.isfile(path) else None
        except (OSError, ValueError):  # unreadable, or not this layout: load_report says
            head = None
        if head is None:
            self._whole = load_report(path)
            self.fail_on = self._whole.fail_on
            return
        try:
            fail_on = _table(head["summary"], "summary").get("fail_on")
            self.fail_on = (
                DEFAULT_FAIL_ON
                if fail_on is None
                else frozenset(Status(s) for s in _list(fail_on, "fail_on"))
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ReportError(f"{path} is not a linkcheck JSON report: {_why(error)}") from None

    def rows(self) -> Iterator[LinkResult]:
        """Every row, in the file's order; once they are all read, `rest()` is known."""
        if self._whole is not None:
            self._rest = dataclasses.replace(self._whole, results=())
            yield from self._whole.results
            return
        try:
            yield from self._streamed()
        except OSError as error:
            raise ReportError(f"cannot read {self.path}: {error.strerror or error}") from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
            raise ReportError(
                f"{self.path} is not a linkcheck JSON report: {_why(error)}"
            ) from None

    def rest(self) -> Report:
        """Everything but the rows (files, errors, shard, …), after `rows()` was read."""
        assert self._rest is not None, "rows() not read to its end"
        return self._rest

    def _head(self) -> dict[str, Any] | None:
        """The document before its rows, if the file has `write_json`'s layout."""
        with open(self.path, encoding="utf-8") as file:
            head, line = _until_rows(file)
            if line is None:
                return None
            first = next(file, "")
            if line.rstrip() == '"links": [':  # rows follow, one to a line
                json.loads(_row_text(first))  # ValueError: another layout
        document = json.loads("".join(head) + '"links": []}')
        return document if isinstance(document, dict) else None

    def _streamed(self) -> Iterator[LinkResult]:
        names: dict[str, None] = {}  # for a report from before `files` was written
        with open(self.path, encoding="utf-8") as file:
            head, line = _until_rows(file)
            if line is None:
                raise ValueError("the file changed while it was merged")
            if line.rstrip() == '"links": [':
                for text in file:
                    if text.startswith("  ]"):
                        line = text
                        break
                    result = _result(_table(json.loads(_row_text(text)), "a link"))
                    if result.link.file not in names:
                        names[result.link.file] = None
                    yield result
                else:
                    raise ValueError("the list of links does not end")
            rest = "".join(file)
        tail = json.loads("{" + rest) if line.rstrip().endswith(",") else {}
        document = json.loads("".join(head) + '"links": []}') | tail
        if "files" not in document:
            document["files"] = list(names)
        self._rest = report_from_dict(document)


def _until_rows(file: Iterator[str]) -> tuple[list[str], str | None]:
    """The lines before `  "links": [`, and that line with its indent taken off (None
    when there is no such line)."""
    head: list[str] = []
    for line in file:
        if line.startswith('  "links": ['):
            return head, line[2:]
        head.append(line)
    return head, None


def _row_text(line: str) -> str:
    """A row's line without the comma between rows."""
    text = line.rstrip("\n")
    if not text.startswith("    {"):
        raise ValueError("a row is not on a line of its own")
    return text[:-1] if text.endswith(",") else text
