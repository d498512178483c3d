"""The quick word checks in front of the parked-domain and bot-wall patterns never change
an answer: a body the patterns would match always holds one of the words."""

from __future__ import annotations

import httpx
from hypothesis import given
from hypothesis import strategies as st

from linkcheck._remote import _walls

PARKED = [
    "this domain is for sale", "This Domain Name May Be For Sale", "buy this domain",
    "domain is parked", "parked free", "parkingcrew", "sedoparking", "bodis.com",
    "dan.com/buy-domain", "afternic", "hugedomains.com", "the domain example.org is for sale",
    "parked domain", "domain has expired", "this domain has been registered",
    "inquire about this domain",
]  # fmt: skip
WALLS = [
    "checking your browser", "Just a moment...", "/cdn-cgi/challenge-platform", "cf-chl-",
    "errors/validateCaptcha", "robot check", "type the characters you see",
    "enter the characters you see", "are you a robot", "unusual traffic from your computer",
]  # fmt: skip
FILLER = ["the", "report", "port", "<p>", "</p>", "<title>", "</title>", "domains", "moments"]
NO_HEADERS = httpx.Headers()


def _mixed_case(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if flips[i % len(flips)] else c for i, c in enumerate(text))


pieces = st.sampled_from(PARKED + WALLS + FILLER)
bodies = st.builds(
    lambda words, flips: _mixed_case(" ".join(words), flips).encode(),
    st.lists(pieces, max_size=12),
    st.lists(st.booleans(), min_size=1, max_size=7),
)


@given(bodies)
def test_parked_as_the_pattern_alone_says(body: bytes) -> None:
    sample = body[: _walls.HEAD_SAMPLE]
    alone = (
        _walls._PARKED.search(sample) is not None
        and _walls.visible_text_length(sample) < _walls.PARKED_TEXT
    )
    assert _walls.is_parked(body) == alone


@given(bodies, st.sampled_from([403, 429, 503]))
def test_bot_wall_as_the_pattern_alone_says(body: bytes, status: int) -> None:
    alone = _walls._WALL_TEXT.search(body[: _walls.HEAD_SAMPLE]) is not None
    assert _walls.is_bot_wall(status, NO_HEADERS, body) == alone


def test_every_phrase_is_found_in_any_case() -> None:
    for phrase in PARKED:
        assert _walls.is_parked(f"<p>{phrase.upper()}</p>".encode()), phrase
    for phrase in WALLS:
        assert _walls.is_bot_wall(403, NO_HEADERS, f"<p>{phrase.upper()}</p>".encode()), phrase
