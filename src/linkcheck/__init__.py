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
from ._version import __version__

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
