"""The result cache: each remote target's recent outcomes, in an embedded SQLite file.

A warm run within the max age sends no request for targets that worked; failures are
rechecked every run. The last few outcomes per target are kept as its health history,
which the flaky policy (_flaky.py) reads. Two runs may share the file (WAL, short transactions).
Only URLs and outcomes are stored: never a request header, never a URL's password.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ._models import Cause, Outcome, Redirect, Status

SCHEMA_VERSION = 4
HISTORY = 5  # outcomes kept per target
EXTRACTED_ROWS = 50_000  # parsed articles kept, the least recently used dropped
_FRESH = (Status.OK.value, Status.REDIRECTED.value)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS checks (
    url TEXT NOT NULL,
    checked_at REAL NOT NULL,
    status TEXT NOT NULL,
    http_status INTEGER,
    reason TEXT,
    final_url TEXT,
    redirects TEXT NOT NULL,
    cause TEXT
);
CREATE INDEX IF NOT EXISTS checks_by_url ON checks (url, checked_at DESC);
CREATE TABLE IF NOT EXISTS archived (
    key TEXT PRIMARY KEY,
    snapshot TEXT NOT NULL,
    checked_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS extracted (
    key TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    used_at REAL NOT NULL
);
"""


class ResultCache:
    """Open with `ResultCache.open(path)`; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> tuple[ResultCache, str | None]:
        """The cache at `path`, and a one-line warning if an unusable file was replaced."""
        path = Path(path)
        _make_folder(path.parent)
        try:
            return cls(_connect(path)), None
        except sqlite3.OperationalError:
            raise  # locked or unwritable: not corrupt, and another run may be using it
        except sqlite3.DatabaseError as error:
            aside = path.with_name(path.name + ".broken")
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            warning = f"the cache was unreadable ({error}); moved to {aside.name} and rebuilt"
            return cls(_connect(path)), warning

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def lookup(
        self, urls: Iterable[str], now: float, max_age: float, failures: bool = False
    ) -> dict[str, Outcome]:
        """Targets whose latest outcome is younger than `max_age` seconds and worked
        (or, with `failures`, whatever it was)."""
        found: dict[str, Outcome] = {}
        wanted = {_redacted(url): url for url in urls}
        rows = _select_in(
            self._db,
            """SELECT url, status, http_status, reason, final_url, redirects, cause, checked_at
               FROM checks AS c WHERE url IN ({})
               AND checked_at = (SELECT MAX(checked_at) FROM checks WHERE url = c.url)""",
            list(wanted),
        )
        for url, status, http_status, reason, final_url, redirects, cause, checked_at in rows:
            if (failures or status in _FRESH) and now - checked_at <= max_age:
                found[wanted[url]] = Outcome(
                    Status(status),
                    reason,
                    http_status,
                    final_url,
                    tuple(Redirect(s, u) for s, u in json.loads(redirects)),
                    cause=None if cause is None else Cause(cause),
                )
        return found

    def archived(self, key: str, now: float, max_age: float) -> list[str] | None:
        """A remembered archive answer ([] for "no snapshot"), or None if there is none."""
        row = self._db.execute(
            "SELECT snapshot, checked_at FROM archived WHERE key = ?", (key,)
        ).fetchone()
        if row is None or now - row[1] > max_age:
            return None
        return json.loads(row[0])

    def remember_archived(self, key: str, snapshot: list[str], now: float) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO archived VALUES (?, ?, ?)",
                (key, json.dumps(snapshot), now),
            )

    def history(self, url: str) -> list[Status]:
        """The stored outcomes of `url`, newest first."""
        rows = self._db.execute(
            "SELECT status FROM checks WHERE url = ? ORDER BY checked_at DESC", (_redacted(url),)
        )
        return [Status(status) for (status,) in rows]

    def store(self, results: Mapping[str, Outcome], now: float) -> None:
        rows = [
            (
                _redacted(url),
                now,
                o.status.value,
                o.http_status,
                o.reason,
                o.final_url and _redacted(o.final_url),
                json.dumps([(r.status, _redacted(r.url)) for r in o.redirects]),
                o.cause and o.cause.value,
            )
            for url, o in results.items()
        ]
        with self._db:  # one short transaction; busy_timeout waits out another writer
            self._db.executemany("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._db.executemany(
                """DELETE FROM checks WHERE url = ? AND checked_at NOT IN (
                       SELECT checked_at FROM checks WHERE url = ?
                       ORDER BY checked_at DESC LIMIT ?)""",
                [(row[0], row[0], HISTORY) for row in rows],
            )


class ExtractionCache:
    """Parsed articles by content hash, so an unchanged file is never parsed twice."""

    def __init__(self, cache: ResultCache) -> None:
        self._db = cache._db

    def get(self, keys: list[str], now: float) -> dict[str, str]:
        found = dict(
            _select_in(self._db, "SELECT key, payload FROM extracted WHERE key IN ({})", keys)
        )
        if found:
            with self._db:
                self._db.executemany(
                    "UPDATE extracted SET used_at = ? WHERE key = ?", [(now, k) for k in found]
                )
        return found

    def put(self, payloads: Mapping[str, str], now: float) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO extracted VALUES (?, ?, ?)",
                [(key, payload, now) for key, payload in payloads.items()],
            )
            self._db.execute(
                """DELETE FROM extracted WHERE key IN (
                       SELECT key FROM extracted ORDER BY used_at DESC LIMIT -1 OFFSET ?)""",
                (EXTRACTED_ROWS,),
            )


def _select_in(db: sqlite3.Connection, sql: str, keys: list[str]) -> Iterator[tuple]:
    """Rows of `sql` whose `IN ({})` is each chunk of `keys`: SQLite caps the number of
    parameters in one statement."""
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        yield from db.execute(sql.format(",".join("?" * len(chunk))), chunk)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        _use_wal(db)
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            # Under the write lock, and idempotent: another run may be creating it now.
            db.execute("BEGIN IMMEDIATE")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                # Another version's layout: its history is not worth a migration.
                db.execute("DROP TABLE IF EXISTS checks")
                db.execute("DROP TABLE IF EXISTS extracted")
                db.execute("DROP TABLE IF EXISTS archived")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)  # not executescript: it would commit first
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        db.isolation_level = "DEFERRED"
        return db
    except sqlite3.DatabaseError:
        db.close()
        raise


def _use_wal(db: sqlite3.Connection) -> None:
    """WAL lets readers and a writer share the file. Switching to it (once, it stays)
    takes an exclusive lock, for which SQLite answers "busy" without waiting."""
    for _ in range(100):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            time.sleep(0.05)
    db.execute("PRAGMA journal_mode = WAL")  # the last try reports the error


def _make_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True)
        # Like .pytest_cache: the folder says itself that it is not to be committed.
        (folder / ".gitignore").write_text("# created by linkcheck\n*\n")


def _redacted(url: str) -> str:
    """The URL with any password in it replaced, so the cache file holds no secret."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
