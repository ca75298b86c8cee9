"""The 30-second rule for Vernieuwen (baz_data.quota)."""
from __future__ import annotations

import pytest

from baz_data.quota import REFRESH_INTERVAL, refresh_wait


@pytest.mark.parametrize("last, now, wait", [
    (None, 1000.0, 0.0),          # never refreshed: now
    (1000.0, 1000.0, 30.0),       # just refreshed: a full interval
    (1000.0, 1012.5, 17.5),
    (1000.0, 1029.9, 0.1),
    (1000.0, 1030.0, 0.0),        # exactly 30 s later: allowed
    (1000.0, 5000.0, 0.0),
    (1000.0, 900.0, 30.0),        # a clock that went back never waits longer than 30 s
], ids=["never", "just-now", "halfway", "almost", "exactly-30s", "long-ago", "clock-back"])
def test_one_refresh_per_30_seconds(last, now, wait):
    assert REFRESH_INTERVAL == 30.0
    assert refresh_wait(last, now) == pytest.approx(wait)


def test_the_interval_can_be_given():
    assert refresh_wait(0.0, 5.0, interval=10.0) == 5.0
    assert refresh_wait(0.0, 10.0, interval=10.0) == 0.0
