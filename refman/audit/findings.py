"""What an audit reports: findings with a code, a severity and a message.

A finding is data, not text: the CLI prints it as a line, a GitHub annotation
or JSON, and CI decides from its severity whether the run fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
Status = Literal["ok", "warning", "error"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
"""Order of severities, so ``--fail-on warning`` also fails on errors."""


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth knowing) about one entry.

    ``code`` is stable for scripts (``year_mismatch``, ``retracted`` ...);
    ``field`` names the CSL field concerned, when there is one; ``message``
    says what is wrong and what the record says, for people.
    """

    code: str
    severity: Severity
    message: str
    field: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The finding as the ``check --format json`` object."""
        return {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "message": self.message,
        }


def status_of(findings: Iterable[Finding]) -> Status:
    """``error`` if any finding is an error, ``warning`` if any warns, else ``ok``.

    Informational findings (a correction notice exists) leave an entry ``ok``.
    """
    worst = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    if worst == SEVERITY_RANK["error"]:
        return "error"
    if worst == SEVERITY_RANK["warning"]:
        return "warning"
    return "ok"


def at_or_above(findings: Iterable[Finding], threshold: Severity) -> bool:
    """True when some finding is at least as severe as ``threshold``."""
    floor = SEVERITY_RANK[threshold]
    return any(SEVERITY_RANK[f.severity] >= floor for f in findings)
