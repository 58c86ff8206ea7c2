"""Refresh library entries from their Crossref records, field by field.

``plan_updates`` compares each entry having a DOI with the DOI's record and
lists the fields that differ. A field the user edited (``_refman.fields``
says ``user``) is protected: it is shown but only replaced when the user names
it in ``fields``. ``apply_updates`` writes the accepted changes through the
library's locked, atomic transaction and records ``crossref`` as the fields'
new origin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from refman.audit import clean_doi
from refman.audit.records import date_text
from refman.audit.text import fold
from refman.config import Settings
from refman.errors import UsageError
from refman.model import CslItem, family_name, text_field
from refman.services.check import Lookup, LookupFactory

UPDATABLE = (
    "type",
    "author",
    "editor",
    "title",
    "container-title",
    "issued",
    "volume",
    "issue",
    "page",
    "number",
    "publisher",
    "ISSN",
    "ISBN",
    "URL",
)
"""CSL fields ``update`` may refresh (never the key, the DOI or refman's own data)."""


@dataclass(frozen=True)
class FieldChange:
    """One field whose stored value differs from the record's."""

    name: str
    old: str
    new: str
    protected: bool


@dataclass
class EntryUpdate:
    """What refreshing one entry would change."""

    key: str
    doi: str | None
    record: CslItem | None = None
    changes: list[FieldChange] = field(default_factory=list)
    note: str | None = None

    def accepted(self) -> list[FieldChange]:
        """The changes that will be written: all but the protected ones."""
        return [c for c in self.changes if not c.protected]


def shown(item: CslItem, name: str) -> str:
    """A field as one line, complete enough to compare (every author, the full date)."""
    value = item.get(name)
    if name in ("author", "editor"):
        names = value if isinstance(value, list) else []
        return "; ".join(
            ", ".join(p for p in (family_name(n), n.get("given", "")) if p)
            for n in names
            if isinstance(n, dict)
        )
    if name == "issued":
        return date_text(value)
    return text_field(item, name)


def plan_updates(
    items: Sequence[CslItem], lookup: Lookup, fields: Sequence[str] | None = None
) -> list[EntryUpdate]:
    """The update of each item: its record's differing fields, protected ones marked.

    ``fields`` limits the comparison to those fields and lifts their protection:
    naming a field is asking for it to be replaced.
    """
    unknown = sorted(set(fields or ()) - set(UPDATABLE))
    if unknown:
        raise UsageError(
            f"--fields: cannot update {unknown[0]!r}; choose from {', '.join(UPDATABLE)}"
        )
    return [_plan(item, lookup, fields) for item in items]


def run_update_plan(
    settings: Settings,
    keys: Sequence[str],
    fields: Sequence[str] | None = None,
    lookup_factory: LookupFactory | None = None,
) -> list[EntryUpdate]:
    """Plan the refresh of the library entries ``keys`` (all entries when empty)."""
    from refman.services import check
    from refman.services.library import load_items

    items = load_items(settings, list(keys) or None)
    with (lookup_factory or check.open_lookup)(settings) as lookup:
        return plan_updates(items, lookup, fields)


def _plan(item: CslItem, lookup: Lookup, fields: Sequence[str] | None) -> EntryUpdate:
    key = str(item.get("id", ""))
    doi = clean_doi(text_field(item, "DOI"))
    if not doi:
        return EntryUpdate(key, None, note="no DOI: nothing to refresh from (see `refman check`)")
    record = lookup.fetch_doi(doi)
    if record is None:
        return EntryUpdate(key, doi, note=f"DOI {doi} does not exist: check it with `refman check`")
    origins: dict[str, Any] = (item.get("_refman") or {}).get("fields") or {}
    changes = []
    for name in fields or UPDATABLE:
        old, new = shown(item, name), shown(record, name)
        if new and not _same(name, old, new):
            protected = origins.get(name) == "user" and not fields
            changes.append(FieldChange(name, old, new, protected))
    return EntryUpdate(key, doi, record, changes)


def _same(name: str, old: str, new: str) -> bool:
    """Equal when folded; dates only as precisely as both give them (BibTeX keeps no day)."""
    if name == "issued" and old:
        parts = min(len(old.split("-")), len(new.split("-")))
        return old.split("-")[:parts] == new.split("-")[:parts]
    return fold(old) == fold(new)


def updated_item(item: CslItem, update: EntryUpdate, now: str) -> CslItem:
    """``item`` with the accepted changes taken from the record and their origin recorded."""
    accepted = update.accepted()
    if update.record is None or not accepted:
        return item
    new = dict(item)
    for change in accepted:
        new[change.name] = update.record[change.name]
    provenance = dict(new.get("_refman") or {})
    provenance["fields"] = {
        **(provenance.get("fields") or {}),
        **dict.fromkeys((c.name for c in accepted), "crossref"),
    }
    provenance["updated"] = now
    new["_refman"] = provenance
    return new


def apply_updates(
    settings: Settings, updates: Sequence[EntryUpdate], confirm: Callable[[EntryUpdate], bool]
) -> list[str]:
    """Write the accepted changes of each confirmed update; the keys written."""
    from refman import bibtex
    from refman.services.library import open_library

    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    written = []
    with open_library(settings).transaction() as document:
        for update in updates:
            if not update.accepted() or not confirm(update):
                continue
            stored = document.find(update.key)
            item = updated_item(stored.item, update, now)
            document.replace(
                stored.key, bibtex.csl_to_bibtex(item, stored.key, ascii=settings.ascii)
            )
            written.append(stored.key)
    return written


def render_update(update: EntryUpdate) -> list[str]:
    """The diff of one entry for people: ``field: old -> new``, protected fields marked."""
    head = f"{update.key}" + (f" ({update.doi})" if update.doi else "")
    if update.note:
        return [f"{head}: {update.note}"]
    if not update.changes:
        return [f"{head}: up to date"]
    lines = [head]
    for change in update.changes:
        line = f"  {change.name}: {change.old or '(empty)'} -> {change.new}"
        if change.protected:
            line += f"  [edited by you: kept; --fields {change.name} replaces it]"
        lines.append(line)
    return lines
