"""Stage 2 for reStructuredText: docutils parses, and each link is found back in the source.

docutils (the reference parser) decides what is a link: embedded URIs, named and anonymous
references and their targets, standalone URLs, images and figures (and their `:target:`),
`.. include::`, and under a Sphinx build (the `sphinx` dialect, from a detected `conf.py`:
`_generators/sphinx.py`) the `:doc:` and `:download:` roles and `toctree` entries. It
gives block line numbers but no columns: each construct's own source text is looked for
from its block's line on, so `line`/`column` and the destination's `Span` are exact.

Nothing is read from disk: an include is a link, not text to read in. Directives and roles
docutils does not know (Sphinx extensions) are parsed as nothing: no link, no message.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, ClassVar

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles

from .._anchors import OPEN_ANCHORS
from .._models import Article, Kind, Link, Span
from ._dialects import Dialect
from ._ignore import ignored_lines

_SETTINGS = {
    "report_level": 5,  # docutils' own messages are not the reader's problems: silent
    "halt_level": 5,
    "warning_stream": False,
    "file_insertion_enabled": False,  # an include is a link to check, not text to read
    "raw_enabled": False,
    "input_encoding": "unicode",
    "line_length_limit": 10_000_000,
    "syntax_highlight": "none",
}
#: `.. linkcheck-ignore`, `.. linkcheck-ignore-start`, `.. linkcheck-ignore-end`: rst comments.
IGNORE_COMMENT = re.compile(r"^\s*\.\.\s+linkcheck-ignore(-start|-end)?\s*$")


#: How a Sphinx build reads rst (`_generators/sphinx.py`): with its roles and directives;
#: `sphinx-epilog` when conf.py adds text to every page (`rst_prolog`/`rst_epilog`, where
#: link targets are often defined, out of the article's sight).
SPHINX_DIALECTS = ("sphinx", "sphinx-epilog")


def extract_rst(text: str, file: str, dialect: Dialect = "github") -> Article:
    """Every link of a reStructuredText article. `dialect` is who builds it: `github`
    (docutils alone, as GitHub renders rst), or a Sphinx project (SPHINX_DIALECTS), whose
    `:doc:`, `:download:` and `toctree` name documents as the Sphinx site resolves them."""
    src = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    sphinx = dialect in SPHINX_DIALECTS
    with _vocabulary(sphinx):
        document = publish_doctree(src, settings_overrides=_SETTINGS)
    walk = _Walk(src, file, document, sphinx, dialect == "sphinx-epilog")
    walk.run()
    ignored = ignored_lines(walk.lines, set(), IGNORE_COMMENT)
    links = [
        link
        if (comment := ignored.lines.get(link.line - 1)) is None
        else replace(link, ignored_by=comment)
        for link in walk.links
    ]
    links.sort(key=lambda link: (link.line, link.column))
    anchors = walk.anchors | ({OPEN_ANCHORS} if walk.has_include else set())
    return Article(tuple(links), frozenset(anchors), tuple(ignored.warnings))


# --- what docutils does not know: Sphinx's roles and directives, and include ----------


class _xref(nodes.Inline, nodes.TextElement):  # a docutils node class: lower case
    """A Sphinx cross-reference role (`:doc:`, `:ref:`, `:download:`) as written."""


class _included(nodes.Element):
    """An `.. include::` or `.. literalinclude::` of a file."""


class _toctree(nodes.Element):
    """A `toctree` entry: a document (or URL) of the project."""


_ROLE_TEXT = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


def _xref_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[nodes.Node]]:
    written = _ROLE_TEXT.match(text)
    title, target = (written["title"], written["target"]) if written else ("", text)
    node = _xref(rawtext, title or target, role=name.lower(), target=target.strip())
    return [node], []


class _Include(Directive):
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {}
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = _included(self.block_text, uri=self.arguments[0].strip())
        node.line = self.lineno
        return [node]


class _Toctree(Directive):
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        found: list[nodes.Node] = []
        glob = "glob" in self.block_text.split("\n", 1)[0] or ":glob:" in self.block_text
        for offset, entry in enumerate(self.content):
            entry = entry.strip()
            if not entry or entry.startswith(":") or entry == "self":
                continue
            if glob and any(c in entry for c in "*?["):
                continue
            written = _ROLE_TEXT.match(entry)
            target = written["target"] if written else entry
            node = _toctree(entry, target=target.strip(), title=written["title"] if written else "")
            node.line = self.content_offset + offset + 1
            found.append(node)
        return found


class _Body(Directive):
    """A Sphinx directive whose content is ordinary rst (`seealso`, `versionadded`…);
    text after its first argument is inline text too (`.. versionadded:: 1.0 See x_`)."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {}
    has_content = True

    def run(self) -> list[nodes.Node]:
        container = nodes.container(self.block_text)
        words = self.arguments[0].split(None, 1) if self.arguments else []
        if len(words) == 2:
            inline, _ = self.state.inline_text(words[1], self.lineno)
            paragraph = nodes.paragraph(words[1], "", *inline)
            paragraph.line = self.lineno
            container += paragraph
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


