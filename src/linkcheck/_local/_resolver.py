"""Stage 4a: resolve local targets on disk, as GitHub serves them or as a site generator
builds them (`_generators`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from urllib.parse import unquote

from .._anchors import (
    FragmentMatch,
    explicit_id,
    has_anchor,
    html_anchors,
    same_but_case,
)
from .._discover import ARTICLE_SUFFIXES, HTML_SUFFIXES, SKIPPED_DIRS
from .._extract import FORMATS, heading_texts
from .._generators import BuiltSite, Found, IgnoredFolders, Site, Sites, spelled_heading
from .._git import ignored_as_a_whole
from .._models import Classified, FileIssue, Kind, Outcome, Status
from .._options import Options
from .._patterns import user_substitution
from .._realpath import RealPaths
from .._regular import open_regular

#: Given an absolute path of a markdown file (or "-" for stdin), its anchors; None if unreadable.
AnchorLookup = Callable[[str], frozenset[str] | None]

#: What GitHub renders below a folder's listing, in the order it looks for them.
_READMES = ("README.md", "readme.md", "Readme.md", "README.markdown", "README", "index.md")
_HTML_LIMIT = 5 * 1024 * 1024
_OK = Outcome(Status.OK)
#: Articles of the formats with their own anchors (rst targets and sections, AsciiDoc
#: ids, notebook headings): a `#fragment` into one is checked against them.
_OTHER_ARTICLES = tuple(
    suffix
    for fmt in FORMATS
    if fmt.name in ("rst", "asciidoc", "notebook")
    for suffix in fmt.suffixes
)
#: A link to a source page (`x.md`) that no file of the repository is cannot be made to
#: work by any extension: generators turn source files into pages, they do not invent
#: them. (A `.html` page or an image may be another deployment's on the same server.)
_SOURCES = frozenset({"md", "markdown", "mdx"})
_MARKDOWN = (".md", ".markdown", ".mdx")


class Roots:
    """Where root-relative links (`/docs/x.md`) start, per article folder: `--root-dir`,
    else the git top level above the article (a `.git` folder or file, looked for once
    per folder and cached: never a `git` process per file), else the folder named on
    the command line that holds the article, else the current directory."""

    def __init__(self, options: Options, paths: Sequence[str] = ()) -> None:
        #: Real paths for every stage of the run, each folder resolved once.
        self.real = RealPaths()
        self.root_dir = os.path.realpath(options.root_dir) if options.root_dir else None
        #: The current directory, read once for the run (relative paths and targets).
        self.cwd = os.getcwd()
        self._cwd = os.path.realpath(self.cwd)
        given = (os.path.realpath(p) for p in paths if p != "-" and os.path.isdir(p))
        # Deepest first, so the folder nearest the article wins.
        self._given = sorted(given, key=len, reverse=True)
        self._tops: dict[str, str | None] = {}
        #: Folders named on the command line that git ignores as a whole: a build's
        #: output (`site/`, `public/`), walked all the same (_discover.py) and served at
        #: a root of its own, so `/css/a.css` in its pages starts there.
        self._served = [g for g in self._given if ignored_as_a_whole(g)]
        self._repositories: dict[str, str] = {}
        self._bounds: dict[str, tuple[str, ...]] = {}

    def git_top(self, folder: str) -> str | None:
        """The work tree holding `folder` (absolute, real), or None outside git."""
        walked: list[str] = []
        top: str | None = None
        current = folder
        while True:
            if current in self._tops:
                top = self._tops[current]
                break
            walked.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                top = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for seen in walked:
            self._tops[seen] = top
        return top

    def repository(self, folder: str) -> str:
        """The repository an article in `folder` belongs to: its git top level, else the
        folder given on the command line, else the current directory."""
        repository = self._repositories.get(folder)
        if repository is None:
            repository = self._repositories[folder] = self._repository(folder)
        return repository

    def _repository(self, folder: str) -> str:
        for served in self._served:
            if _inside(folder, served):
                return served
        top = self.git_top(folder)
        if top is not None:
            return top
        for given in self._given:
            if _inside(folder, given):
                return given
        return self._cwd

    def serves_from_root(self, folder: str) -> bool:
        """Whether a web server's root for the HTML pages in `folder` is known: given by
        --root-dir, or a served build folder, or a folder named outside git that is a
        site's root (an `index.html` at its top). In a repository a page's server root
        could be any folder (a Hugo `static/`, a project's `docs/`, a test's golden
        files), and GitHub does not serve HTML."""
        if self.root_dir is not None:
            return True
        repository = self.repository(folder)
        if repository in self._served:
            return True
        if self.git_top(folder) == repository:
            return False
        return any(os.path.isfile(os.path.join(repository, n)) for n in _SITE_INDEXES)

    def site_root(self, folder: str) -> str:
        """What a root-relative link in an article in `folder` starts from."""
        return self.root_dir or self.repository(folder)

    def allowed(self, folder: str, real_target: str) -> bool:
        """Whether a target stays inside the article's repository (or `--root-dir`, or
        the current directory): `../` links inside the repository are never blocked."""
        bounds = self._bounds.get(folder)
        if bounds is None:
            found = (self.repository(folder), self.root_dir, self._cwd)
            bounds = self._bounds[folder] = tuple(b for b in found if b is not None)
        return any(_inside(real_target, b) for b in bounds)


#: Pages of a repository on github.com that are no files in it.
_GITHUB_ROUTES = frozenset(
    {"issues", "pulls", "pull", "wiki", "releases", "actions", "discussions", "projects",
     "security", "compare", "commits", "tags", "branches", "milestones", "labels", "tree", "blob",
     "graphs", "network", "pulse"}
)  # fmt: skip


_SITE_INDEXES = ("index.html", "index.htm")

#: Said once in the summary for every root-relative link of an HTML page whose server is
#: unknown (a fixed sentence, so that the summary counts them together).
UNKNOWN_SERVER_ROOT = (
    "root-relative link in an HTML page of a repository: where its server's root is "
    "is unknown (--root-dir names it, --site judges a build)"
)


def _from_server_root(item: Classified) -> bool:
    """A root-relative link (`/css/a.css`, not `//host/…`) written in an HTML page."""
    url = item.link.url.strip()
    page = item.link.file.lower().endswith(HTML_SUFFIXES)
    return page and url.startswith("/") and not url.startswith("//")


def _route_hint(item: Classified) -> str:
    """Why `/issues/new` is not the issues page: GitHub serves a root-relative link
    from the repository's root (`…/blob/main/issues/new`), as its docs say."""
    written = item.link.url.strip()
    first = written.lstrip("/").split("/", 1)[0]
    if not written.startswith("/") or first not in _GITHUB_ROUTES:
        return ""
    return (
        f" (GitHub links /{first}/… to a file in the repository;"
        f" for the {first} page use ../../{first} or a full URL)"
    )


