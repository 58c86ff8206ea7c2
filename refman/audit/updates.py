"""Retractions, corrections and other updates of a record (pure).

Crossref puts notices that update a work in the work's ``updated-by`` list,
set by the publisher (``source: publisher``) or derived from Retraction Watch
(``source: retraction-watch``); either may be missing, so both are read and
the same notice from both sources is reported once. The notice itself carries
``update-to``; a preprint points at its published version through
``relation.is-preprint-of``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from refman.audit.findings import Finding, Severity
from refman.audit.records import date_text, record_list, record_value
from refman.model import CslItem, text_field

_KINDS: dict[str, tuple[str, Severity, str]] = {
    "retraction": ("retracted", "error", "retracted"),
    "partial_retraction": ("partially_retracted", "warning", "partially retracted"),
    "removal": ("retracted", "error", "removed"),
    "withdrawal": ("withdrawn", "error", "withdrawn"),
    "expression_of_concern": ("expression_of_concern", "warning", "under an expression of concern"),
    "correction": ("corrected", "info", "corrected"),
    "erratum": ("corrected", "info", "corrected"),
    "corrigendum": ("corrected", "info", "corrected"),
    "addendum": ("corrected", "info", "amended by an addendum"),
}
"""Update type -> (finding code, severity, what happened to the work)."""

_OTHER_KIND: tuple[str, Severity, str] = ("updated", "info", "updated")


def _kind(update: dict[str, Any]) -> tuple[str, Severity, str]:
    name = str(update.get("type", "")).strip().lower().replace("-", "_").replace(" ", "_")
    return _KINDS.get(name, _OTHER_KIND)


def update_findings(record: CslItem) -> list[Finding]:
    """Findings for the notices that update the work, for the work being a notice,
    and for a preprint whose published version exists."""
    return [*_updated_by(record), *_update_to(record), *_preprint(record)]


def _updated_by(record: CslItem) -> list[Finding]:
    merged: dict[tuple[str, str], tuple[dict[str, Any], list[str]]] = {}
    for update in record_list(record, "updated-by"):
        doi = str(update.get("DOI", "")).lower()
        key = (doi, _kind(update)[0])
        _, sources = merged.setdefault(key, (update, []))
        source = str(update.get("source") or "publisher")
        if source not in sources:
            sources.append(source)
    return [_notice_finding(update, sources) for update, sources in merged.values()]


def _notice_finding(update: dict[str, Any], sources: Iterable[str]) -> Finding:
    code, severity, what = _kind(update)
    label = update.get("label") or str(update.get("type", "update")).replace("_", " ")
    details = [f"notice {update['DOI']}"] if update.get("DOI") else []
    when = date_text(update.get("updated"))
    if when:
        details.append(f"dated {when}")
    details.append("source: " + ", ".join(sources))
    advice = " — do not cite it as valid work" if severity == "error" else ""
    return Finding(code, severity, f"{what}: {label} ({'; '.join(details)}){advice}", "DOI")


def _update_to(record: CslItem) -> list[Finding]:
    findings = []
    for update in record_list(record, "update-to"):
        label = str(update.get("label") or update.get("type") or "update").lower()
        target = update.get("DOI", "another work")
        findings.append(
            Finding(
                "is_notice",
                "warning",
                f"this DOI is a {label} notice for {target}, not a work of its own: "
                f"cite {target} (and the notice only when discussing the {label})",
                "DOI",
            )
        )
    return findings


def _preprint(record: CslItem) -> list[Finding]:
    relation = record_value(record, "relation")
    links = relation.get("is-preprint-of") if isinstance(relation, dict) else None
    if not isinstance(links, list):
        return []
    published = [
        str(link["id"])
        for link in links
        if isinstance(link, dict) and link.get("id") and link.get("id-type", "doi") == "doi"
    ]
    if not published:
        return []
    title = text_field(record, "title")
    return [
        Finding(
            "preprint_published",
            "warning",
            f"'{title}' is a preprint; its published version is {', '.join(published)}: "
            "cite the published version",
            "DOI",
        )
    ]
