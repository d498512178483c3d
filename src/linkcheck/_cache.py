"""The result cache: each remote target's recent outcomes, in an embedded SQLite file.

A warm run within the max age sends no request for targets that worked; failures are
rechecked every run. The last few outcomes per target are kept as its health history,
which the flaky policy (_flaky.py) reads. Two runs may share the file (WAL, short transactions).
Only redacted URLs and outcomes are stored: never a request header, never a URL's password
or a credential parameter (_redact.py). A verdict is stored under a key made of the full URL
and a fingerprint of every setting that changes a verdict (`VERDICT_FIELDS`), so a result
is reused only where a fresh check would be judged by the same rules; the key is a SHA-256,
so it names the credentials it was made of without holding them.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ._models import WORKING_STATUSES, Cause, FileIssue, Outcome, Redirect, Status
from ._options import Options
from ._redact import redact

#: Options fields that change the verdict on a remote target, and so the cache key
#: (docs/reliability.md says why each is in or out).
VERDICT_FIELDS = (
    "check_fragments",  # a missing #anchor is broken only with it
    "soft_404",  # a soft 404 is broken only with it
    "exclude_private",  # a private address is refused only with it
    "accept",  # which codes are ok
    "max_redirects",  # a long chain is unreachable under a lower cap
    "user_agent",  # servers answer bots and browsers differently (403, 999)
    "headers",  # an Authorization or Cookie header opens pages (hashed, never stored)
    "hosts",  # per-host headers, as above
    "shorteners",  # a shortener that lands on a home page is judged by it
    "github_token",  # opens private GitHub pages (hashed, never stored)
    "github_hosts",  # which hosts get that token
    "insecure",  # a certificate error is ok without verification
    "ca_cert",  # and with another CA trusted
    "cookie_jar",  # a session cookie opens pages (the file's name: its cookies change)
)


def verdict_fingerprint(options: Options) -> str:
    """A digest of the settings in VERDICT_FIELDS: equal for runs that judge alike."""
    values = [repr(getattr(options, name)) for name in VERDICT_FIELDS]
    return hashlib.sha256("\0".join(values).encode("utf-8", "surrogatepass")).hexdigest()


SCHEMA_VERSION = 6
HISTORY = 5  # outcomes kept per target
EXTRACTED_ROWS = 50_000  # parsed articles kept, the least recently used dropped
#: A parsed article's last use is written again only when it is older than this: a warm
#: run then writes nothing, and the eviction order is still right to within the hour.
TOUCH_AFTER = 3600.0
_FRESH = frozenset(status.value for status in WORKING_STATUSES)
_STATUSES = frozenset(s.value for s in Status)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS checks (
    key TEXT NOT NULL,
    url TEXT NOT NULL,
    checked_at REAL NOT NULL,
    status TEXT NOT NULL,
    http_status INTEGER,
    reason TEXT,
    final_url TEXT,
    redirects TEXT NOT NULL,
    cause TEXT,
    -- 0 when final_url or redirects lost a secret to redaction: kept for the health
    -- history, never reused (--fix would write the *** into the article)
    whole INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS checks_by_key ON checks (key, checked_at DESC);
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
-- a file (real path) as it was when it was read, and the extracted key of what it held
CREATE TABLE IF NOT EXISTS signatures (
    path TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    key TEXT NOT NULL
);
"""


