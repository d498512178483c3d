"""Stage 1 for the web: pages given as URLs, and with --recursive the pages of their
sites, read as HTML articles (`_crawler`), within a scope and bounds against traps
(`_scope`), as the sites' robots.txt allows (`_robots`)."""

from ._crawler import Crawl, crawl, is_web

__all__ = ["Crawl", "crawl", "is_web"]
