"""Belgian local time. Servers often run on UTC; users read dates and times in Brussels."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Brussels")


def local_now() -> dt.datetime:
    """Now in Belgian local time, without tzinfo (what "gegevens van 14:02" shows)."""
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None)


def local_today() -> dt.date:
    """Today's date in Belgium (the default peildatum), not the server's UTC date."""
    return local_now().date()
