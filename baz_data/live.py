"""Following the source live: when to probe it, and when to read it again (no Streamlit here).

The app keeps ONE :class:`Watch` per source for the whole server (app_state, in
``st.cache_resource``, under a lock), however many people look. The rules:

* **One probe per interval, server-wide.** A probe (``Source.probe``: Drive's version of the
  spreadsheet, a workbook file's mtime) is due ``interval`` seconds after the previous one, and
  only one runs at a time (:meth:`Watch.claim`, then :meth:`Watch.answered` or
  :meth:`Watch.failed`). The clock rule is baz_data.quota's: a clock that jumps waits at most one
  interval.
* **Read only when the stamp moved.** The data on the server carries the stamp a probe saw just
  before the read that produced it (:meth:`Watch.read_done`). A probe that sees another stamp
  asks for one read; a stamp that moves during a read is simply seen by the next probe. A read
  that fails leaves the stamp as it was, so the next probe asks again.
* **Following** (:attr:`Watch.following`): the last probe answered and the data's stamp is known.
  Only then may the app keep its data past the cache time, because the source changes only when
  the probe says so. Otherwise (probing unavailable, a probe failing, not probed yet) the app
  reads by its cache time, as it did before probing existed.
* **Unavailable** probing (the Drive API switched off, a missing scope: sources.ProbeUnavailable)
  is tried again only after ``fallback`` seconds (the cache time), so switching the API on later
  is noticed within one cache time; :meth:`Watch.failed` says when it *became* unavailable, so the
  app logs it once, not every interval.
* A probe that answers None means the source never changes (the bundled demo): ``static``.

Error policy: nothing is raised; a failed probe is a state with its Dutch message.
"""
from __future__ import annotations

from dataclasses import dataclass

from .quota import refresh_wait

DEFAULT_PROBE_INTERVAL = 15.0       # seconds; ≈ 240 Drive calls an hour, for the whole server
TICKS_PER_PROBE = 3                 # each open page checks for new data this often per probe


def tick_interval(probe_interval: float) -> float:
    """How often an open page checks whether new data arrived on the server (no network: a look
    at the shared state). Three checks per probe interval keep the edit-to-screen time within
    one interval plus a third (plus the read), for every viewer, not only the one whose check
    happened to run the probe."""
    return probe_interval / TICKS_PER_PROBE


@dataclass
class Watch:
    interval: float                 # seconds between two probes
    fallback: float                 # seconds between two probes while probing is unavailable
    stamp: str | None = None        # the stamp of the data the server holds (None: unknown)
    seen: str | None = None         # what the last probe that answered saw
    last: float | None = None       # monotonic moment of the last probe claimed
    busy: bool = False              # a probe is under way
    unavailable: str | None = None  # Dutch: why probing cannot work (until a setting changes)
    failure: str | None = None      # Dutch: why the last probe failed (the next one may work)
    static: bool = False            # the source never changes (its probe answered None)
    probes: int = 0                 # probes claimed since start (for the figures)

    @property
    def following(self) -> bool:
        """The app may trust the probe: data changes only when it says so."""
        return (self.unavailable is None and self.failure is None
                and (self.static or self.stamp is not None))

    def wait(self, now: float) -> float:
        """Seconds until the next probe is due (0.0: now)."""
        period = self.fallback if self.unavailable else self.interval
        return refresh_wait(self.last, now, period)

    def claim(self, now: float, force: bool = False) -> bool:
        """Take the probe that is due (``force``: one before a read, due or not); False when
        another is under way or none is due. The caller holds the lock."""
        if self.busy or self.static or (not force and self.wait(now) > 0):
            return False
        self.busy, self.last = True, now
        self.probes += 1
        return True

    def answered(self, stamp: str | None) -> bool:
        """The probe answered ``stamp``; True when the source must be read again."""
        self.busy = False
        self.unavailable = self.failure = None
        self.seen = stamp
        if stamp is None:
            self.static = True
            return False
        return stamp != self.stamp

    def failed(self, message: str, unavailable: bool) -> bool:
        """The probe failed (``unavailable``: until a setting changes); True when probing has
        just become unavailable (say so once)."""
        self.busy = False
        if unavailable:
            newly = self.unavailable is None
            self.unavailable, self.failure = message, None
            return newly
        self.failure = message
        return False

    def read_done(self, stamp: str | None) -> None:
        """A read succeeded that started after a probe saw ``stamp`` (None: no probe answered
        before it, so the next answer will ask for a read)."""
        self.stamp = stamp
