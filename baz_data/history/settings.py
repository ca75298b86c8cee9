"""Which database holds the history, following Streamlit's ``st.connection(type="sql")``.

In this order: ``--history URL`` (a SQLAlchemy URL), the environment variable ``BAZ_HISTORY``,
``url`` in ``[connections.history]`` of secrets.toml, and otherwise a SQLite file
``.streamlit/baz-history.sqlite3`` in the working directory (no configuration needed)::

    [connections.history]
    url = "postgresql+psycopg://baz:…@db.example.org/baz"

``configured_history_url`` is the same without the fallback when that file is not there: for a
command that only reads history when there is one (``export``), so it never creates a database.

Error policy: an unreadable secrets file or a ``url`` that is not text is a Dutch SourceError
(through :func:`baz_data.config.load_settings`).
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

from ..config import load_settings
from ..sources import SourceError

HISTORY_ENV = "BAZ_HISTORY"
DEFAULT_PATH = Path(".streamlit") / "baz-history.sqlite3"


def history_url(explicit: str | None = None, secrets_path: str | None = None) -> str:
    if explicit:
        return explicit
    if os.environ.get(HISTORY_ENV):
        return os.environ[HISTORY_ENV]
    settings = load_settings(secrets_path)
    if settings.path is not None:
        data = tomllib.loads(settings.path.read_text(encoding="utf-8"))
        section = data.get("connections", {}).get("history", {})
        url = section.get("url") if isinstance(section, dict) else None
        if url is not None and not isinstance(url, str):
            raise SourceError(f"'url' in [connections.history] van '{settings.path}' moet tekst "
                              "zijn (tussen aanhalingstekens).")
        if url and url.strip():
            return url.strip()
    return f"sqlite:///{DEFAULT_PATH}"


def configured_history_url(explicit: str | None = None,
                           secrets_path: str | None = None) -> str | None:
    """``history_url``, or None when it would be the default SQLite file and that file does not
    exist (no history configured, none recorded here)."""
    url = history_url(explicit, secrets_path)
    if url == f"sqlite:///{DEFAULT_PATH}" and not DEFAULT_PATH.exists():
        return None
    return url