class ResultCache:
    """Open with `ResultCache.open(path)`; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, fingerprint: str = "") -> None:
        self._db = connection
        self._fingerprint = fingerprint

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], fingerprint: str = ""
    ) -> tuple[ResultCache, str | None]:
        """The cache at `path`, and a one-line warning if an unusable file was replaced.

        `fingerprint` (`verdict_fingerprint(options)`) keeps verdicts reached under other
        settings out of `lookup` and `history`."""
        path = Path(path)
        _make_folder(path.parent)
        try:
            return cls(_connect(path), fingerprint), None
        except sqlite3.OperationalError:
            raise  # locked or unwritable: not corrupt, and another run may be using it
        except sqlite3.DatabaseError as error:
            aside = path.with_name(path.name + ".broken")
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            warning = f"the cache was unreadable ({error}); moved to {aside.name} and rebuilt"
            return cls(_connect(path), fingerprint), warning

    @property
    def connection(self) -> sqlite3.Connection:
        """The open database, which the extraction cache shares (one file, one connection)."""
        return self._db

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
        wanted = {self._key(url): url for url in urls}
        rows = _select_in(
            self._db,
            """SELECT key, status, http_status, reason, final_url, redirects, cause, checked_at
               FROM checks AS c WHERE key IN ({}) AND whole = 1
               AND checked_at = (SELECT MAX(checked_at) FROM checks WHERE key = c.key)""",
            list(wanted),
        )
        for key, status, http_status, reason, final_url, redirects, cause, checked_at in rows:
            try:
                outcome = Outcome(
                    Status(status),
                    reason,
                    http_status,
                    final_url,
                    tuple(Redirect(int(s), str(u)) for s, u in json.loads(redirects)),
                    cause=None if cause is None else Cause(cause),
                )
                fresh = (failures or status in _FRESH) and now - checked_at <= max_age
            except (ValueError, TypeError):
                continue  # a row this version cannot read is no answer: check again
            if fresh:
                found[wanted[key]] = outcome
        return found

    def _key(self, url: str) -> str:
        return hashlib.sha256(
            f"{self._fingerprint}\0{url}".encode("utf-8", "surrogatepass")
        ).hexdigest()

    def archived(self, key: str, now: float, max_age: float) -> list[str] | None:
        """A remembered archive answer ([] for "no snapshot"), or None if there is none."""
        row = self._db.execute(
            "SELECT snapshot, checked_at FROM archived WHERE key = ?", (redact(key),)
        ).fetchone()
        try:
            if row is None or now - row[1] > max_age:
                return None
            snapshot = json.loads(row[0])
        except (ValueError, TypeError):
            return None
        return [str(part) for part in snapshot] if isinstance(snapshot, list) else None

    def remember_archived(self, key: str, snapshot: list[str], now: float) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO archived VALUES (?, ?, ?)",
                (redact(key), redact(json.dumps(snapshot)), now),
            )

    def history(self, url: str) -> list[Status]:
        """The stored outcomes of `url`, newest first."""
        rows = self._db.execute(
            "SELECT status FROM checks WHERE key = ? ORDER BY checked_at DESC", (self._key(url),)
        )
        return [Status(status) for (status,) in rows if status in _STATUSES]

    def store(self, results: Mapping[str, Outcome], now: float) -> None:
        rows = []
        for url, o in results.items():
            final_url = o.final_url and redact(o.final_url)
            redirects = [(r.status, redact(r.url)) for r in o.redirects]
            whole = final_url == o.final_url and redirects == [
                (r.status, r.url) for r in o.redirects
            ]
            rows.append(
                (
                    self._key(url),
                    redact(url),
                    now,
                    o.status.value,
                    o.http_status,
                    o.reason and redact(o.reason),
                    final_url,
                    json.dumps(redirects),
                    o.cause and o.cause.value,
                    int(whole),
                )
            )
        with self._db:  # one short transaction; busy_timeout waits out another writer
            self._db.executemany("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._db.executemany(
                """DELETE FROM checks WHERE key = ? AND checked_at NOT IN (
                       SELECT checked_at FROM checks WHERE key = ?
                       ORDER BY checked_at DESC LIMIT ?)""",
                [(row[0], row[0], HISTORY) for row in rows],
            )


class ExtractionCache:
    """Parsed articles by content key, so an unchanged file is never parsed twice; and
    each file's signature when it was read, so an unchanged file is not even read.

    What a signature is made of, and when one can be trusted, is the caller's
    (_extract/_articles.py): here it is an opaque string, compared for equality."""

    def __init__(self, cache: ResultCache) -> None:
        self._db = cache.connection

    def get(self, keys: list[str], now: float) -> dict[str, str]:
        """The payloads stored under `keys`, by key."""
        found, stale = {}, []
        sql = "SELECT key, payload, used_at FROM extracted WHERE key IN ({})"
        for key, payload, used_at in _select_in(self._db, sql, keys):
            found[key] = payload
            if _stale(used_at, now):
                stale.append(key)
        self._touch(stale, now)
        return found

    def unchanged(self, signatures: Mapping[str, str], now: float) -> dict[str, str]:
        """The payload of each path in `signatures` whose stored signature is the one
        given, by path: those files are as they were when that payload was parsed."""
        found, stale = {}, []
        sql = """SELECT s.path, s.signature, s.key, e.payload, e.used_at FROM signatures AS s
                 JOIN extracted AS e ON e.key = s.key WHERE s.path IN ({})"""
        for path, signature, key, payload, used_at in _select_in(self._db, sql, list(signatures)):
            if signature == signatures[path]:
                found[path] = payload
                if _stale(used_at, now):
                    stale.append(key)
        self._touch(stale, now)
        return found

    def _touch(self, keys: list[str], now: float) -> None:
        """Mark rows as used now, for the eviction order. Rows used within the hour are
        not passed here, so a run that finds everything it needs writes nothing."""
        if keys:
            with self._db:
                self._db.executemany(
                    "UPDATE extracted SET used_at = ? WHERE key = ?", [(now, k) for k in keys]
                )

    def put(
        self,
        payloads: Mapping[str, str],
        now: float,
        signatures: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Store parsed articles, except those with a secret in a link: a redacted copy
        would check the wrong URL, so they are parsed again every run instead. With
        `signatures` (path: (signature, key)), remember what each file held when it had
        that signature, unless that is a payload left out."""
        rows = [(key, text, now) for key, text in payloads.items() if text == redact(text)]
        left_out = {key for key in payloads}.difference(key for key, _, _ in rows)
        signed = [
            (path, signature, key)
            for path, (signature, key) in (signatures or {}).items()
            if key not in left_out
        ]
        if not rows and not signed:
            return  # nothing new: no transaction, no write
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO extracted VALUES (?, ?, ?)", rows)
            self._db.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?, ?)", signed)
            if rows:
                evicted = self._db.execute(
                    """DELETE FROM extracted WHERE key IN (
                           SELECT key FROM extracted ORDER BY used_at DESC LIMIT -1 OFFSET ?)""",
                    (EXTRACTED_ROWS,),
                ).rowcount
                if evicted:
                    self._db.execute(
                        "DELETE FROM signatures WHERE key NOT IN (SELECT key FROM extracted)"
                    )


