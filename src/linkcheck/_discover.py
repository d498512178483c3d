"""Stage 1: find the articles to read."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch

from ._errors import LinkcheckError
from ._extract import DEFAULT_EXTENSIONS
from ._git import ignored_as_a_whole, not_ignored
from ._models import FileIssue, Source
from ._options import Options
from ._realpath import RealPaths
from ._templates import TemplateFolders, full_of_template_syntax

ARTICLE_SUFFIXES = (".md", ".markdown", ".mdx")
#: Pages a link may name besides articles: their anchors are read too.
HTML_SUFFIXES = (".html", ".htm")
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


class PathError(LinkcheckError):
    """A path named on the command line cannot be used; the CLI exits 2 with this message."""


def discover(
    paths: Sequence[str],
    options: Options,
    issues: list[FileIssue] | None = None,
    real: RealPaths | None = None,
) -> list[Source]:
    """Files as named (any extension, always read), directories walked for the
    extensions of `options.extensions` (every format's by default), quoted globs
    (`'archive/*.txt'`, `docs/**/*.md`) expanded as the shell would.

    A walk does not take a generator's templates (layouts, includes, themes: see
    _templates.py), nor an HTML file full of template syntax.

    A walk skips .git, node_modules, dot-folders and dot-files (unless
    `options.hidden`), what git ignores (.gitignore at every level, .git/info/exclude,
    the global excludes file; unless `options.no_ignore`), and anything matching
    `options.exclude_path`. `-` is stdin. Deterministic order; no duplicates. A folder
    with no articles at all is a PathError: a run that read nothing has not passed.
    A folder inside the tree that cannot be listed is added to `issues` (a failed run);
    a folder given that cannot be listed is a PathError.
    """
    issues = [] if issues is None else issues
    found: list[Source] = []
    seen: set[str] = set()
    folders: list[str] = []
    real = real or RealPaths()
    suffixes = walked_suffixes(options)
    for given in paths or ["."]:
        if given == "-":
            candidates: Iterator[Source] = iter([Source("-", None)])
        elif os.path.isdir(given):
            _check_listable(given)
            folders.append(given)
            walked = _walk(given, options, issues, suffixes, real)
            candidates = iter(sorted(walked, key=_order))
        elif os.path.exists(given):
            candidates = iter([Source(_display(given), given)])
        elif _is_glob(given):
            candidates = iter(_globbed(given, options, issues, suffixes))
        else:
            raise PathError(f"path does not exist: {given}")
        for source in candidates:
            key = "-" if source.path is None else real(source.path)
            if key not in seen and not _excluded(source.display, options.exclude_path):
                seen.add(key)
                found.append(source)
    if not found and folders:
        names = ", ".join(folders)
        wanted = ", ".join(f"*{suffix}" for suffix in suffixes)
        raise PathError(f"no articles ({wanted}) to check in {names}")
    return found


def walked_suffixes(options: Options) -> tuple[str, ...]:
    """The extensions a walk takes, lowercase with their dot: `options.extensions`,
    else every article format's (SPEC, "More inputs")."""
    names = options.extensions if options.extensions is not None else DEFAULT_EXTENSIONS
    return tuple(f".{name.lower().lstrip('.')}" for name in names)


def _is_glob(given: str) -> bool:
    return any(ch in given for ch in "*?[")


