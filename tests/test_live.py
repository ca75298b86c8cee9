"""baz_data.live.Watch: one probe per interval for the whole server, a read only when the stamp
moved, and when the app may trust the probe (following)."""
from __future__ import annotations

import pytest

from baz_data.live import Watch, tick_interval


def watch() -> Watch:
    return Watch(interval=15.0, fallback=300.0)


def test_one_probe_per_interval_and_one_at_a_time():
    w = watch()
    assert w.claim(100.0)
    assert not w.claim(100.0)                  # under way
    w.answered("v1")
    assert not w.claim(114.9)                  # 15 s after the last one, not before
    assert w.claim(115.0)
    assert w.probes == 2


def test_a_forced_probe_before_a_read_need_not_be_due_but_not_twice_at_once():
    w = watch()
    assert w.claim(100.0) and not w.claim(101.0, force=True)
    w.answered("v1")
    assert w.claim(101.0, force=True)


def test_a_read_only_when_the_stamp_moved():
    w = watch()
    w.claim(0.0)
    assert w.answered("v1")                    # nothing read yet at a known stamp
    w.read_done("v1")
    for t in (15.0, 30.0, 45.0):
        w.claim(t)
        assert not w.answered("v1")
    w.claim(60.0)
    assert w.answered("v2")
    w.claim(75.0)
    assert w.answered("v2")                    # the read failed (no read_done): ask again
    w.read_done("v2")
    w.claim(90.0)
    assert not w.answered("v2")


def test_following_only_while_the_probe_answers_and_the_data_stamp_is_known():
    w = watch()
    assert not w.following                     # never probed: the cache time rules
    w.claim(0.0)
    w.answered("v1")
    assert not w.following                     # the data's stamp is not known yet
    w.read_done("v1")
    assert w.following
    w.claim(15.0)
    assert not w.failed("Google Drive heeft een storing (HTTP 503).", unavailable=False)
    assert not w.following and w.failure
    w.claim(30.0)
    w.answered("v1")
    assert w.following and w.failure is None


def test_unavailable_is_said_once_and_retried_after_the_fallback_time():
    w = watch()
    w.claim(0.0)
    assert w.failed("De Google Drive API staat niet aan …", unavailable=True)   # newly: log it
    assert not w.following
    assert not w.claim(15.0) and not w.claim(299.0)
    assert w.claim(300.0)
    assert not w.failed("De Google Drive API staat niet aan …", unavailable=True)  # not again
    assert w.claim(600.0)
    w.answered("v9")                           # switched on meanwhile
    assert w.unavailable is None and w.wait(601.0) == pytest.approx(14.0)


def test_a_source_that_never_changes_is_static_and_never_probed_again():
    w = watch()
    w.claim(0.0)
    assert not w.answered(None)
    assert w.static and w.following
    assert not w.claim(1000.0) and not w.claim(1000.0, force=True)


def test_a_clock_that_jumps_back_waits_at_most_one_interval():
    w = watch()
    w.claim(1000.0)
    w.answered("v1")
    assert w.wait(10.0) == 15.0                # the clock went back 990 s


@pytest.mark.parametrize("interval, tick", [(15.0, 5.0), (3.0, 1.0), (1.5, 0.5)])
def test_pages_check_three_times_per_probe(interval, tick):
    assert tick_interval(interval) == pytest.approx(tick)
