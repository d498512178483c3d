"""linkcheck: every link and citation in your articles, found, checked and reported.

>>> import linkcheck
>>> report = linkcheck.check(["docs/"], linkcheck.Options(offline=True))
>>> report.failed
"""

from ._api import Progress, check, check_async
from ._config import ConfigError
from ._discover import PathError
from ._errors import LinkcheckError
from ._extract import extract
from ._git import GitError
from ._merge import MergeError
from ._models import (
    DEFAULT_FAIL_ON,
    Article,
    Category,
    Cause,
    Classified,
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
    "FileIssue",
    "GitError",
    "HostRule",
    "Kind",
    "Level",
    "Link",
    "LinkResult",
    "LinkcheckError",
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
    "extract",
]