def _globbed(
    pattern: str, options: Options, issues: list[FileIssue], suffixes: tuple[str, ...]
) -> list[Source]:
    """What a quoted glob names, as the shell would expand it (`**` any depth, dot-names
    only when written): its files, whatever their extension when the pattern spells
    one out (`*.txt`) and else those a walk takes, and its folders walked. Never inside
    .git or node_modules. A glob that names nothing is a PathError, as a missing path."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        raise PathError(f"path does not exist: {pattern}")
    last = pattern.replace(os.sep, "/").rpartition("/")[2]
    spelled = "." in last and not _is_glob(last.rpartition(".")[2])
    found: list[Source] = []
    for match in matches:
        parts = set(match.replace(os.sep, "/").split("/"))
        if ".git" in parts or parts & SKIPPED_DIRS:
            continue
        if os.path.isdir(match):
            found.extend(sorted(_walk(match, options, issues, suffixes), key=_order))
        elif spelled or match.lower().endswith(suffixes):
            found.append(Source(_display(match), match))
    return found


def _check_listable(folder: str) -> None:
    try:
        with os.scandir(folder):
            pass
    except OSError as error:
        raise PathError(f"cannot read folder {folder}: {error.strerror or error}") from None


def _walk(
    root: str,
    options: Options,
    issues: list[FileIssue],
    suffixes: tuple[str, ...],
    real: RealPaths | None = None,
) -> Iterator[Source]:
    """Depth first with a stack of its own, not os.walk: 2,400 nested folders would
    exceed Python's recursion limit, and os.walk drops a folder it cannot list without
    a word (permissions, a path longer than PATH_MAX). Each file taken that its folder
    lists as no symlink is told to `real`: its real path then costs no call."""
    wanted = _Wanted(root, options, suffixes)
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        entries = _listing(directory, visited, issues)
        if entries is None:
            continue
        relative = os.path.relpath(directory, root).replace(os.sep, "/")
        relative = "" if relative == "." else relative + "/"
        wanted.templates.enter(directory, ((name, folder) for name, folder, _ in entries))
        filtered = wanted.filtered(relative)
        subdirs = sorted(
            d
            for d, folder, _ in entries
            if folder and wanted.folder(directory, relative, d, filtered)
        )
        stack.extend(os.path.join(directory, d) for d in reversed(subdirs))
        shown = _display(directory)  # each file's display is its folder's and its name
        prefix = (
            None if ".." in shown.split("/") else "" if shown == "." else shown.rstrip("/") + "/"
        )
        in_real = ""  # the folder's real path and a separator, once a file needs it
        for name, link in sorted((name, link) for name, folder, link in entries if not folder):
            if wanted.file(relative, name, filtered):
                path = os.path.join(directory, name)
                if not wanted.template_page(relative, name, path):
                    if real is not None and not link:
                        in_real = in_real or os.path.join(real.folder(directory), "")
                        real.listed(path, in_real + name)
                    yield Source(_display(path) if prefix is None else prefix + name, path)


def _listing(
    directory: str, visited: set[tuple[int, int]], issues: list[FileIssue]
) -> list[tuple[str, bool, bool]] | None:
    """A folder's entries (name, is a folder, is a symlink: the entry's type, no call),
    or None: already walked, or unreadable (said in `issues`)."""
    try:
        # By device and inode, not realpath: that costs a call per path component,
        # which 2,400 nested folders turn into millions.
        status = os.stat(directory)
        key = (status.st_dev, status.st_ino)
        if key in visited:  # a symlink loop, or two links to one folder
            return None
        visited.add(key)
        with os.scandir(directory) as listing:
            entries = list(listing)
        try:  # the entries' types, read with the listing: no call for most
            return [(entry.name, entry.is_dir(), entry.is_symlink()) for entry in entries]
        except OSError:  # one that needed a stat and failed: each asked on its own
            return [(entry.name, _is_folder(entry), _is_link(entry)) for entry in entries]
    except OSError as error:
        reason = error.strerror or type(error).__name__
        issues.append(FileIssue(_display(directory), f"folder not read: {reason.lower()}"))
        return None


class _Wanted:
    """Which folders a walk enters and which files it takes: articles, not hidden (unless
    --hidden), not ignored by git (unless --no-ignore), not --exclude-path'd, not a
    generator's templates nor a test suite's HTML."""

    def __init__(self, root: str, options: Options, suffixes: tuple[str, ...]) -> None:
        self._patterns = options.exclude_path
        self._hidden = options.hidden
        self._suffixes = suffixes
        self._visible = None if options.no_ignore else _not_ignored(root)
        if self._visible is not None and not self._visible.files and ignored_as_a_whole(root):
            # Git sees nothing here: the folder named is one git ignores as a whole (a
            # built site's `site/`, `public/`, `_site/`). Named, it is read, as a file
            # named is.
            self._visible = None
        self.templates = TemplateFolders()

    def filtered(self, relative: str) -> bool:
        """Whether git's list decides inside this folder: inside a symlinked folder or a
        submodule git sees one entry, not its files."""
        visible = self._visible
        return visible is not None and not any(
            relative[: i + 1].rstrip("/") in visible.files for i in _slashes(relative)
        )

    def folder(self, directory: str, relative: str, name: str, filtered: bool) -> bool:
        visible = self._visible
        return (
            name != ".git"
            and (self._hidden or not name.startswith("."))
            and name not in SKIPPED_DIRS
            and not (filtered and visible is not None and relative + name not in visible.folders)
            and not _excluded(_display(os.path.join(directory, name)), self._patterns)
            and not self.templates.holds(os.path.join(directory, name))
        )

    def file(self, relative: str, name: str, filtered: bool) -> bool:
        visible = self._visible
        return (
            name.lower().endswith(self._suffixes)
            and (self._hidden or not name.startswith("."))
            and not (filtered and visible is not None and relative + name not in visible.files)
        )

    @staticmethod
    def template_page(relative: str, name: str, path: str) -> bool:
        """An HTML file that is no page: a test suite's, or a template."""
        return name.lower().endswith(HTML_SUFFIXES) and (
            _in_test_data(relative) or full_of_template_syntax(path)
        )


