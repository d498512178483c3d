"""linkcheck: every link and citation in your articles, found, checked and reported.

Run from a checkout of the repository, on its sample articles (the suite runs this):

>>> import linkcheck
>>> report = linkcheck.check(["fixtures/"], linkcheck.Options(offline=True))
>>> report.failed
True
>>> first = report.failures[0]
>>> first.link.file, first.link.line, first.status.value, first.outcome.reason
('fixtures/harbour-talks.md', 11, 'placeholder', 'URL has no host')

Only the links, nothing checked:

>>> found = linkcheck.dump(["fixtures/"])
>>> item = found.links[0]
>>> item.link.file, item.link.kind.value, item.target
('fixtures/crlf-notes.md', 'inline', 'fixtures/guide/glossary.md')
"""

from typing import TYPE_CHECKING

from ._lazy import attribute
from ._version import __version__

if TYPE_CHECKING:
    from ._api import (
        Progress,
        check,
        check_async,
        check_links,
        check_links_async,
        dump,
        dump_async,
        save_links,
        save_links_async,
    )
    from ._config import ConfigError
    from ._discover import PathError
    from ._errors import LinkcheckError
    from ._extract import extract
    from ._git import GitError
    from ._links_file import LinksFileError
    from ._merge import MergeError
    from ._models import (
        DEFAULT_FAIL_ON,
        Article,
        Category,
        Cause,
        Classified,
        Dump,
        FileIssue,
        Kind,
        Level,
        Link,
        LinkResult,
        Outcome,
        Redirect,
        Report,
        Source,
        Span,
        Status,
    )
    from ._options import HostRule, Options
    from ._patterns import PatternError
    from ._report.load import ReportError

#: Where each public name lives: imported when first used, so that a run (the CLI
#: imports this package first) loads only the stages it needs (a replayed run none).
_HOMES = {
    "Progress": "._api",
    "check": "._api",
    "check_async": "._api",
    "check_links": "._api",
    "check_links_async": "._api",
    "dump": "._api",
    "dump_async": "._api",
    "save_links": "._api",
    "save_links_async": "._api",
    "ConfigError": "._config",
    "PathError": "._discover",
    "LinkcheckError": "._errors",
    "extract": "._extract",
    "GitError": "._git",
    "LinksFileError": "._links_file",
    "MergeError": "._merge",
    "DEFAULT_FAIL_ON": "._models",
    "Article": "._models",
    "Category": "._models",
    "Cause": "._models",
    "Classified": "._models",
    "Dump": "._models",
    "FileIssue": "._models",
    "Kind": "._models",
    "Level": "._models",
    "Link": "._models",
    "LinkResult": "._models",
    "Outcome": "._models",
    "Redirect": "._models",
    "Report": "._models",
    "Source": "._models",
    "Span": "._models",
    "Status": "._models",
    "HostRule": "._options",
    "Options": "._options",
    "PatternError": "._patterns",
    "ReportError": "._report.load",
}


def __getattr__(name: str) -> object:
    return attribute(__name__, _HOMES, globals(), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})  # the names not imported yet too


__all__ = [
    "DEFAULT_FAIL_ON",
    "Article",
    "Category",
    "Cause",
    "Classified",
    "ConfigError",
    "Dump",
    "FileIssue",
    "GitError",
    "HostRule",
    "Kind",
    "Level",
    "Link",
    "LinkResult",
    "LinkcheckError",
    "LinksFileError",
    "MergeError",
    "Options",
    "Outcome",
    "PathError",
    "PatternError",
    "Progress",
    "Redirect",
    "Report",
    "ReportError",
    "Source",
    "Span",
    "Status",
    "__version__",
    "check",
    "check_async",
    "check_links",
    "check_links_async",
    "dump",
    "dump_async",
    "extract",
    "save_links",
    "save_links_async",
]