class _Nothing(Directive):
    """A directive whose content is code or generated (`literalinclude`'s text,
    `automodule`): no links of the article."""

    optional_arguments = 10
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {}
    has_content = True

    def run(self) -> list[nodes.Node]:
        return []


class _AnyOptions(dict[str, Any]):
    """Accepts every option (a Sphinx directive's options are not ours to validate)."""

    def __contains__(self, key: object) -> bool:
        return True

    def __bool__(self) -> bool:
        return True  # docutils reads options only when a directive has some

    def __getitem__(self, key: str) -> Callable[[Any], Any]:
        return lambda value: value


for _cls in (_Include, _Toctree, _Body, _Nothing):
    _cls.option_spec = _AnyOptions()

_SPHINX_BODY = (
    "seealso", "versionadded", "versionchanged", "deprecated", "versionremoved", "only",
    "hlist", "centered", "glossary", "tab", "tabs", "tab-set", "tab-item", "card", "grid",
    "grid-item", "grid-item-card", "dropdown", "todo",
)  # fmt: skip
_SPHINX_NOTHING = (
    "highlight", "sourcecode", "automodule", "autoclass", "autofunction", "automethod",
    "autoattribute", "autodata", "autoexception", "autosummary", "doctest", "testcode",
    "testoutput", "testsetup", "testcleanup", "graphviz", "digraph", "mermaid", "plot",
    "index", "program", "option", "envvar", "productionlist", "currentmodule", "module",
    "function", "class", "method", "attribute", "data", "exception", "describe", "object",
    "sectionauthor", "codeauthor", "tabularcolumns", "ifconfig", "jinja", "code",
)  # fmt: skip


@contextmanager
def _vocabulary(sphinx: bool) -> Iterator[None]:
    """docutils' directive and role registries, for the time of one parse, with what an
    article needs: `include` as a link (always), Sphinx's roles and directives (in a
    Sphinx project). Put back as they were afterwards: the registries are docutils'
    module state, and a program that embeds linkcheck may use docutils too."""
    saved_directives = dict(directives._directives)
    saved_roles = dict(roles._roles)
    try:
        directives._directives["include"] = _Include
        if sphinx:
            directives._directives["literalinclude"] = _Include
            directives._directives["toctree"] = _Toctree
            for name in _SPHINX_BODY:
                directives._directives[name] = _Body
            for name in _SPHINX_NOTHING:
                directives._directives[name] = _Nothing
            for name in ("doc", "ref", "download", "std:doc", "std:ref"):
                roles._roles[name] = _xref_role
        yield
    finally:
        directives._directives.clear()
        directives._directives.update(saved_directives)
        roles._roles.clear()
        roles._roles.update(saved_roles)


# --- finding each construct back in the source ------------------------------------------