#: Folders of a test suite's inputs and expected outputs: an HTML file there is a
#: golden copy of what a renderer should write (mdBook's `tests/testsuite/…/expected/`,
#: Docsy's `tests/fixture-site/goldens/`), never served from where it lies, and its
#: links point where the rendered page would be. So are end-to-end test apps (Vite's
#: `playground/`), whose HTML is a bundler's input that its build transforms
#: (`%VITE_…%`, virtual modules, built library files). Walked when named.
TEST_DATA_FOLDERS = frozenset(
    {"test", "tests", "__tests__", "testdata", "test-data", "fixtures", "__fixtures__",
     "__snapshots__", "snapshots", "expected", "golden", "goldens", "e2e", "playground",
     "playgrounds"}
)  # fmt: skip


def _in_test_data(relative: str) -> bool:
    """Whether a folder path below the walk's root (`a/b/`) is inside test data."""
    return any(part.lower() in TEST_DATA_FOLDERS for part in relative.split("/"))


def _slashes(relative: str) -> Iterator[int]:
    return (i for i, ch in enumerate(relative) if ch == "/")


class _Visible:
    """What git does not ignore under a folder: files (tracked or not ignored) and the
    folders that hold them, `/`-separated and relative to the folder."""

    def __init__(self, files: set[str]) -> None:
        self.files = files
        self.folders: set[str] = set()
        for name in files:
            parts = name.split("/")
            for end in range(1, len(parts)):
                self.folders.add("/".join(parts[:end]))


def _not_ignored(root: str) -> _Visible | None:
    """What git does not ignore under `root`, from one `git ls-files` for the whole
    folder (git's own rules, exactly); None outside a work tree or without git, where
    nothing is ignored (as ripgrep does by default)."""
    names = not_ignored(root)
    return None if names is None else _Visible(set(names))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks, as os.walk(followlinks=True) did
    except OSError:
        return False


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True  # not known: its real path is asked for, as any path's


def _order(source: Source) -> str:
    return source.display


def _display(path: str) -> str:
    """As given, `/`-separated, without `./` noise. `sub/..` is kept when `sub` is a
    symlink: it then leads elsewhere than the folder it is written in (and `--fix`
    rewrites the file this names)."""
    normal = os.path.normpath(path)
    if ".." in path.split(os.sep) and os.path.realpath(normal) != os.path.realpath(path):
        kept = os.sep.join(part for part in path.split(os.sep) if part not in ("", "."))
        normal = (os.sep if path.startswith(os.sep) else "") + kept
    return normal.replace(os.sep, "/")


def _excluded(display: str, patterns: Sequence[str]) -> bool:
    parts = display.split("/")
    return any(
        fnmatch(display, pattern) or any(fnmatch(part, pattern) for part in parts)
        for pattern in patterns
    )
