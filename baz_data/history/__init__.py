"""The dashboard's memory: every distinct state of the sheets, stored as row versions.

- :mod:`.codec` turns typed cells into JSON and back without loss, and gives each row its key;
- :mod:`.tables` declares the database schema and its migrations (a versioned schema);
- :mod:`.store` writes snapshots (one transaction each) and reads a past state back;
- :mod:`.source` is ``SnapshotSource``, a :class:`baz_data.sources.Source` over the past;
- :mod:`.settings` says which database to use (``--history``, ``BAZ_HISTORY``, secrets, default);
- :mod:`.commands` the command-line side (``snapshot``, ``changes``, ``summary --as-of``);
- :mod:`.closes` closed quarters: closes, frozen statement lines, the audit list (schema v2);
- :mod:`.close_commands` ``close-quarter`` and ``reopen-quarter``.

Nothing here is imported by ``import baz_data.history`` itself, so the command line pays for
SQLAlchemy only when a command uses the history.

Error policy: every database failure becomes a ``HistoryError`` (a Dutch
:class:`~baz_data.sources.SourceError`), the English detail to the log.
"""