@contextmanager
def open_cache(options: Options, issues: list[FileIssue]) -> Iterator[ResultCache | None]:
    """The run's cache file, or None; a cache that cannot be used is a warning, not an end."""
    if options.cache_path is None:
        yield None
        return
    try:
        cache, warning = ResultCache.open(options.cache_path, verdict_fingerprint(options))
    except (OSError, sqlite3.Error) as error:
        issues.append(FileIssue(options.cache_path, f"cache not used: {error}", fatal=False))
        yield None
        return
    if warning:
        issues.append(FileIssue(options.cache_path, warning, fatal=False))
    with cache:
        yield cache


def _stale(used_at: object, now: float) -> bool:
    """A row last used over TOUCH_AFTER ago (or with a used_at that is not a time)."""
    return not isinstance(used_at, int | float) or used_at < now - TOUCH_AFTER


def _select_in(db: sqlite3.Connection, sql: str, keys: list[str]) -> list[tuple]:
    """Rows of `sql` whose `IN ({})` is each chunk of `keys`: SQLite caps the number of
    parameters in one statement (999 before 3.32, 32,766 since), and asking for as many
    as it takes makes 40,000 files two queries, not 80."""
    size = db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    rows: list[tuple] = []
    for start in range(0, len(keys), size):
        chunk = keys[start : start + size]
        rows += db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
    return rows


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
                db.execute("DROP TABLE IF EXISTS signatures")
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


class ArticleRowCache:
    """Each article's report rows with what they were judged against (_rows.py decides
    what that is and when rows may come back; here they are opaque strings).

    Its table is created on first use, not by the schema version, so that adding it
    kept every cache's history."""

    def __init__(self, cache: ResultCache) -> None:
        self._db = cache.connection
        self._db.execute(_ROWS_TABLE)

    def get(self, keys: list[str], now: float) -> dict[str, tuple[str, str, str]]:
        """(signature, dependencies, payload) stored under each of `keys`, by key."""
        found, stale = {}, []
        sql = "SELECT key, signature, deps, payload, used_at FROM article_rows WHERE key IN ({})"
        for key, signature, deps, payload, used_at in _select_in(self._db, sql, keys):
            found[key] = (signature, deps, payload)
            if _stale(used_at, now):
                stale.append(key)
        self._touch(stale, now)
        return found

    def dependencies(self, keys: list[str], now: float) -> dict[str, tuple[str, str]]:
        """(signature, dependencies) stored under each of `keys`, by key: `get` without
        the rows, for a run that only asks whether all of them hold."""
        found, stale = {}, []
        # Whether each row is stale (`_stale`), asked of SQLite: not a call a row here.
        fresh = f"typeof(used_at) IN ('integer', 'real') AND used_at >= {now - TOUCH_AFTER!r}"
        columns = f"key, signature, deps, NOT ({fresh})"
        if len(keys) > _SCANNED:  # the whole table is read faster than 32,766 keys bound
            wanted = set(keys)
            sql = f"SELECT {columns} FROM article_rows"
            rows = [row for row in self._db.execute(sql) if row[0] in wanted]
        else:
            sql = f"SELECT {columns} FROM article_rows WHERE key IN ({{}})"
            rows = _select_in(self._db, sql, keys)
        for key, signature, deps, stale_row in rows:
            found[key] = (signature, deps)
            if stale_row:
                stale.append(key)
        self._touch(stale, now)
        return found

    def _touch(self, keys: list[str], now: float) -> None:
        """Mark rows read again as used `now`, so that pruning keeps them."""
        if keys:
            with self._db:
                self._db.executemany(
                    "UPDATE article_rows SET used_at = ? WHERE key = ?", [(now, k) for k in keys]
                )

    def put(self, rows: Mapping[str, tuple[str, str, str]], now: float) -> set[str]:
        """Store (signature, dependencies, payload) by key, except rows that hold a
        secret (redacted, they would replay a link the article does not have) or a name
        that is not text; the keys stored."""
        kept = [
            (key, signature, deps, payload, now)
            for key, (signature, deps, payload) in rows.items()
            if payload == redact(payload)
            and deps == redact(deps)
            and _text(signature + deps + payload)
        ]
        if not kept:
            return set()
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO article_rows VALUES (?, ?, ?, ?, ?)", kept)
            self._db.execute(
                """DELETE FROM article_rows WHERE key IN (
                       SELECT key FROM article_rows ORDER BY used_at DESC LIMIT -1 OFFSET ?)""",
                (EXTRACTED_ROWS,),
            )
        return {row[0] for row in kept}


