"""From field agreements to a calibrated confidence and a decision (pure).

Search rank and Crossref's ``score`` are never trusted alone: each candidate
gets a confidence from its own evidence, then two rules look across the
candidates. *Chimera*: when the best-supported candidate's title is not the
reference's title but another record's title is, the reference mixes two
papers and nothing is matched. *Ambiguity*: when two candidates are close, the
user decides. The weights were tuned on half of the development set and the
confidence calibrated on it (``docs/benchmarks.md`` shows the table): of the
matches at confidence >= 0.9, at least 99% were right on the other half.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from refman.matching.evidence import Evidence, Reference, compare

Status = Literal["matched", "ambiguous", "unmatched"]

WEIGHTS = {"year": 1.0, "volume": 1.2, "page": 1.5, "author": 0.8, "issue": 0.3}
CONTAINER_WEIGHT = 0.6
TITLE_WEIGHT = 8.0
TITLE_PIVOT = 0.58
"""Title similarity that counts as neutral: translated titles score above, chimeras below."""
SLOPE = 1.5
OFFSET = 2.4
SAME_TITLE = 0.93
"""Title similarity at which a record is taken to be the paper the title names."""
MIN_OWNER_WORDS = 4
REJECTED = 0.02
CHIMERA_CAP = 0.1
AMBIGUITY_MARGIN = 0.05


@dataclass(frozen=True)
class Scored:
    """One candidate with its evidence, confidence and the reason for it."""

    record: dict[str, Any]
    evidence: Evidence
    confidence: float
    reason: str

    @property
    def doi(self) -> str:
        """The candidate's DOI."""
        return str(self.record.get("DOI", ""))

    def why(self) -> dict[str, Any]:
        """The evidence and reason, for people reading the output."""
        return {**self.evidence.as_dict(), "reason": self.reason}


def confidence(evidence: Evidence) -> tuple[float, str]:
    """The confidence of one candidate from its own evidence, with a reason."""
    reason = veto(evidence)
    if reason:
        return REJECTED, reason
    support = sum(weight * getattr(evidence, name) for name, weight in WEIGHTS.items())
    support += CONTAINER_WEIGHT * evidence.container
    support += TITLE_WEIGHT * (evidence.title - TITLE_PIVOT)
    if evidence.bare:
        support -= 2.0
    value = 1.0 / (1.0 + math.exp(-SLOPE * (support - OFFSET)))
    return round(value, 4), "fields agree" if value >= 0.5 else "weak agreement"


def veto(evidence: Evidence) -> str:
    """A reason that rules the candidate out whatever else agrees, or ''."""
    if evidence.notice:
        return "a correction/erratum notice, not the work itself"
    if evidence.preprint and evidence.bare:
        return "a preprint without volume/pages; the reference cites a published version"
    if evidence.numbers_disagree:
        return "year, volume or first page contradict the reference"
    return ""


def score_candidates(ref: Reference, records: Sequence[dict[str, Any]]) -> list[Scored]:
    """Every candidate scored, best first, with the chimera rule applied."""
    scored = []
    for record in records:
        evidence = compare(ref, record)
        value, reason = confidence(evidence)
        scored.append(Scored(record, evidence, value, reason))
    scored.sort(key=lambda s: s.confidence, reverse=True)
    return _chimera_check(scored)


def _chimera_check(scored: list[Scored]) -> list[Scored]:
    """Demote the top candidate when another record owns the reference's title."""
    if not scored or scored[0].evidence.title >= SAME_TITLE:
        return scored
    owner = next((s for s in scored[1:] if _owns_title(s)), None)
    if owner is None:
        return scored
    top = scored[0]
    demoted = Scored(
        top.record,
        top.evidence,
        min(top.confidence, CHIMERA_CAP),
        f"its numbers agree but the title is that of {owner.doi}: a mixed-up reference",
    )
    return sorted([demoted, *scored[1:]], key=lambda s: s.confidence, reverse=True)


def _owns_title(candidate: Scored) -> bool:
    """The reference's title is this record's title: a long enough title that agrees.

    Short titles ("Emergency medicine") also occur inside journal names and prove nothing.
    """
    title = candidate.record.get("title")
    text = title[0] if isinstance(title, list) and title else str(title or "")
    return (
        candidate.evidence.title >= SAME_TITLE
        and len(text.split()) >= MIN_OWNER_WORDS
        and not candidate.evidence.notice
    )


def decide(scored: Sequence[Scored], min_confidence: float) -> tuple[Status, Scored | None]:
    """matched (best clears the bar, no close rival), ambiguous, or unmatched."""
    if not scored or scored[0].confidence < min_confidence:
        return "unmatched", None
    best = scored[0]
    rival = scored[1] if len(scored) > 1 else None
    if rival is not None and best.confidence - rival.confidence < AMBIGUITY_MARGIN:
        return "ambiguous", best
    return "matched", best
