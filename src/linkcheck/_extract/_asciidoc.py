"""Stage 2 for AsciiDoc: links as Asciidoctor finds them, at their exact place.

No well-kept AsciiDoc parser exists for Python (the PyPI `asciidoc` is the old AsciiDoc.py
converter, with no positions; the others are alpha), so this is an extractor written to
Asciidoctor's own rules (its `rx.rb` patterns and the substitution order of `sub_macros`):

- links: autolinks (`https://x`, `<https://x>`), URL macros (`https://x[text]`: the
  `[text]` is not part of the address), `link:target[text]`, `mailto:`;
- `image::target[]` and `image:target[]` (resolved against `:imagesdir:`), `include::`;
- cross references `<<id>>`, `<<id,text>>`, `<<file.adoc#id>>`, `xref:file.adoc#id[]`, a
  natural `<<Section Title>>` resolved as Asciidoctor resolves it;
- anchors: section ids (explicit, or generated with `idprefix`/`idseparator`), `[[id]]`,
  `[#id]`, `[id=…]`, `anchor:id[]`, `[[[bib]]]`;
- attribute references (`{url-repo}`) expanded from the document's `:name: value` entries; a
  target that needs an attribute the document does not define is left out (it is set by
  the build, out of sight);
- nothing in comments, listing, literal, passthrough or source blocks, literal
  paragraphs, `+passthrough+` text or escaped (`\\https://`) macros.

Under Antora (an `antora.yml` above the file), page cross references start at the
module's `pages/` folder and images at its `images/` folder, as Antora resolves them;
resource ids of other components or versions are out of sight and left out.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .._anchors import OPEN_ANCHORS
from .._models import Article, Kind, Link, Span
from ._ignore import ignored_lines

IGNORE_COMMENT = re.compile(r"^\s*//\s*linkcheck-ignore(-start|-end)?\s*$")

_DELIMITER = re.compile(r"^(-{4,}|\.{4,}|/{4,}|\+{4,}|_{4,}|={4,}|\*{4,}|--|[|,:!]={3,}|`{3,}.*)$")
#: Delimited blocks whose content is no text of the article.
_VERBATIM = ("-", ".", "/", "+", "`")
_VERBATIM_STYLES = frozenset(
    {"source", "listing", "literal", "pass", "comment", "stem", "latexmath", "asciimath"}
)
_SECTION = re.compile(r"^(={1,6}|#{1,6})[ \t]+(.+?)(?:[ \t]+\1)?[ \t]*$")
_INLINE_SECTION_ANCHOR = re.compile(r" (\\)?\[\[([A-Za-z_:][\w\-:.]*)(?:, *(.+))?\]\]$")
_BLOCK_ANCHOR = re.compile(r"^\[\[([A-Za-z_:][\w\-:.]*)(?:, *(.+))?\]\]$")
_BLOCK_ATTRIBUTES = re.compile(r"^\[([\w.#%{,\"'].*)?\]$")
_ATTRIBUTE_ENTRY = re.compile(r"^:(!?\w[^:]*):(?:[ \t]+(.*))?$")
_ATTRIBUTE_REFERENCE = re.compile(r"(\\)?\{(\w[\w-]*)\}")
_INLINE_ANCHOR = re.compile(
    r"(?<![\\\[])\[\[([A-Za-z_:][\w\-:.]*)(?:, *(.+?))?\]\]|(?<!\\)anchor:([A-Za-z_:][\w\-:.]*)\["
)
_BIBLIO_ANCHOR = re.compile(r"\[\[\[([A-Za-z_:][\w\-:.]*)(?:, *(.+?))?\]\]\]")
_PHRASE_ID = re.compile(r"\[#([A-Za-z_:][\w\-:.]*)[^\]]*\]#")
_INCLUDE = re.compile(r"^(\\)?include::([^\s\[](?:[^\[]*[^\s\[])?)\[(.*)\]$")
_BLOCK_MEDIA = re.compile(r"^(image)::(\S|\S.*?\S)\[(.*)\]$")
_INLINE_IMAGE = re.compile(r"(\\)?image:([^:\s\[](?:[^\n\[]*[^\s\[])?)\[")
_INLINE_LINK = re.compile(
    r"(^|link:|[ \t]|<|[>()\[\];\"'])(\\?(?:https?|file|ftp|irc)://)"
    r"(?:([^\s\[\]]+)(\[)|([^\s\[\]<]*[^\s,.?!\[\]<)]))"
)
_LINK_MACRO = re.compile(r"(\\)?(link|mailto):(|[^:\s\[][^\s\[]*)\[")
_ATTRIBUTE_LINK = re.compile(r"(^|link:|[ \t]|<|[>()\[\];\"'])\{(\w[\w-]*)\}([^\s\[\]<]*)(\[)?")
_XREF = re.compile(r"(\\)?(?:<<([\w#/.:{][^\n]*?)>>|xref:([\w#/.:{][^\s\[]*?)\[)")
_PASSTHROUGH = re.compile(
    r"\+\+\+.*?\+\+\+|\$\$.*?\$\$|pass:[a-z,]*\[.*?(?<!\\)\]|(?<![\w;:\\])\+\S(?:.*?\S)?\+(?!\w)"
)
_ASCIIDOC_SUFFIXES = (".adoc", ".asciidoc", ".asc", ".ad")
_ID_INVALID = re.compile(
    r"<[^>]+>|&(?:[a-z][a-z]+\d{0,2}|#\d\d\d{0,4}|#x[\da-f][\da-f][\da-f]{0,3});|[^ \w\-.]+?"
)
_FORMATTING = re.compile(r"[*_`#^~]{1,2}")


@dataclass(frozen=True, slots=True)
class AntoraModule:
    """The Antora module a page is in: the folder that holds its `pages/`, `images/`."""

    root: str


def antora_module(path: str | None) -> AntoraModule | None:
    """The module when `path` is `…/modules/<name>/<family>/…` below an `antora.yml`."""
    if path is None:
        return None
    parts = os.path.abspath(path).split(os.sep)
    for index in range(len(parts) - 3, 0, -1):
        if parts[index] == "modules":
            component = os.sep.join(parts[:index]) or os.sep
            if _has_antora_yml(component):
                return AntoraModule(os.sep.join(parts[: index + 2]))
    return None


@lru_cache(maxsize=256)
def _has_antora_yml(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "antora.yml"))


def extract_asciidoc(text: str, file: str, path: str | None = None) -> Article:
    """Every link of an AsciiDoc article; `path` (where it lives, None for stdin) places
    it in an Antora module, if any."""
    src = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    scan = _Scan(src.split("\n"), file, antora_module(path), path)
    scan.run()
    ignored = ignored_lines(scan.lines, scan.hidden, IGNORE_COMMENT)
    links = [
        link if (c := ignored.lines.get(link.line - 1)) is None else replace(link, ignored_by=c)
        for link in scan.links
    ]
    links.sort(key=lambda link: (link.line, link.column))
    anchors = scan.anchors | ({OPEN_ANCHORS} if scan.has_include else set())
    return Article(tuple(links), frozenset(anchors), tuple(ignored.warnings))


def section_id(title: str, prefix: str = "_", separator: str = "_") -> str:
    """Asciidoctor's generated id of a section title (`Section.generate_id`)."""
    text = _FORMATTING.sub("", title) if not any(c in title for c in "<&") else title
    generated = prefix + _ID_INVALID.sub("", text.lower())
    if separator:
        squeezed = " .-" if separator in "-." else f" {separator}.-"
        generated = re.sub(f"[{re.escape(squeezed)}]+", separator, generated)
        if generated.endswith(separator):
            generated = generated[:-1]
        if not prefix and generated.startswith(separator):
            generated = generated[1:]
    else:
        generated = generated.replace(" ", "")
    return generated


