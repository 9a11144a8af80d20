"""Budgets for waiting on the UI: written for this machine, multiplied so they still hold on one four
times slower (a wait ends as soon as its condition holds, so a larger budget costs nothing when green)."""
import os

SLOWDOWN = float(os.environ.get("TEST_WAIT_FACTOR", "4"))


def budget(seconds: float) -> float:
    return seconds * SLOWDOWN


def retries(count: int) -> int:
    return int(count * SLOWDOWN)