@dataclass
class _Walk:
    src: str
    file: str
    document: nodes.document
    sphinx: bool
    #: Text the build adds to every page may define any target: none is proven missing.
    adds_text: bool
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.lines = self.src.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.cursor = 0  # inline constructs are found in document order, from here on
        self.targets: dict[str, Span | None] = {}  # normalised name -> the URL's span
        self.anonymous: list[Span | None] = []
        self.anonymous_used = 0  # anonymous references take anonymous targets in order
        self.used: set[str] = set()  # names of the targets some reference cites
        self.has_include = False

    # positions
    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span | None:
        line, column = self.position(start)
        if "\n" in self.src[start:end]:
            return None  # a destination broken over lines is not rewritten
        return Span(line, column - 1, column - 1 + end - start)

    def line_start(self, line: int) -> int:
        return self.starts[max(0, min(line - 1, len(self.lines) - 1))]

    def find(self, raw: str, start: int) -> re.Match[str] | None:
        """The first occurrence of `raw` (docutils' rawsource) at or after `start`,
        whitespace runs matching any whitespace (a construct wrapped over lines)."""
        pattern = _raw_pattern(raw)
        return pattern.search(self.src, start) if pattern else None

    # the walk
    def run(self) -> None:
        self._definitions()
        self.has_include = any(True for _ in self.document.findall(_included))
        for node in self.document.findall(nodes.Element):
            if not isinstance(node, nodes.system_message | nodes.problematic):
                self.anchors.update(node.get("ids", ()))
            if _in_substitution_use(node):
                continue
            if isinstance(node, nodes.reference):
                self._reference(node)
            elif isinstance(node, nodes.problematic):
                self._problematic(node)
            elif isinstance(node, nodes.image):
                self._image(node)
            elif isinstance(node, _included):
                self._include(node)
            elif isinstance(node, _xref):
                self._xref(node)
            elif isinstance(node, _toctree):
                self._toctree(node)
        self._unused_definitions()

    def _definitions(self) -> None:
        """Where each explicit target's URL is written (`.. _name: url`, `__ url`)."""
        for target in self.document.findall(nodes.target):
            raw = target.rawsource
            if not (raw.startswith(".. _") or raw.startswith("__")) or target.line is None:
                continue
            span = self._target_span(target)
            if target.get("anonymous"):
                self.anonymous.append(span)
            for name in target.get("names", ()):
                self.targets.setdefault(name, span)

    def _target_span(self, target: nodes.target) -> Span | None:
        found = self.find(target.rawsource, self.line_start(target.line - 1))
        refuri = target.get("refuri")
        if found is None or not refuri:
            return None
        raw = found.group()
        colon = _definition_colon(raw)
        if colon < 0:
            return None
        rest = raw[colon:]
        lead = len(rest) - len(rest.lstrip())
        start = found.start() + colon + lead
        end = found.end()
        if self.src[start:end] != refuri:
            return None  # escaped or wrapped: not rewritten in place
        return self.span(start, end)

    def _locate(self, node: nodes.Element) -> re.Match[str] | None:
        """`node`'s rawsource in the source, searched from its block's first line."""
        block = _block_of(node)
        hint = 0
        if block is not None and block.line is not None:
            back = 3 if isinstance(block, nodes.title) else 1
            hint = self.line_start(block.line - back)
        raw = node.rawsource
        found = self.find(raw, max(hint, self.cursor)) if raw else None
        if found is None and raw:
            found = self.find(raw, hint)
        if found is not None:
            self.cursor = found.end()
        return found

    def _add(self, where: tuple[int, int], kind: Kind, text: str, url: str, **kw: Any) -> None:
        line, column = where
        self.links.append(Link(self.file, line, column, kind, text, url, **kw))

    def _reference(self, node: nodes.reference) -> None:
        raw = node.rawsource
        if not raw:
            self._image_target(node)
            return
        found = self._locate(node)
        if found is None:
            return
        where = self.position(found.start())
        text = " ".join(node.astext().split())
        written = found.group()
        if "refid" in node and "refuri" not in node:
            url = "#" + node["refid"]
            self._add(where, Kind.REFERENCE, text, url, label=node.get("name"))
            return
        url = node.get("refuri")
        if url is None:
            return
        if written.startswith(":"):  # a role docutils links (`:pep:`, `:rfc:`)
            self._add(where, Kind.XREF, text, url)
            return
        if not written.endswith("_"):  # a standalone URL or address
            if url.startswith("mailto:") and not written.startswith("mailto:"):
                return  # a bare e-mail address: not a link the reader follows
            dest = self.span(*found.span()) if written == url else None  # no escapes
            self._add(where, Kind.BARE, written, url, dest=dest)
            return
        embedded = _EMBEDDED.search(written)
        if embedded is not None and not embedded["uri"].rstrip().endswith("_"):
            start = found.start() + embedded.start("uri")
            dest = self.span(start, start + len(embedded["uri"]))
            if dest is not None and embedded["uri"] != url:
                dest = None  # escapes or line breaks inside: not rewritten in place
            self._add(where, Kind.INLINE, text, url, dest=dest)
            return
        if written.endswith("__"):
            index = self.anonymous_used
            self.anonymous_used += 1
            dest = self.anonymous[index] if index < len(self.anonymous) else None
            self._add(where, Kind.REFERENCE, text, url, label="__", dest=dest)
            return
        name = nodes.fully_normalize_name(node.get("name", text))
        if embedded is not None:  # `text <name_>`_: an alias of a named target
            name = nodes.fully_normalize_name(embedded["uri"].rstrip()[:-1].strip("`"))
        self.used.add(name)
        self._add(where, Kind.REFERENCE, text, url, label=name, dest=self.targets.get(name))

    def _problematic(self, node: nodes.problematic) -> None:
        """A reference docutils could not resolve: broken when its name is defined
        nowhere the article can see (and nothing can add it: no include, no prolog)."""
        written = _NAMED_REFERENCE.match(node.rawsource)
        if written is None or written.group().endswith("__"):
            return
        if self.has_include or self.adds_text:
            return
        name = nodes.fully_normalize_name(written["quoted"] or written["simple"] or "")
        if not name or name in self.document.nameids:
            return  # defined, but ambiguous (a duplicate): not a missing target
        found = self._locate(node)
        if found is None:
            return
        where = self.position(found.start())
        self._add(where, Kind.REFERENCE, name, "", label=name, undefined=True)

    def _image(self, node: nodes.image) -> None:
        raw = node.rawsource
        directive = _DIRECTIVE.match(raw)
        if directive is None or node.line is None:
            return
        found = self.find(raw.split("\n", 1)[0], self.line_start(node.line - 1))
        if found is None:
            return
        uri = node.get("uri", "")
        start = found.start() + directive.start("uri")
        dest = self.span(start, start + len(directive["uri"]))
        if dest is not None and directive["uri"] != uri:
            dest = None
        self._add(self.position(found.start()), Kind.IMAGE, node.get("alt", ""), uri, dest=dest)

    def _image_target(self, node: nodes.reference) -> None:
        """An image or figure's `:target:` (docutils wraps the image in a reference)."""
        image = next(iter(node.findall(nodes.image)), None)
        url = node.get("refuri")
        if image is None or url is None or image.line is None:
            return
        found = self.find(image.rawsource, self.line_start(image.line - 1))
        if found is None:
            return
        option = _TARGET_OPTION.search(found.group())
        if option is None:
            return
        start = found.start() + option.start("uri")
        dest = self.span(start, start + len(option["uri"]))
        if dest is not None and option["uri"] != url:
            dest = None
        where = self.position(found.start() + option.start("option"))
        self._add(where, Kind.INLINE, image.get("alt", ""), url, dest=dest)

    def _include(self, node: _included) -> None:
        uri = node["uri"]
        if uri.startswith("<") and uri.endswith(">"):
            return  # docutils' standard definition files, not the article's
        found = self.find(node.rawsource.split("\n", 1)[0], self.line_start(node.line - 1))
        if found is None:
            return
        start = found.start() + found.group().index("::") + 2
        start += len(self.src[start : found.end()]) - len(self.src[start : found.end()].lstrip())
        # Under Sphinx, `/x` starts at the source folder: the Sphinx site's root.
        written = self.src[start : start + len(uri)] == uri  # not wrapped over lines
        dest = self.span(start, start + len(uri)) if written else None
        self._add(self.position(found.start()), Kind.INCLUDE, uri, uri, dest=dest)

    def _xref(self, node: _xref) -> None:
        found = self._locate(node)
        if found is None:
            return
        url = self._xref_url(node["role"].removeprefix("std:"), node["target"])
        if url is not None:
            self._add(self.position(found.start()), Kind.XREF, node.astext(), url)

    def _toctree(self, node: _toctree) -> None:
        start = self.line_start(node.line)
        found = self.find(node.rawsource, start)
        if found is None:
            return
        target = node["target"]
        where = self.position(found.start())
        if "://" in target or target.startswith("mailto:"):
            self._add(where, Kind.INLINE, node["title"] or target, target)
        else:
            self._add(where, Kind.XREF, node["title"] or target, target)

    def _xref_url(self, role: str, target: str) -> str | None:
        """A document (`:doc:`) or file (`:download:`) as the Sphinx site resolves it:
        relative to the article, or from the source folder (`/x`). `:ref:` labels are
        the whole project's (and intersphinx's): out of one article's sight, left out."""
        target = target.lstrip("~!")
        return target if role in ("doc", "download") and target else None

    def _unused_definitions(self) -> None:
        """A named target that nothing cites is reported where it stands, like an unused
        markdown reference definition (it never fails the run)."""
        for target in self.document.findall(nodes.target):
            raw = target.rawsource
            if not raw.startswith(".. _") or "refuri" not in target or target.line is None:
                continue
            names = target.get("names", ())
            if (
                not names
                or any(n in self.used for n in names)
                or getattr(target, "referenced", False)
            ):
                continue
            span = self.targets.get(names[0])
            found = self.find(raw, self.line_start(target.line - 1))
            if found is None:
                continue
            where = self.position(found.start())
            self._add(
                where,
                Kind.REFERENCE,
                names[0],
                target["refuri"],
                label=names[0],
                dest=span,
                unused=True,
            )