@dataclass
class _Scan:
    lines: list[str]
    file: str
    antora: AntoraModule | None
    path: str | None
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    #: 0-based lines that are no text (comments, verbatim blocks): no ignore comment there.
    hidden: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.attributes: dict[str, str] = {"empty": "", "sp": " ", "nbsp": "\u00a0", "sectids": ""}
        #: Where each attribute's value is written: (0-based line, start column).
        self.defined_at: dict[str, tuple[int, int]] = {}
        self.titles: dict[str, str] = {}  # a section's title or reftext -> its id
        self.internal: list[tuple[int, int, str, str]] = []  # xrefs to ids, resolved last
        self.has_include = False

    def run(self) -> None:
        #: The open delimited block's closing line, and whether its lines are verbatim.
        self._fence: str | None = None
        self._verbatim = False
        #: Inside a literal or styled verbatim paragraph (until a blank line).
        self._paragraph_verbatim = False
        #: A block attribute line's style and id, for the block that follows.
        self._pending_style: str | None = None
        self._pending_id: str | None = None
        self._previous_blank = True
        for number, line in enumerate(self.lines):
            if (fence := self._fence) is not None and self._in_block(number, line, fence):
                continue
            stripped = line.rstrip()
            if self._opens_block(number, stripped) or self._not_text(number, stripped):
                continue
            if not self._block_metadata(number, stripped):
                self._text(number, line, stripped)
        self._resolve_internal()

    # -- block structure ----------------------------------------------------------------

    def _in_block(self, number: int, line: str, fence: str) -> bool:
        """A line inside a delimited block: True when it is done with here (the closing
        line, or a verbatim line); a non-verbatim block's lines are read as text."""
        if line.rstrip() == fence:
            self._fence = None
            self.hidden.add(number)
            self._previous_blank = True
            return True
        if not self._verbatim:
            return False
        self.hidden.add(number)
        # The preprocessor runs before blocks are parsed: an include in a
        # listing (`include::example$x.rb[]`) is read all the same.
        include = _INCLUDE.match(line.rstrip())
        if include is not None and not fence.startswith("/"):
            self._include(number, include)
        return True

    def _opens_block(self, number: int, stripped: str) -> bool:
        if self._fence is not None or _DELIMITER.match(stripped) is None:
            return False
        self._fence = "```" if stripped.startswith("```") else stripped
        self._verbatim = stripped[0] in _VERBATIM or (
            self._pending_style in _VERBATIM_STYLES and stripped == "--"
        )
        if self._verbatim:
            self.hidden.add(number)
        self._pending_style = None
        return True

    def _not_text(self, number: int, stripped: str) -> bool:
        """A blank line, a line of a verbatim paragraph, or a comment line."""
        if not stripped:
            self._previous_blank = True
            self._paragraph_verbatim = False
            return True
        if self._paragraph_verbatim:
            self.hidden.add(number)
            return True
        if stripped.startswith("//"):  # a comment line (maybe an ignore comment)
            if not IGNORE_COMMENT.match(stripped):
                self.hidden.add(number)
            return True
        return False

    def _block_metadata(self, number: int, stripped: str) -> bool:
        """An attribute entry, a block anchor or a block attribute line."""
        entry = _ATTRIBUTE_ENTRY.match(stripped)
        if entry is not None:
            self._attribute(number, entry)
            return True
        anchor = _BLOCK_ANCHOR.match(stripped)
        if anchor is not None:
            self._pending_id = anchor.group(1)
            self.anchors.add(self._pending_id)
            if anchor.group(2):
                self.titles.setdefault(anchor.group(2).strip(), self._pending_id)
            return True
        attributes = _BLOCK_ATTRIBUTES.match(stripped)
        if attributes is None or stripped.startswith("[["):
            return False
        style, block_id = _style_and_id(attributes.group(1) or "")
        self._pending_style = style
        if block_id:
            self._pending_id = block_id
            self.anchors.add(block_id)
        return True

    def _text(self, number: int, line: str, stripped: str) -> None:
        """A line of a paragraph, a section title, an include or a block image."""
        if self._previous_blank and (
            self._pending_style in _VERBATIM_STYLES or line[:1] in (" ", "\t")
        ):
            # A styled verbatim paragraph, or a literal paragraph (indented).
            self.hidden.add(number)
            self._paragraph_verbatim = True
            self._pending_style = None
            self._previous_blank = False
            return
        self._pending_style = None
        section = _SECTION.match(stripped)
        if section is not None and self._previous_blank:
            self._section(section, self._pending_id)
            self._pending_id = None
            self._previous_blank = False
            self._inline(number, line)
            return
        self._pending_id = None
        self._previous_blank = False
        include = _INCLUDE.match(stripped)
        if include is not None:
            self._include(number, include)
            return
        media = _BLOCK_MEDIA.match(stripped)
        if media is not None:
            self._image(number, media.start(2), media.group(2), block=True)
            self._inline(number, line, skip=(0, media.end(2)))
            return
        self._inline(number, line)

    # -- entries ----------------------------------------------------------------------

    def _attribute(self, number: int, entry: re.Match[str]) -> None:
        name = entry.group(1)
        if name.startswith("!") or name.endswith("!"):
            self.attributes.pop(name.strip("!"), None)
            return
        value = entry.group(2) or ""
        expanded = self._expand(value)
        self.attributes[name] = expanded if expanded is not None else value
        if entry.group(2) is not None:
            self.defined_at[name] = (number, entry.start(2))

    def _section(self, section: re.Match[str], explicit: str | None) -> None:
        title = section.group(2)
        inline = _INLINE_SECTION_ANCHOR.search(title)
        if inline is not None and not inline.group(1):
            explicit = inline.group(2)
            title = title[: inline.start()]
        if len(section.group(1)) == 1:
            return  # the document title: no id
        if explicit is None and "sectids" in self.attributes:  # `:sectids!:` unsets it
            prefix = self.attributes.get("idprefix", "_")
            separator = self.attributes.get("idseparator", "_")
            written = self._expand(title) or title
            explicit = section_id(written, prefix, separator[:1])
            if self.antora is not None and not {"idprefix", "idseparator"} & set(self.attributes):
                # Antora sites set both in their playbook (out of sight), most often to
                # '' and '-': either id may be the page's.
                self.anchors.add(section_id(written, "", "-"))
            base, count = explicit, 2
            while explicit in self.anchors:
                explicit = f"{base}{separator[:1]}{count}"
                count += 1
        if explicit is not None:
            self.anchors.add(explicit)
            self.titles.setdefault(title.strip(), explicit)
            self.titles.setdefault(_FORMATTING.sub("", title).strip(), explicit)

    # -- inline text ------------------------------------------------------------------

    def _inline(self, number: int, line: str, skip: tuple[int, int] = (0, 0)) -> None:
        visible = _PASSTHROUGH.sub(lambda m: " " * len(m.group()), line)
        if skip[1]:
            visible = " " * skip[1] + visible[skip[1] :]
        for anchor in _INLINE_ANCHOR.finditer(visible):
            self.anchors.add(anchor.group(1) or anchor.group(3))
            if anchor.group(2):
                self.titles.setdefault(anchor.group(2).strip(), anchor.group(1))
        for anchor in _BIBLIO_ANCHOR.finditer(visible):
            self.anchors.add(anchor.group(1))
        for anchor in _PHRASE_ID.finditer(visible):
            self.anchors.add(anchor.group(1))
        taken: list[tuple[int, int]] = []
        for image in _INLINE_IMAGE.finditer(visible):
            if image.group(1) is None:
                self._image(number, image.start(2), image.group(2), block=False, at=image.start())
            taken.append((image.start(), image.end()))
        for link in _INLINE_LINK.finditer(visible):
            start = link.start(2)
            if _inside(start, taken) or link.group(2).startswith("\\"):
                continue
            self._url(number, link, visible)
            taken.append((start - 5 if link.group(1) == "link:" else start, link.end()))
        for macro in _LINK_MACRO.finditer(visible):
            if _inside(macro.start(), taken) or macro.group(1) or not macro.group(3):
                continue
            target = macro.group(3)
            url = ("mailto:" + target) if macro.group(2) == "mailto" else target
            self._add(number, macro.start(), Kind.INLINE, url, macro.start(3), target)
            taken.append((macro.start(), macro.end()))
        for reference in _ATTRIBUTE_LINK.finditer(visible):
            start = reference.start() + len(reference.group(1))
            if _inside(start, taken):
                continue
            self._attribute_link(number, reference, start)
            taken.append((start, reference.end()))
        for found in _XREF.finditer(visible):
            if found.group(1) or _inside(found.start(), taken):
                continue
            is_macro = found.group(3) is not None
            written = found.group(3) if is_macro else found.group(2).split(",", 1)[0].strip()
            self._xref(number, found.start(), written, is_macro)

    def _url(self, number: int, link: re.Match[str], visible: str) -> None:
        scheme = link.group(2)
        target = link.group(3) if link.group(3) is not None else link.group(5)
        url = scheme + target
        kind = Kind.INLINE if link.group(4) else Kind.BARE
        if link.group(1) == "link:":
            kind = Kind.INLINE
        if (link.group(1) == "<" and url.endswith(">")) or (
            link.group(1) == "(" and url.endswith(")")
        ):
            url = url[:-1]
        start = link.start(2)
        at = start - 5 if link.group(1) == "link:" else start
        if link.group(1) == "<" and kind is Kind.BARE and visible[start - 1 : start] == "<":
            kind = Kind.AUTOLINK
            at = start - 1
        self._add(number, at, kind, url, start, url)

    def _attribute_link(self, number: int, reference: re.Match[str], start: int) -> None:
        name = reference.group(2)
        value = self.attributes.get(name)
        if value is None:
            return
        if reference.group(1) != "link:" and not re.match(r"(?:https?|file|ftp|irc)://", value):
            return  # an attribute that holds no address, outside a link: macro
        rest = reference.group(3)
        expanded = self._expand(rest)
        if expanded is None:
            return
        url = value + expanded
        kind = Kind.INLINE if reference.group(4) or reference.group(1) == "link:" else Kind.BARE
        if kind is Kind.BARE:
            url = url.rstrip(",.?!)")
        at = start - 5 if reference.group(1) == "link:" else start
        dest = None
        where = self.defined_at.get(name)
        if not rest and where is not None:
            line = self.lines[where[0]]
            if line[where[1] :].rstrip() == url:
                dest = Span(where[0] + 1, where[1], where[1] + len(url))
        self._link(number, at, kind, url, dest)

    def _image(self, number: int, start: int, target: str, block: bool, at: int = 0) -> None:
        url = self._expand(target)
        if url is None:
            return
        if not _is_url(url) and not url.startswith("/") and not url.startswith("data:"):
            url = self._image_path(url)
            if url is None:
                return
        elif url.startswith("data:"):
            return
        self._add(number, 0 if block else at, Kind.IMAGE, url, start, target)

    def _image_path(self, target: str) -> str | None:
        """An image target as a path from the article: Antora's image family, else
        `imagesdir` (a URL `imagesdir` makes the image remote)."""
        if self.antora is not None:
            return self._antora(target, "images")
        folder = self.attributes.get("imagesdir", "")
        if not folder:
            return target
        return f"{folder.rstrip('/')}/{target}"

    def _include(self, number: int, include: re.Match[str]) -> None:
        self.has_include = True
        if include.group(1):
            return
        target = include.group(2)
        url = self._expand(target)
        if url is None:
            return
        if self.antora is not None and "$" in url:
            url = self._antora(url, "pages")
            if url is None:
                return
        self._add(number, 0, Kind.INCLUDE, url, include.start(2), target)

    def _xref(self, number: int, at: int, written: str, macro: bool) -> None:
        refid = self._expand(written)
        if refid is None:
            return
        path, hash_, fragment = refid.partition("#")
        if hash_ and not path:
            self.internal.append((number, at, fragment, written))
            return
        if not hash_:
            if macro and (refid.endswith(_ASCIIDOC_SUFFIXES) or "." in os.path.basename(refid)):
                path, fragment = refid, ""
            else:
                self.internal.append((number, at, refid, written))
                return
        if self.antora is not None:
            page = path if path.endswith(_ASCIIDOC_SUFFIXES) else path + ".adoc"
            resolved = self._antora(page, "pages")
            if resolved is None:
                return
            url = resolved + (f"#{fragment}" if fragment else "")
        else:
            has_suffix = "." in os.path.basename(path)
            url = path + ("" if has_suffix else ".adoc") + (f"#{fragment}" if fragment else "")
        self._link(number, at, Kind.XREF, url, None, text=written)

    def _resolve_internal(self) -> None:
        """`<<id>>`: an id of this document, or a natural reference to a title; when
        neither, broken unless an include may bring the id in (out of sight)."""
        for number, at, refid, written in self.internal:
            target = refid
            if refid not in self.anchors and (" " in refid or refid.lower() != refid):
                target = self.titles.get(refid, refid)
            if target not in self.anchors and self.has_include:
                continue
            self._link(number, at, Kind.XREF, f"#{target}", None, text=written)

    def _antora(self, target: str, family: str) -> str | None:
        """An Antora resource id (`page.adoc`, `module:page.adoc`, `partial$x.adoc`) as a
        path from the article; None for another component or version (out of sight)."""
        assert self.antora is not None and self.path is not None
        if "@" in target or target.count(":") > 1:
            return None
        module = self.antora.root
        if ":" in target:
            name, target = target.split(":", 1)
            if "/" in name or "." in name:
                return None
            module = os.path.join(os.path.dirname(module), name or "ROOT")
        if "$" in target:
            family_name, target = target.split("$", 1)
            family = {"page": "pages", "image": "images", "partial": "partials"}.get(
                family_name, family_name + "s"
            )
        absolute = os.path.join(module, family, target)
        folder = os.path.dirname(os.path.abspath(self.path))
        return os.path.relpath(absolute, folder).replace(os.sep, "/")

    # -- helpers ------------------------------------------------------------------------

    def _expand(self, value: str) -> str | None:
        """`value` with its attribute references replaced; None when one is not defined
        here (it comes from the build: out of sight)."""
        missing = False

        def one(match: re.Match[str]) -> str:
            nonlocal missing
            if match.group(1):
                return match.group()[1:]
            found = self.attributes.get(match.group(2))
            if found is None:
                missing = True
                return match.group()
            return found

        expanded = _ATTRIBUTE_REFERENCE.sub(one, value) if "{" in value else value
        return None if missing else expanded

    def _add(self, number: int, at: int, kind: Kind, url: str, start: int, written: str) -> None:
        expanded = self._expand(url) if "{" in url else url
        if expanded is None:
            return
        dest = Span(number + 1, start, start + len(written)) if expanded == written else None
        self._link(number, at, kind, expanded, dest)

    def _link(
        self, number: int, at: int, kind: Kind, url: str, dest: Span | None, text: str = ""
    ) -> None:
        self.links.append(Link(self.file, number + 1, at + 1, kind, text or url, url, dest=dest))


def _style_and_id(attributes: str) -> tuple[str | None, str | None]:
    """The block style and id of an attribute line's content (`source#id,python`,
    `#id.role`, `id=x`)."""
    first = attributes.split(",", 1)[0].strip()
    explicit = re.search(r"(?:^|,)\s*id=\"?([^\",\]]+)", attributes)
    block_id = explicit.group(1) if explicit else None
    written = first
    if "#" in first:
        written, _, rest = first.partition("#")
        block_id = re.split(r"[.%]", rest, maxsplit=1)[0] or block_id
    style = re.split(r"[.%]", written, maxsplit=1)[0].strip()
    return (style or None), block_id


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _is_url(target: str) -> bool:
    return re.match(r"[A-Za-z][A-Za-z0-9.+-]+:/{0,2}", target) is not None and not (
        len(target) > 1 and target[1] == ":"
    )
