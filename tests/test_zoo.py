"""Every behaviour of the zoo (tests/zoo.py: real sites' behaviours from link checkers'
issue trackers, imitated on loopback) judged as an editor expects (#22)."""

from __future__ import annotations

import pytest

from linkcheck import Status
from zoo import ZOO, Behaviour, judge


@pytest.fixture(scope="module")
def verdicts() -> dict[str, tuple[Status, str | None]]:
    return judge()  # the whole zoo at once, against one bounded loopback server


@pytest.mark.parametrize("behaviour", ZOO, ids=[b.name for b in ZOO])
def test_the_zoo(behaviour: Behaviour, verdicts: dict[str, tuple[Status, str | None]]) -> None:
    status, reason = verdicts[behaviour.name]
    assert status in behaviour.expect, (status, reason, behaviour.thread)


def test_the_zoo_is_large_and_sourced() -> None:
    assert len(ZOO) >= 100
    assert len({b.name for b in ZOO}) == len(ZOO)
    assert all(b.thread.startswith("https://github.com/") for b in ZOO)


def test_unverified_reasons_are_shared_whys(
    verdicts: dict[str, tuple[Status, str | None]],
) -> None:
    # The summaries group unverified rows by reason: it is the why, not the link.
    whys = {reason for status, reason in verdicts.values() if status is Status.UNVERIFIED}
    assert whys and all(
        reason is not None and "#" not in reason.replace("#/", "") for reason in whys
    )
    assert len(whys) <= 5, whys
