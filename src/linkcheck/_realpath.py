"""Real paths, resolved once per folder: `os.path.realpath` checks every component of
every path it is given, and the thousands of articles and targets of a run share a few
folders (40,000 targets cost half a million `lstat` calls otherwise)."""

from __future__ import annotations

import os
import stat


class RealPaths:
    """`os.path.realpath`, with each folder's real path remembered for the run (the
    tree is not expected to change while it is checked)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        #: Files a walk listed that were no symlinks: their real paths without a call.
        self._listed: dict[str, str] = {}
        #: Per path asked about: its real path and mode. An article's is asked by the
        #: walk, by its reader and, as a link's target, by the local resolver: one lstat.
        self._files: dict[str, tuple[str, int | None]] = {}

    def __call__(self, path: str) -> str:
        listed = self._listed.get(path)
        return listed if listed is not None else self.resolve(path)[0]

    def listed(self, path: str, real: str) -> None:
        """`path` was listed by its folder as no symlink (a directory entry's type, no
        `lstat`): its real path is `real`, its folder's (`folder`) and its name."""
        self._listed[path] = real

    def resolve(self, path: str) -> tuple[str, int | None]:
        """The real path, and the mode of what it names (None if nothing is there)."""
        found = self._files.get(path)
        if found is None:
            real, status = self.resolve_stat(path)
            found = self._files[path] = (real, None if status is None else status.st_mode)
        return found

    def resolve_stat(self, path: str) -> tuple[str, os.stat_result | None]:
        """The real path, and the stat of what it names (None if nothing is there): one
        `lstat` tells both, unless the last component is a symlink. Asked afresh every
        time (a signature needs the file's times as they are now)."""
        listed = self._listed.get(path)
        if listed is not None:
            return _checked(listed)
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or not folder:
            return _with_stat(os.path.realpath(path))
        return _checked(os.path.join(self.folder(folder), name))

    def folder(self, folder: str) -> str:
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return real


def _checked(full: str) -> tuple[str, os.stat_result | None]:
    """`full` (in a real folder) and its stat, followed when it is a symlink now."""
    try:
        status = os.lstat(full)
    except (OSError, ValueError):
        return full, None
    if stat.S_ISLNK(status.st_mode):
        return _with_stat(os.path.realpath(full))
    return full, status


def _with_stat(real: str) -> tuple[str, os.stat_result | None]:
    try:
        return real, os.stat(real)
    except (OSError, ValueError):
        return real, None
