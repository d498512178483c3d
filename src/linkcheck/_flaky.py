"""The flaky policy: a transient failure of a target that worked before is reported
but does not fail the run until it has failed several checks in a row."""

from __future__ import annotations

from dataclasses import replace

from ._models import WORKING_STATUSES, Cause, Outcome, Status


def is_transient(outcome: Outcome) -> bool:
    """A failure that may pass on its own: a timeout, a dropped connection, a 5xx, a 429.
    A 404, a 410, a vanished DNS name or a placeholder is hard evidence."""
    if outcome.status in (Status.TIMEOUT, Status.RATE_LIMITED):
        return True
    if outcome.status is Status.UNREACHABLE:
        return outcome.cause is not Cause.DNS
    return (
        outcome.status is Status.BROKEN
        and outcome.cause is Cause.HTTP_STATUS
        and (outcome.http_status or 0) >= 500
    )


def apply_flaky_policy(outcome: Outcome, history: list[Status], threshold: int) -> Outcome:
    """Mark a transient failure of a target that worked before as flaky (reported, not
    failing the run) until it has failed `threshold` checks in a row, this one included."""
    if threshold <= 1 or not is_transient(outcome):
        return outcome
    worked = [status in WORKING_STATUSES for status in history]
    if not any(worked):
        return outcome
    in_a_row = 1 + next((i for i, ok in enumerate(worked) if ok), len(worked))
    if in_a_row >= threshold:
        return outcome
    checks = f"{in_a_row} check{'s' * (in_a_row != 1)}"
    note = f"flaky: failed {checks} in a row after working; fails the run at {threshold}"
    reason = f"{outcome.reason} ({note})" if outcome.reason else note
    return replace(outcome, reason=reason, flaky=True)
