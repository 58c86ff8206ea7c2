"""Audit references: findings from an entry and the record of its DOI (pure, no I/O).

The service (``refman.services.check``) looks records up and feeds them here:

- ``audit_record(entry, record, raw)``: agreement field by field, plus the
  record's updates (retraction, correction, notice, preprint);
- ``chimera_finding(entry, record, others)``: the entry's title belongs to another work;
- ``doi_not_found(doi)``, ``no_match()``: existence; ``corroborates(entry, record, raw)``:
  a record the resolver was unsure of is nevertheless the entry's work;
- ``entry_hygiene(entry)``, ``library_hygiene(entries, find_duplicate)``: no lookup needed.
"""

from __future__ import annotations

from refman.audit.agreement import (
    chimera_finding,
    compare,
    corroborates,
    describe,
    journal_agrees,
)
from refman.audit.findings import SEVERITY_RANK, Finding, Severity, Status, at_or_above, status_of
from refman.audit.hygiene import (
    DOI_PATTERN,
    clean_doi,
    entry_hygiene,
    isbn_valid,
    issn_valid,
    library_hygiene,
)
from refman.audit.updates import update_findings
from refman.model import CslItem

__all__ = [
    "DOI_PATTERN",
    "SEVERITY_RANK",
    "Finding",
    "Severity",
    "Status",
    "at_or_above",
    "audit_record",
    "chimera_finding",
    "clean_doi",
    "compare",
    "corroborates",
    "describe",
    "doi_not_found",
    "entry_hygiene",
    "isbn_valid",
    "issn_valid",
    "journal_agrees",
    "library_hygiene",
    "no_match",
    "status_of",
    "update_findings",
]


def audit_record(entry: CslItem, record: CslItem, raw: str | None = None) -> list[Finding]:
    """Everything the record says about the entry: disagreements, then updates."""
    return [*compare(entry, record, raw), *update_findings(record)]


def doi_not_found(doi: str) -> Finding:
    """The DOI is registered with no agency: the reference or its DOI is wrong."""
    return Finding(
        "doi_not_found",
        "error",
        f"DOI {doi} does not exist at any registration agency: "
        "check the DOI, or that this reference exists",
        "DOI",
    )


def no_match(detail: str | None = None) -> Finding:
    """An entry without DOI resolved to no record."""
    suffix = f" ({detail})" if detail else ""
    return Finding(
        "no_match",
        "error",
        f"no matching record found: check that this reference exists{suffix}",
        None,
    )
