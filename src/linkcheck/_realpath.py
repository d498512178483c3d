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

    def __call__(self, path: str) -> str:
        return self.resolve(path)[0]

    def resolve(self, path: str) -> tuple[str, int | None]:
        """The real path, and the mode of what it names (None if nothing is there): one
        `lstat` tells both, unless the last component is a symlink."""
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or not folder:
            return _with_mode(os.path.realpath(path))
        full = os.path.join(self.folder(folder), name)
        try:
            mode = os.lstat(full).st_mode
        except (OSError, ValueError):
            return full, None
        return _with_mode(os.path.realpath(full)) if stat.S_ISLNK(mode) else (full, mode)

    def folder(self, folder: str) -> str:
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return real


def _with_mode(real: str) -> tuple[str, int | None]:
    try:
        return real, os.stat(real).st_mode
    except (OSError, ValueError):
        return real, None
