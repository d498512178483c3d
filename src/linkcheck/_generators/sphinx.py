"""Sphinx: `conf.py` (one that configures Sphinx), documents under its folder (the source
folder), `x.rst` (or `.md`, `.txt`, `.ipynb`) served as `x.html`. Its rst is read with
Sphinx's roles and directives (the `sphinx` dialect, `_extract/_rst.py`): `:doc:` names a
document without its suffix (`guide/install`, or `/guide/install` from the source folder),
which is the page the site serves."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator

from .._anchors import FragmentMatch
from .._discover import SKIPPED_DIRS
from ._files import read_text
from ._site import Found, Missed, Site

CONFIG_FILES = ("conf.py",)
#: A conf.py that configures Sphinx says one of these (a conf.py is a common file name).
_SPHINX_SETTING = re.compile(
    r"^\s*(?:extensions|html_theme|master_doc|root_doc|source_suffix|templates_path|"
    r"exclude_patterns|intersphinx_mapping)\s*=|sphinx",
    re.MULTILINE,
)
_ADDS_TEXT = re.compile(r"^\s*rst_(?:pro|epi)log\s*=", re.MULTILINE)
#: What Sphinx builds pages from: rst, and markdown or notebooks through MyST/nbsphinx.
DOCUMENT_SUFFIXES = (".rst", ".rest", ".txt", ".md", ".ipynb")


class Sphinx(Site):
    name = "sphinx"
    #: MyST resolves `[text](#target)` at build time by the target's reference name, and
    #: docutils compares names ignoring case: the built href holds the id itself.
    fragments = FragmentMatch.NAMES

    def page_url(self, relative: str, path: str) -> str | None:
        stem, dot, suffix = relative.rpartition(".")
        if not dot or "." + suffix.lower() not in DOCUMENT_SUFFIXES:
            return None
        return "/" + stem + ".html"

    def resolve(self, link_path: str, article: str) -> Found | Missed:
        """A document name (`:doc:`, a toctree entry) is its page without `.html`:
        `deploying/index` is the page `deploying/index.html`."""
        found = super().resolve(link_path, article)
        if isinstance(found, Missed) and not posixpath.splitext(link_path)[1]:
            again = super().resolve(link_path.rstrip("/") + ".html", article)
            if isinstance(again, Found):
                return again
        return found

    def walk(self) -> Iterator[tuple[str, str]]:
        for folder, subdirs, files in os.walk(self.source):
            subdirs[:] = [
                d for d in subdirs if not d.startswith((".", "_build")) and d not in SKIPPED_DIRS
            ]
            for name in files:
                if name.lower().endswith((*DOCUMENT_SUFFIXES, ".html", ".htm")):
                    path = os.path.join(folder, name)
                    yield posixpath.join(*os.path.relpath(path, self.source).split(os.sep)), path


def load(config: str) -> Sphinx | None:
    """The Sphinx project of `config`, or None for a conf.py that is not Sphinx's."""
    try:
        text = read_text(config)
    except OSError:
        return None
    if not _SPHINX_SETTING.search(text):
        return None
    source = os.path.dirname(config)
    site = Sphinx(config, source, source)
    # Text added to every page may define any link target: none is proven missing then.
    site.dialect = "sphinx-epilog" if _ADDS_TEXT.search(text) else "sphinx"
    return site
