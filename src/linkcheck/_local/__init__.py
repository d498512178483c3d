"""Stage 4a, resolve local targets: on disk, as GitHub serves them or as a site generator
builds them (`_generators`).

`_resolver` holds `Roots` (where root-relative links start, and which folders a link may
reach: the classify stage asks it too), `TargetRewrite` (`remap` and `base_url`) and
`LocalResolver` (a target's file, folder or page, and its `#fragment`).
"""

from ._resolver import AnchorLookup, LocalResolver, Roots, TargetRewrite

__all__ = ["AnchorLookup", "LocalResolver", "Roots", "TargetRewrite"]