def _in_substitution_use(node: nodes.Element) -> bool:
    """An image (and its `:target:`) put where `|name|` is used: a copy of the one in
    the substitution definition, where it is reported once."""
    image = node if isinstance(node, nodes.image) else None
    if isinstance(node, nodes.reference) and not node.rawsource:
        image = next(iter(node.findall(nodes.image)), None)
    if image is None or image.rawsource.startswith(".."):
        return False
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.substitution_definition):
            return False
        parent = parent.parent
    return True


def _block_of(node: nodes.Node) -> nodes.Element | None:
    parent = node.parent
    while parent is not None and getattr(parent, "line", None) is None:
        parent = parent.parent
    return parent


_EMBEDDED = re.compile(r"<(?P<uri>[^<>]*)>`__?$", re.DOTALL)
_NAMED_REFERENCE = re.compile(r"^(?:`(?P<quoted>[^`]+)`|(?P<simple>[\w.:+-]+))_$")
#: An image's rawsource: `.. image:: uri`, `.. figure:: uri`, or in a substitution
#: definition (`.. |name| image:: uri`) just `image:: uri`.
_DIRECTIVE = re.compile(r"^(?:\.\.\s+)?(?:image|figure)::[ \t]*(?P<uri>\S+)")
_TARGET_OPTION = re.compile(r"\n[ \t]+(?P<option>:target:)[ \t]*(?P<uri>\S+)")


def _definition_colon(raw: str) -> int:
    """Index just after the `:` ending a target's name (`.. _name:`, `` .. _`a:b`: ``),
    or after `__` of an anonymous target."""
    if raw.startswith("__"):
        return 2
    if raw.startswith(".. __:"):
        return 6
    body = raw[4:]
    if body.startswith("`"):
        close = body.find("`:", 1)
        return -1 if close < 0 else 4 + close + 2
    index = 0
    while index < len(body):
        if body[index] == "\\":
            index += 2
            continue
        if body[index] == ":" and (index + 1 == len(body) or body[index + 1] in " \t\n"):
            return 4 + index + 1
        index += 1
    return -1


@lru_cache(maxsize=4096)
def _raw_pattern(raw: str) -> re.Pattern[str] | None:
    parts = raw.split()
    if not parts:
        return None
    return re.compile(r"\s+".join(re.escape(p) for p in parts))