#: Keys above which `dependencies` reads the whole table (at most EXTRACTED_ROWS rows)
#: rather than asking for each: 40,000 keys took 0.36 s bound, the table 0.16 s.
_SCANNED = 5_000


def _text(value: str) -> bool:
    """Whether SQLite can keep `value` as text: a file name with bytes that are not
    UTF-8 (read back as surrogates) cannot be, and its article is judged every run."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_ROWS_TABLE = """CREATE TABLE IF NOT EXISTS article_rows (
    key TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    deps TEXT NOT NULL,
    payload TEXT NOT NULL,
    used_at REAL NOT NULL
)"""


class WrittenReports:
    """The reports a run wrote, as bytes, one set per way of running and writing them
    (the settings, the paths, the formats and files), with the row cache's key of
    everything they depend on: a run that finds the same key writes them again without
    building a row (docs/ci.md). Opaque here; a few kept, the least recently used
    dropped, for they are as large as the reports. Created on first use, like
    `article_rows`."""

    def __init__(self, cache: ResultCache) -> None:
        self._db = cache.connection
        self._db.execute(_WRITTEN_TABLE)

    def get(self, slot: str, now: float) -> tuple[str, str, bytes] | None:
        """(the run's key, what was said of them, the reports) kept for `slot`; None
        also when the table is not this version's (rebuilt by the next `put`)."""
        try:
            row = self._db.execute(
                "SELECT run_key, meta, written, used_at FROM written_reports WHERE slot = ?",
                (slot,),
            ).fetchone()
        except sqlite3.OperationalError:
            return None
        if row is None:
            return None
        run_key, meta, written, used_at = row
        if _stale(used_at, now):
            with self._db:
                self._db.execute(
                    "UPDATE written_reports SET used_at = ? WHERE slot = ?", (now, slot)
                )
        return str(run_key), str(meta), bytes(written)

    def put(self, slot: str, run_key: str, meta: str, written: bytes, now: float) -> None:
        with self._db:
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO written_reports VALUES (?, ?, ?, ?, ?)",
                    (slot, run_key, meta, written, now),
                )
            except sqlite3.OperationalError:  # another version's table: what it kept goes
                self._db.execute("DROP TABLE written_reports")
                self._db.execute(_WRITTEN_TABLE)
                self._db.execute(
                    "INSERT INTO written_reports VALUES (?, ?, ?, ?, ?)",
                    (slot, run_key, meta, written, now),
                )
            self._db.execute(
                """DELETE FROM written_reports WHERE slot IN (
                       SELECT slot FROM written_reports ORDER BY used_at DESC LIMIT -1 OFFSET ?)""",
                (WRITTEN_REPORTS,),
            )


WRITTEN_REPORTS = 4  # sets of reports kept: each as large as its reports, compressed
_WRITTEN_TABLE = """CREATE TABLE IF NOT EXISTS written_reports (
    slot TEXT PRIMARY KEY,
    run_key TEXT NOT NULL,
    meta TEXT NOT NULL,
    written BLOB NOT NULL,
    used_at REAL NOT NULL
)"""
