"""Candidate scoring and the match decision (pure: no I/O).

``Reference`` prepares a reference string once; ``score_candidates`` scores
Crossref records against it; ``decide`` turns the scores into
matched / ambiguous / unmatched.
"""

from refman.matching.decide import Scored, Status, decide, score_candidates
from refman.matching.evidence import Evidence, Reference, compare, normalise

__all__ = [
    "Evidence",
    "Reference",
    "Scored",
    "Status",
    "compare",
    "decide",
    "normalise",
    "score_candidates",
]
