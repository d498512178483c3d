"""The links file of a two-stage sharded run: each article parsed once for all shards.

Stage 1 (`--save-links FILE`) reads, parses and classifies every article once, and
settles there everything decided without the network: local files and `#fragments`
(which need the tree and every article's anchors, both in stage 1's hands), placeholders,
invalid URLs, exclusions, undefined references. What is left for a shard is a remote
target, and that needs no article: stage 2 (`--links-from FILE --shard I/N`) reads this
file, keeps its own share (its hosts; shard 1 also the settled rows) and checks it.

The file is JSON lines (gzip when its name ends in `.gz`), written and read a line at a
time: a head (format, tool version, the settings' fingerprint, the files, their problems
and dates, the site generators, the number of rows), one compact row per occurrence, and
an end line with that number again, so that a cut-off file is refused rather than read as
a smaller run. Credentials never go into it (`_redact`): a remote link whose URL carries
one is written redacted and reported `skipped` by stage 2, which cannot request it.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from ._errors import LinkcheckError
from ._models import (
    Category,
    Cause,
    Classified,
    FileIssue,
    Kind,
    Link,
    Outcome,
    Redirect,
    Span,
    Status,
)
from ._options import Options
from ._redact import redact, redact_issue
from ._version import __version__

#: Bumped whenever a row or the head changes meaning: an older file is refused, not misread.
FORMAT_VERSION = 1
_MAGIC = "linkcheck links"

#: Settings each job of stage 2 may set for itself: which hosts it checks, how fast and
#: how patiently it asks, its own cache, and credentials it reads from its environment.
#: Every other setting shaped what stage 1 wrote, and must be the same in stage 2.
PER_JOB_FIELDS = frozenset(
    {"shard", "timeout", "max_concurrency", "max_per_host", "host_interval", "retries"}
    | {"retry_backoff", "max_retry_wait", "cache_path", "cache_max_age", "cache_failures"}
    | {"no_proxy_env", "github_token", "ia_access_key", "ia_secret_key"}
)

#: The reason of a remote link kept out of stage 2 because its URL holds a credential.
SECRET_REASON = (
    "its URL carries a credential, which the links file does not hold: check it in a run "
    "that reads the article"
)


class LinksFileError(LinkcheckError):
    """A links file that is not whole, not ours, or from other settings: one line, exit 2."""


@dataclass(frozen=True, slots=True)
class SavedLinks:
    """What stage 2 reads: the run's files and problems, and this shard's rows, each with
    its outcome when stage 1 settled it (None: a remote target to check)."""

    files: tuple[str, ...]
    rows: tuple[tuple[Classified, Outcome | None], ...]
    file_issues: tuple[FileIssue, ...]
    dates: dict[str, tuple[str | None, str]]
    generators: tuple[tuple[str, str], ...]


def settings_fingerprint(options: Options) -> str:
    """A digest of every setting but PER_JOB_FIELDS: equal when two jobs' settings agree.
    Sets are sorted first: their order changes from one process to the next."""
    values = []
    for field in dataclasses.fields(Options):
        if field.name in PER_JOB_FIELDS:
            continue
        value = getattr(options, field.name)
        if isinstance(value, frozenset | set):
            value = sorted(map(str, value))
        values.append(f"{field.name}={value!r}")
    return hashlib.sha256("\0".join(values).encode("utf-8", "surrogatepass")).hexdigest()


def write_links(
    path: str,
    options: Options,
    *,
    files: Sequence[str],
    rows: Sequence[tuple[Classified, Outcome | None]],
    file_issues: Sequence[FileIssue],
    dates: Mapping[str, tuple[str | None, str]],
    generators: Sequence[tuple[str, str]],
) -> None:
    """The links file at `path`, written beside it and renamed over it when whole."""
    shown = [redact(f) for f in files]
    index = {file: number for number, file in enumerate(files)}
    head = {
        "format": _MAGIC,
        "version": FORMAT_VERSION,
        "tool": f"linkcheck {__version__}",
        "settings": settings_fingerprint(options),
        "files": shown,
        "errors": [[i.file, i.message, i.fatal] for i in map(redact_issue, file_issues)],
        "articles": [[redact(f), when, source] for f, (when, source) in dates.items()],
        "generators": [list(g) for g in generators],
        "rows": len(rows),
    }
    partial = f"{path}.{os.getpid()}.partial"
    try:
        with _open(partial, "w", packed=path.endswith(".gz")) as stream:
            stream.write(_line(head))
            for item, outcome in rows:
                stream.write(_line(_row(item, outcome, index[item.link.file])))
            stream.write(_line({"end": len(rows)}))
        os.replace(partial, path)
    except OSError as error:
        if os.path.exists(partial):
            os.unlink(partial)
        raise LinksFileError(f"cannot write {path}: {error.strerror or error}") from None


def read_links(path: str, options: Options) -> SavedLinks:
    """The links file at `path`, this run's shard of it (`options.shard`)."""
    try:
        with _open(path, "r", packed=path.endswith(".gz")) as stream:
            return _read(stream, path, options)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        raise LinksFileError(f"{path} is cut off or damaged: write it again") from None
    except OSError as error:
        raise LinksFileError(f"cannot read {path}: {error.strerror or error}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        why = f"no {error.args[0]!r}" if isinstance(error, KeyError) else str(error)
        raise LinksFileError(f"{path} is not a linkcheck links file: {why:.80}") from None


def _read(stream: IO[str], path: str, options: Options) -> SavedLinks:
    head = _head(stream.readline(), path, options)
    files = tuple(_str(f) for f in head["files"])
    shard, rows = options.shard, []
    for count, line in enumerate(stream):
        record = json.loads(line)
        if isinstance(record, dict):
            if record.get("end") != head["rows"] or count != head["rows"] or next(stream, ""):
                raise ValueError("the number of rows is not the one announced")
            break
        if shard is not None and shard.index != 1 and record[-1] is not None:
            continue  # settled in stage 1: shard 1's, and not built for nothing here
        item, outcome = _item(record, files)
        if shard is None or shard.owns(item):
            rows.append((item, outcome))
    else:
        raise LinksFileError(f"{path} is cut off (no end line): write it again")
    return SavedLinks(
        files=files,
        rows=tuple(rows),
        file_issues=tuple(
            FileIssue(_str(f), _str(m), fatal is True) for f, m, fatal in head["errors"]
        ),
        dates={_str(f): (_optional(when), _str(source)) for f, when, source in head["articles"]},
        generators=tuple((_str(name), _str(config)) for name, config in head["generators"]),
    )


def _head(first: str, path: str, options: Options) -> dict[str, Any]:
    """The file's first line, if it is a links file this linkcheck, with these settings,
    can read; else why not, in one line."""
    head = json.loads(first) if first.startswith("{") else None
    if not isinstance(head, dict) or head.get("format") != _MAGIC:
        raise LinksFileError(f"{path} is not a linkcheck links file (see --save-links)")
    if head.get("tool") != f"linkcheck {__version__}":
        raise LinksFileError(
            f"{path} was written by {str(head.get('tool'))[:40]}, not by this linkcheck "
            f"{__version__}: write it again with the same version"
        )
    if head.get("version") != FORMAT_VERSION:
        raise LinksFileError(
            f"{path} is links file version {str(head.get('version'))[:10]}, this linkcheck "
            f"reads version {FORMAT_VERSION}: write it again"
        )
    if head["settings"] != settings_fingerprint(options):
        raise LinksFileError(
            f"{path} was written with other settings: give stage 2 the same config and "
            "flags as --save-links (only --shard, pacing and the cache may differ)"
        )
    return head


def _row(item: Classified, outcome: Outcome | None, file: int) -> list[Any]:
    """One occurrence as a list: the Link, the Classified, and the Outcome stage 1 settled."""
    x = item.link
    dest = None if x.dest is None else [x.dest.line, x.dest.start, x.dest.end]
    text, url, target = redact(x.text), redact(x.url), _redacted(item.target)
    if outcome is None and (text, url, target) != (x.text, x.url, item.target):
        outcome = Outcome(Status.SKIPPED, SECRET_REASON)  # stage 2 could not request it
    return [
        file, x.line, x.column, x.kind.value, text, url, x.label, x.undefined, x.ignored_by,
        dest, x.unused, item.category.value, target, _redacted(item.reason), item.shortlink,
        item.fragment, item.remapped, None if outcome is None else _outcome(outcome),
    ]  # fmt: skip


def _outcome(o: Outcome) -> list[Any]:
    redirects = [[r.status, redact(r.url)] for r in o.redirects]
    cause = None if o.cause is None else o.cause.value
    status, reason, final_url = o.status.value, _redacted(o.reason), _redacted(o.final_url)
    return [status, reason, o.http_status, final_url, redirects, o.flaky, cause]


_KINDS = {kind.value: kind for kind in Kind}
_CATEGORIES = {category.value: category for category in Category}
_STATUSES = {status.value: status for status in Status}
_CAUSES = {cause.value: cause for cause in Cause}


def _item(record: list[Any], files: Sequence[str]) -> tuple[Classified, Outcome | None]:
    (file, line, column, kind, text, url, label, undefined, ignored_by, dest, unused) = record[:11]
    (category, target, reason, shortlink, fragment, remapped, settled) = record[11:]
    link = Link(
        files[file], _int(line), _int(column), _KINDS[kind], _str(text), _str(url),
        _optional(label), undefined is True, ignored_by, None if dest is None else Span(*dest),
        unused is True,
    )  # fmt: skip
    item = Classified(
        link, _CATEGORIES[category], _optional(target), _optional(reason), shortlink is True,
        None, _optional(fragment), remapped is True,
    )  # fmt: skip
    if settled is None:
        if item.category is not Category.REMOTE or item.target is None:
            raise ValueError("a row to check is not a remote target")
        return item, None
    status, why, http_status, final_url, redirects, flaky, cause = settled
    outcome = Outcome(
        _STATUSES[status], _optional(why), http_status, _optional(final_url),
        tuple(Redirect(_int(s), _str(u)) for s, u in redirects), flaky is True,
        None if cause is None else _CAUSES[cause],
    )  # fmt: skip
    return item, outcome


def _redacted(text: str | None) -> str | None:
    return None if text is None else redact(text)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r:.40} is not a string")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r:.40} is not a whole number")
    return value


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


@contextmanager
def _open(path: str, mode: str, *, packed: bool) -> Iterator[IO[str]]:
    """The file as text, through gzip when `packed` (its name ends in `.gz`), with no
    timestamp in the gzip header: the same run writes the same bytes."""
    if not packed:
        with open(path, mode, encoding="utf-8", newline="\n") as plain:
            yield plain
        return
    with open(path, mode + "b") as raw, gzip.GzipFile("", mode + "b", 6, raw, 0) as zipped:
        stream = io.TextIOWrapper(zipped, encoding="utf-8", newline="\n")
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