def _inside(path: str, folder: str) -> bool:
    return (
        path == folder
        or (path.startswith(folder) and path[len(folder)] == os.sep)
        or (folder.endswith(os.sep) and path.startswith(folder))
    )


class TargetRewrite:
    """`remap` (each regex replaced in order), then `base_url`: a link to the site itself
    becomes root-relative, to be checked as the site's files."""

    def __init__(self, options: Options) -> None:
        self._remap = [user_substitution(pattern, to) for pattern, to in options.remap]
        self._base = options.base_url.rstrip("/") + "/" if options.base_url else None

    def changes(self, url: str) -> bool:
        """Whether the URL as written is checked as another one."""
        if not self._remap and self._base is None:
            return False
        written = url.strip()
        return self(written) != written

    def __call__(self, url: str) -> str:
        if not self._remap and self._base is None:
            return url  # the usual run: nothing to rewrite, once per link
        for substitute in self._remap:
            url = substitute(url)
        if self._base is not None and (url + "/").startswith(self._base):
            url = "/" + url[len(self._base) :]
        return url


class LocalResolver:
    def __init__(
        self,
        options: Options,
        anchors_of: AnchorLookup,
        roots: Roots | None = None,
        sites: Sites | None = None,
    ) -> None:
        self._roots = roots = roots or Roots(options)
        self._anchors_of = anchors_of
        self._sites = sites or Sites(options.generator, roots.repository)
        self._rewrite = TargetRewrite(options)
        self._fallbacks = tuple("." + e.lstrip(".") for e in options.fallback_extensions)
        self._index_files = options.index_files
        self._site_of: dict[str, Site | None] = {}
        # Each file read for its anchors once, however many fragments point into it.
        self._html_anchors: dict[str, frozenset[str] | None] = {}
        self._extra_anchors: dict[tuple[str, str], frozenset[str]] = {}
        self._heading_texts: dict[str, tuple[frozenset[str], list[str]]] = {}
        self._names: dict[str, frozenset[str]] = {}
        #: --site: the build's output, the judge of the links of the pages it built.
        self._built = BuiltSite(options.site) if options.site else None
        #: Folders .gitignore keeps out of the repository: a build step writes them.
        self._ignored = IgnoredFolders()
        #: The row cache's (_rows.py): told each path a verdict reads, just before it is
        #: read; `consulted` then holds those paths by `key`.
        self.watch: Callable[[str], object] | None = None
        self.consulted: dict[tuple[str | None, ...], list[str]] = {}
        self._seen: list[str] = []

    def _folder(self, item: Classified) -> str:
        """The real folder of the article the link is written in."""
        display = os.path.dirname(item.link.file) or "."
        return self._roots.real.folder(display)

    def _site(self, item: Classified) -> Site | None:
        """The site generator that builds the article the link is written in, if any."""
        file = item.link.file
        if file == "-":
            return None
        if file not in self._site_of:
            article = os.path.join(self._folder(item), os.path.basename(file))
            self._site_of[file] = self._sites.governing(article)
        return self._site_of[file]

    def key(self, item: Classified) -> tuple[str | None, ...]:
        """What the outcome depends on: the target, or under a site generator the link as
        written and the page it is written on (its URL decides where the link leads)."""
        if self._site(item) is not None:
            return (item.link.file, item.link.url, item.fragment)
        if _from_server_root(item):  # judged by whether its server's root is known
            return (item.path, item.fragment, self._folder(item))
        return (item.path, item.fragment)

    def check(self, item: Classified) -> Outcome:
        """`item.path` exists (a folder is fine: GitHub lists it), and `item.fragment`,
        if any, names an anchor of the target; under a site generator, the page or file
        the built site serves at the link's URL."""
        assert item.path is not None
        if self.watch is not None:
            self._seen = self.consulted[self.key(item)] = []
        display = (item.target or "").partition("#")[0]
        if item.path == "-":
            return self.fragment("-", item.fragment, display)
        folder = self._folder(item)
        site = self._site(item)
        if site is not None:
            return self._on_site(site, item, folder)
        outcome = self._on_github(item, folder, display)
        if outcome.status is Status.BROKEN and self._sites.problems:
            # Under a generator config linkcheck could not read, the build decides
            # where the link leads; GitHub's rules are only a guess there.
            article = os.path.join(folder, os.path.basename(item.link.file))
            why = self._sites.unreadable(article)
            link_path = unquote(item.link.url.strip().partition("#")[0].partition("?")[0])
            repository = self._roots.repository(folder)
            if why is not None and not (link_path and self._nowhere(link_path, repository)):
                return Outcome(Status.UNVERIFIED, why)
        return outcome

    def _on_github(self, item: Classified, folder: str, display: str) -> Outcome:
        """As GitHub serves the link (no generator governs its article)."""
        assert item.path is not None
        route = self._github_route(item, folder)
        if route is not None:
            return Outcome(
                Status.SKIPPED, f"a page of the repository on GitHub ({route}), not a file"
            )
        self._saw(item.path)
        real, mode = self._roots.real.resolve(item.path)
        # Compare real paths so neither `../` nor a symlink can reach outside the repository.
        if not self._roots.allowed(folder, real):
            where = self._roots.repository(folder)
            return Outcome(Status.BROKEN, f"points outside the repository ({where})")
        if mode is not None and stat.S_ISDIR(mode):
            index = self._index_in(real, self._index_files or _READMES)
            if self._index_files and index is None:
                names = ", ".join(self._index_files)
                return Outcome(Status.BROKEN, f"folder {display} has none of {names}")
            if not item.fragment:
                return _OK
            if index is None:
                reason = f"folder {display} has no README to hold #{item.fragment}"
                return Outcome(Status.BROKEN, reason)
            real = index
        elif mode is None:
            fallback = next((real + e for e in self._fallbacks if self._file(real + e)), None)
            if fallback is None:
                if _from_server_root(item) and not self._served_from_root(folder):
                    return Outcome(Status.UNVERIFIED, UNKNOWN_SERVER_ROOT)
                return Outcome(Status.BROKEN, f"file not found: {display}{_route_hint(item)}")
            real = fallback
        return self.fragment(real, item.fragment, display)

    def _github_route(self, item: Classified, folder: str) -> str | None:
        """`../../issues` from the repository's root: GitHub shows a file at
        `/OWNER/REPO/blob/BRANCH/…`, so two steps above the root is the repository's own
        page, where `issues`, `wiki`, `releases`… are no files but GitHub's pages."""
        assert item.path is not None
        repository = self._roots.repository(folder)
        if _inside(item.path, repository):
            return None  # nothing above the root: the common case, without relpath
        parts = os.path.relpath(item.path, repository).split(os.sep)
        if parts[:2] != ["..", ".."] or (len(parts) > 2 and parts[2] not in _GITHUB_ROUTES):
            return None
        return "/".join(["OWNER/REPO", *parts[2:]])

    def _index_in(self, folder: str, names: Sequence[str]) -> str | None:
        paths = (os.path.join(folder, n) for n in names)
        return next((p for p in paths if self._file(p)), None)

    def _saw(self, path: str) -> None:
        """A path about to be read for a verdict: told to the row cache, if watching."""
        if self.watch is not None:
            self._seen.append(path)
            self.watch(path)

    def _file(self, path: str) -> bool:
        self._saw(path)
        return os.path.isfile(path)

    def _served_from_root(self, folder: str) -> bool:
        repository = self._roots.repository(folder)
        for name in _SITE_INDEXES:  # what Roots.serves_from_root looks for
            self._saw(os.path.join(repository, name))
        return self._roots.serves_from_root(folder)

    def _on_site(self, site: Site, item: Classified, folder: str) -> Outcome:
        if self._built is not None and (judged := self._in_build(site, item, folder)):
            return judged
        article = os.path.join(folder, os.path.basename(item.link.file))
        written = site.rewrite(self._rewrite(item.link.url.strip()), article)
        if written is None:
            reason = f"{site.name} template in the link target: only a build can evaluate it"
            return Outcome(Status.SKIPPED, reason)
        rest, _, fragment = written.partition("#")
        link_path = unquote(rest.partition("?")[0])
        anchor = unquote(fragment) if fragment else None
        if not link_path:
            return self.fragment(article, anchor, item.link.file, site)
        modules = site.module_root()
        if item.link.kind is Kind.IMPORT and modules is not None and link_path.startswith("/"):
            # An ES module import is read by the bundler from the project, not served.
            module = os.path.join(modules, *link_path.strip("/").split("/"))
            if self._file(module):
                return _OK
            return Outcome(Status.BROKEN, f"file not found: {os.path.relpath(module)}")
        if not link_path.startswith("/"):
            # A link to the source file itself: every generator but Hugo rewrites it.
            as_file = os.path.realpath(os.path.join(folder, link_path))
            if os.path.isfile(as_file) and site.copies_source(as_file):
                return self.fragment(as_file, anchor, link_path, site)
        found = site.reach(link_path, article)
        if isinstance(found, Found):
            if found.elsewhere is not None:  # a redirect to another site
                return Outcome(Status.OK, found.elsewhere)
            if found.path == site.config:  # a redirect stub, or a page a plugin writes
                if anchor and found.written_by is not None:
                    return Outcome(Status.UNVERIFIED, found.written_by.why())
                return _OK
            anchor = anchor if found.fragment is None else found.fragment
            return self.fragment(found.path, anchor, os.path.relpath(found.path), site)
        if found.decided_by is not None:
            return Outcome(Status.UNVERIFIED, found.decided_by.why())
        if found.skipped:
            reason = (
                f"leaves the {site.name} site for a sibling site on the same server: {found.url}"
            )
            return Outcome(Status.SKIPPED, reason)
        repository = self._roots.repository(site.root)
        for missing in self._missing_paths(site, found.url, link_path, folder):
            writer = self._ignored.writer_of(missing, repository)
            if writer is not None:
                return Outcome(Status.UNVERIFIED, writer.why())
        why = site.unverified_why("targets", url=found.url)
        if why is not None and not self._nowhere(link_path, repository):
            return Outcome(Status.UNVERIFIED, why)
        config = os.path.relpath(site.config)
        reason = (
            f"not found: served from {found.served_from} → {found.url} is no page or file "
            f"of the {site.name} site ({config})"
        )
        return Outcome(Status.BROKEN, reason)

    @staticmethod
    def _missing_paths(site: Site, url: str, link_path: str, folder: str) -> list[str]:
        """Where a target the site lacks would be on disk: under the source at its URL
        (or the article that would serve it there: `releases.md` for `/releases/`),
        and (a relative link) from the article's folder."""
        paths = []
        if url.startswith(site.mount):
            path = os.path.join(site.source, *url[len(site.mount) :].split("/"))
            paths.append(path)
            page = path.rstrip(os.sep)
            if page != site.source.rstrip(os.sep) and not os.path.splitext(page)[1]:
                paths += [page + suffix for suffix in ARTICLE_SUFFIXES]
        if not link_path.startswith("/"):
            paths.append(os.path.normpath(os.path.join(folder, link_path)))
        return paths

    def _nowhere(self, link_path: str, repository: str) -> bool:
        """Whether a link is broken whatever a site's extensions do: it names a source
        page (`x.md`) and no file of that name exists anywhere in the repository. A path
        without that suffix (`items.static`, `/guide/setup`, `/api/x.html`) may be a
        label, a route an extension maps or another build's page, so it is not."""
        name = link_path.rstrip("/").rpartition("/")[2]
        stem, dot, suffix = name.rpartition(".")
        if not dot or not stem or suffix.lower() not in _SOURCES:
            return False
        return name not in self._file_names(repository)

    def _file_names(self, repository: str) -> frozenset[str]:
        """Every file name in the repository, read once per run when first needed."""
        names = self._names.get(repository)
        if names is None:
            found: set[str] = set()
            for _, subdirs, files in os.walk(repository):
                subdirs[:] = [d for d in subdirs if d not in SKIPPED_DIRS and d != ".git"]
                found.update(files)
            names = self._names[repository] = frozenset(found)
        return names

    def _in_build(self, site: Site, item: Classified, folder: str) -> Outcome | None:
        """The verdict of the built site (--site) on a link of a page it built; None
        when the link cannot be traced there (the source rules judge it)."""
        assert self._built is not None
        article = os.path.join(folder, os.path.basename(item.link.file))
        built = self._built.trace(site, article, item.link)
        if built is None:
            return None
        page = self._built.display(built.page)
        if built.found is None:
            reason = f"not in the built site: {page} links to {built.href}, no file at {built.url}"
            return Outcome(Status.BROKEN, reason)
        if built.anchored is False:
            target = self._built.display(built.found)
            return Outcome(Status.BROKEN, f"no anchor #{built.fragment} in the built {target}")
        return _OK

    def no_destination(self, item: Classified) -> Outcome | None:
        """A link with no destination that the site generator does not make a link
        (None: a placeholder, as on GitHub)."""
        site = self._site(item)
        if site is None or item.link.url.strip():
            return None
        article = os.path.join(self._folder(item), os.path.basename(item.link.file))
        reason = site.no_destination(article)
        return None if reason is None else Outcome(Status.SKIPPED, reason)

    def passed_through(self, item: Classified) -> Outcome | None:
        """What reads as a link but the site generator passes through as it is (Hugo's
        passthrough delimiters around a formula): no link on the site (None: a link)."""
        site = self._site(item)
        if site is None:
            return None
        article = os.path.join(self._folder(item), os.path.basename(item.link.file))
        reason = site.no_link_at(article, item.link.line, item.link.column)
        return None if reason is None else Outcome(Status.SKIPPED, reason)

    def undefined(self, item: Classified) -> Outcome | None:
        """A reference with no definition, where the site generator resolves it (None:
        it is broken, as on GitHub)."""
        site = self._site(item)
        if site is None:
            return None
        article = os.path.join(self._folder(item), os.path.basename(item.link.file))
        defined = site.appended_definition(item.link.label or "", article)
        if defined is not None:
            return Outcome(Status.OK, f"defined in {os.path.relpath(defined)}, added by the build")
        reason = site.undefined_reference(item.link.label or "", article)
        if reason is not None:
            return Outcome(Status.SKIPPED, reason)
        why = site.unverified_why("references")  # a preprocessor may write the definition
        return None if why is None else Outcome(Status.UNVERIFIED, why)

    def generators(self) -> tuple[tuple[str, str], ...]:
        """The generators that governed some article, each with its config file."""
        used = sorted(self._sites.used.values(), key=lambda s: (len(s.config), s.config))
        return tuple((s.name, os.path.relpath(s.config).replace(os.sep, "/")) for s in used)

    def config_issues(self) -> list[FileIssue]:
        """Configs that could not be read, or a generator asked for and never found:
        warnings, their articles kept GitHub's rules."""
        issues = [
            FileIssue(os.path.relpath(config), f"{why}; GitHub's rules used instead", fatal=False)
            for config, why in self._sites.problems
        ]
        issues += [
            FileIssue(os.path.relpath(file), f"{why}; its redirect rules are not used", fatal=False)
            for file, why in self._sites.host_problems.items()
        ]
        unused = self._sites.unused_choice()
        if unused is not None:
            config, why = unused
            issues.append(FileIssue(config, f"{why}; GitHub's rules used instead", fatal=False))
        return issues

    def fragment(
        self, path: str, fragment: str | None, display: str, site: Site | None = None
    ) -> Outcome:
        # A text fragment (`#:~:text=…`) is a directive the browser takes off before it
        # looks an id up (`#id:~:text=…` still looks up `id`): the page opens anyway.
        fragment = (fragment or "").partition(":~:")[0]
        # `#top` (in any case) or an empty fragment always scrolls to the top of the page.
        if not fragment or fragment.lower() == "top":
            return _OK
        lowered = path.lower()
        if path != "-":
            self._saw(path)
        if path == "-" or lowered.endswith(ARTICLE_SUFFIXES + _OTHER_ARTICLES):
            anchors = self._anchors_of(path)
        elif lowered.endswith(HTML_SUFFIXES):
            if path not in self._html_anchors:
                self._html_anchors[path] = _html_file_anchors(path)
            anchors = self._html_anchors[path]
        else:
            return _OK  # no anchors to check in an image or a PDF
        if anchors is None:
            return Outcome(Status.BROKEN, f"cannot read {display} to check #{fragment}")
        slugger = None if site is None else site.heading_slugger()
        if slugger is not None and lowered.endswith(_MARKDOWN):
            # The site's own function gives the headings their ids: a heading's
            # GitHub-style slug among `anchors` stands in for an id linkcheck cannot know.
            explicit, texts = self._headings(path)
            spelled = None if fragment in explicit else spelled_heading(texts, fragment)
            if spelled is not None:
                return _OK if spelled else Outcome(Status.UNVERIFIED, slugger.why())
        match = _fragment_match(site, lowered)
        if has_anchor(anchors, fragment, match):
            return _OK
        extra = frozenset() if site is None else self._site_anchors(site, path)
        if has_anchor(extra, fragment, match):
            return _OK
        why = None if site is None else site.unverified_why("anchors", path, fragment, anchors)
        if why is not None:  # an extension may give the page that id
            return Outcome(Status.UNVERIFIED, why)
        reason = f"no heading or anchor #{fragment} in {display}"
        near = same_but_case(anchors | extra, fragment)
        if near is not None:  # the fix: the id as the page writes it
            reason += f": the page has #{near}; ids match case-sensitively"
        return Outcome(Status.BROKEN, reason)

    def _headings(self, path: str) -> tuple[frozenset[str], list[str]]:
        """A markdown page's explicit heading ids, and its other headings' texts."""
        if path not in self._heading_texts:
            try:
                with open_regular(path) as file:
                    text = file.read(_HTML_LIMIT).decode("utf-8", errors="replace")
            except OSError:
                text = ""
            texts = heading_texts(text)
            ids = [explicit_id(t) for t in texts]
            explicit = frozenset(filter(None, ids))
            plain = [t for t, own in zip(texts, ids, strict=True) if own is None]
            self._heading_texts[path] = (explicit, plain)
        return self._heading_texts[path]

    def _site_anchors(self, site: Site, path: str) -> frozenset[str]:
        """The ids `site` gives the page built from `path` beyond its headings'."""
        key = (site.config, path)
        if key not in self._extra_anchors:
            self._extra_anchors[key] = site.extra_anchors(path, self._anchors_of)
        return self._extra_anchors[key]


def _fragment_match(site: Site | None, target: str) -> FragmentMatch:
    """How the browser finds the fragment's element: exactly on a generator's site and on
    an HTML file (what a server sends as it is), as GitHub's page script does on the
    markdown GitHub renders (`target`: the target's path, lowercased)."""
    if site is not None:
        return site.fragments
    return FragmentMatch.EXACT if target.endswith(HTML_SUFFIXES) else FragmentMatch.GITHUB


def _html_file_anchors(path: str) -> frozenset[str] | None:
    try:
        with open_regular(path) as file:
            text = file.read(_HTML_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return None
    return frozenset(html_anchors(text))
