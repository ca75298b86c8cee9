"""The shared read quota: how often the app may read the source again on request.

Google allows the service account 60 read requests a minute, for all viewers together, and
Vernieuwen clears the data every viewer shares. So a refresh on request is limited for the whole
app (not per session): at most one per :data:`REFRESH_INTERVAL` seconds. The app keeps the
moment of the last refresh (app_state, under a lock); the rule lives here, without Streamlit, so
it is tested without an app.

Error policy: none to speak of; a refresh that is too early is not an error, the caller shows
when it can happen again.
"""
from __future__ import annotations

REFRESH_INTERVAL = 30.0   # seconds between two refreshes on request, server-wide


def refresh_wait(last: float | None, now: float, interval: float = REFRESH_INTERVAL) -> float:
    """Seconds until the next refresh may happen; 0.0 when it may happen now.

    ``last`` and ``now`` are moments on one monotonic clock (``last`` None: never refreshed).
    Exactly ``interval`` seconds after the last refresh the next one is allowed. A ``last`` in
    the future (a clock that jumped) waits at most one ``interval``.
    """
    if last is None:
        return 0.0
    return min(max(0.0, last + interval - now), interval)
