"""On-disk cache of lookup answers (Crossref, doi.org, arXiv, NCBI, Open Library).

SQLite in the cache directory: one file, safe when several refman processes
run at once (WAL journal, a busy timeout instead of "database is locked"), and
fast enough that a second run over the same references is bound by matching,
not by lookups. Entries expire after ``max_age_days``; ``refresh`` ignores what
is stored and overwrites it. Answers that say "no such record" (404) are
cached too, so a reference that has no DOI is not searched again and again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from refman.errors import ConfigError

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    stored REAL NOT NULL,
    status INTEGER NOT NULL,
    body BLOB NOT NULL
)
"""


class Cache:
    """Key -> (status, body) with an age limit; thread-safe within one process."""

    FILENAME = "lookups.sqlite"

    def __init__(self, directory: Path, max_age_days: float = 30, *, refresh: bool = False):
        self.path = directory / self.FILENAME
        self.max_age = max_age_days * 86400
        self.refresh = refresh
        self._lock = threading.Lock()
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot use the cache at {self.path} ({exc}); "
                "choose another place with --cache-dir"
            ) from exc

    def get(self, key: str) -> tuple[int, bytes] | None:
        """The stored answer for ``key`` when present, fresh, and not being refreshed."""
        if self.refresh:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT stored, status, body FROM answers WHERE key = ?", (key,)
            ).fetchone()
        if row is None or time.time() - row[0] > self.max_age:
            return None
        return int(row[1]), bytes(row[2])

    def put(self, key: str, status: int, body: bytes) -> None:
        """Store an answer (replacing an older one)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (key, stored, status, body) VALUES (?, ?, ?, ?)",
                (key, time.time(), status, body),
            )
            self._db.commit()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
