"""Library use cases over a fake resolver: add, import, merge, list, search, edit, remove."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from refman.config import Settings, resolve_settings
from refman.errors import InputError, LibraryFileError, NotFoundError, UsageError
from refman.library import Document
from refman.model import ET_AL, CslItem, date_parts
from refman.services import library as service
from refman.services.resolve import Candidate, Resolution

MESSY = Path(__file__).parent / "data" / "messy.bib"

GROBER_TEXT = (
    "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en therapie. "
    "Nutrients. 2015;7(9):8199-8226."
)
GROBER_PARSED: CslItem = {
    "type": "article-journal",
    "title": "Magnesium in preventie en therapie",
    "author": [{"family": "Gröber", "given": "U."}, {"family": "Schmidt", "given": "J."}],
    "container-title": "Nutrients",
    "volume": "7",
    "issue": "9",
    "page": "8199-8226",
    "issued": date_parts(2015),
    "_warnings": ["title looks translated"],
}
GROBER_CROSSREF: CslItem = {
    "type": "article-journal",
    "title": "Magnesium in Prevention and Therapy",
    "author": [
        {"family": "Gröber", "given": "Uwe"},
        {"family": "Schmidt", "given": "Joachim"},
        {"family": "Kisters", "given": "Klaus"},
    ],
    "container-title": "Nutrients",
    "volume": "7",
    "issue": "9",
    "page": "8199-8226",
    "issued": date_parts(2015, 9, 23),
    "DOI": "10.3390/nu7095388",
    "ISSN": "2072-6643",
}
OTHER: CslItem = {
    "type": "article-journal",
    "title": "Magnesium and sleep",
    "author": [{"family": "Other", "given": "Ann"}],
    "issued": date_parts(2015),
    "DOI": "10.1000/other",
}


def matched(text: str, confidence: float = 0.97) -> Resolution:
    return Resolution(
        text,
        "matched",
        doi="10.3390/nu7095388",
        confidence=confidence,
        item=GROBER_CROSSREF,
        parsed=GROBER_PARSED,
    )


def ambiguous(text: str) -> Resolution:
    candidates = [
        Candidate("10.1000/other", 0.71, "Magnesium and sleep", {}, OTHER),
        Candidate("10.3390/nu7095388", 0.69, "Magnesium in Prevention", {}, GROBER_CROSSREF),
    ]
    return Resolution(
        text,
        "ambiguous",
        doi=None,
        confidence=0.71,
        item=GROBER_PARSED,
        parsed=GROBER_PARSED,
        candidates=candidates,
    )


def unmatched(text: str) -> Resolution:
    return unmatched_as(text, GROBER_PARSED)


def unmatched_as(text: str, parsed: CslItem) -> Resolution:
    return Resolution(text, "unmatched", item=parsed, parsed=parsed)


@dataclass
class FakeResolver:
    """Answers from a table; records what it was asked."""

    answers: dict[str, Resolution] = field(default_factory=dict)
    unreachable: bool = False
    asked: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def __call__(self, settings: Settings, **options: Any) -> FakeResolver:
        self.options = options
        return self

    def close(self) -> None:
        """Nothing to close."""

    def resolve_texts(self, texts: Sequence[str]) -> list[Resolution]:
        self.asked.extend(texts)
        return [self.answers.get(t) or unmatched(t) for t in texts]

    def resolve_items(self, items: Sequence[CslItem]) -> list[Resolution]:
        titles = [str(item.get("title")) for item in items]
        self.asked.extend(titles)
        return [self.answers.get(t) or unmatched(t) for t in titles]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    flags = {"library": str(tmp_path / "library.bib"), "cache_dir": str(tmp_path / "cache")}
    return resolve_settings(flags, environ={}, config_path=tmp_path / "config.toml")


def stored(settings: Settings) -> Document:
    return Document(settings.library_path.read_text("utf-8"))


def add(
    settings: Settings, resolver: FakeResolver, *texts: str, **options: Any
) -> service.AddReport:
    chooser = options.pop("chooser", None)
    return service.add_references(
        settings,
        list(texts),
        service.AddOptions(**options),
        resolver_factory=resolver,
        chooser=chooser,
    )


def test_confident_match_is_stored_with_provenance(settings: Settings) -> None:
    resolver = FakeResolver({GROBER_TEXT: matched(GROBER_TEXT)})
    report = add(settings, resolver, GROBER_TEXT)
    [outcome] = report.outcomes
    assert (outcome.action, outcome.key, outcome.verified) == ("added", "grober2015magnesium", True)
    assert outcome.note == "matched 10.3390/nu7095388 (confidence 0.97)"
    [entry] = stored(settings).entries
    assert entry.item["title"] == "Magnesium in Prevention and Therapy"
    provenance = entry.item["_refman"]
    assert (provenance["source"], provenance["verified"], provenance["confidence"]) == (
        "crossref",
        True,
        0.97,
    )
    assert provenance["added"].endswith("Z")
    assert "_warnings" not in settings.library_path.read_text("utf-8")


@pytest.mark.parametrize("source", ["crossref", "datacite", "medra", "arxiv", "openlibrary"])
@pytest.mark.parametrize("chosen", [False, True], ids=["automatic", "picked"])
def test_provenance_names_the_service_the_record_came_from(
    settings: Settings, source: str, chosen: bool
) -> None:
    found = replace(matched(GROBER_TEXT), source=source)
    if chosen:  # a low-confidence match the user picks in the terminal
        found = replace(found, confidence=0.5)
    report = add(
        settings,
        FakeResolver({GROBER_TEXT: found}),
        GROBER_TEXT,
        chooser=(lambda _: service.Choice("candidate", 0)) if chosen else None,
    )
    [outcome] = report.outcomes
    assert outcome.action == "added"
    [entry] = stored(settings).entries
    assert entry.item["_refman"]["source"] == source
    assert entry.item["_refman"]["verified"] is True


@pytest.mark.parametrize(
    ("resolution", "min_confidence", "source", "note"),
    [
        pytest.param(
            matched, 0.99, "parsed", "< 0.99: kept the parsed fields", id="below_threshold"
        ),
        pytest.param(
            ambiguous, None, "parsed", "kept the parsed fields", id="ambiguous_no_terminal"
        ),
        pytest.param(
            unmatched, None, "parsed", "no match found: stored the parsed", id="unmatched"
        ),
    ],
)
def test_uncertain_without_terminal_follows_thresholds(
    settings: Settings, resolution: Any, min_confidence: float | None, source: str, note: str
) -> None:
    resolver = FakeResolver({GROBER_TEXT: resolution(GROBER_TEXT)})
    report = add(settings, resolver, GROBER_TEXT, min_confidence=min_confidence)
    [outcome] = report.outcomes
    assert note in outcome.note
    assert outcome.verified is False
    [entry] = stored(settings).entries
    assert entry.item["_refman"]["source"] == source
    assert entry.item["title"] == "Magnesium in preventie en therapie"
    assert report.unverified == 1


@pytest.mark.parametrize(
    ("choice", "title", "verified"),
    [
        pytest.param(
            service.Choice("candidate", 1),
            "Magnesium in Prevention and Therapy",
            True,
            id="pick_second",
        ),
        pytest.param(
            service.Choice("parsed"), "Magnesium in preventie en therapie", False, id="keep_parsed"
        ),
        pytest.param(service.Choice("skip"), None, False, id="skip"),
    ],
)
def test_chooser_decides_uncertain_matches(
    settings: Settings, choice: service.Choice, title: str | None, verified: bool
) -> None:
    asked: list[str] = []

    def chooser(resolution: Any) -> service.Choice:
        asked.append(resolution.input)
        return choice

    resolver = FakeResolver({GROBER_TEXT: ambiguous(GROBER_TEXT)})
    report = add(settings, resolver, GROBER_TEXT, chooser=chooser)
    assert asked == [GROBER_TEXT]
    titles = [e.item["title"] for e in stored(settings).entries] if title else []
    assert titles == ([title] if title else [])
    assert settings.library_path.exists() is bool(title)
    assert report.outcomes[0].verified is verified


def test_low_confidence_match_without_candidates_can_be_picked(settings: Settings) -> None:
    resolver = FakeResolver({GROBER_TEXT: matched(GROBER_TEXT, confidence=0.8)})
    report = add(
        settings, resolver, GROBER_TEXT, chooser=lambda resolution: service.Choice("candidate", 0)
    )
    assert report.outcomes[0].note == "picked 10.3390/nu7095388 (confidence 0.80) at your request"
    assert stored(settings).entries[0].item["_refman"]["chosen"] == "user"


def test_chooser_is_not_asked_about_confident_matches(settings: Settings) -> None:
    def chooser(resolution: Any) -> service.Choice:
        raise AssertionError("asked about a confident match")

    resolver = FakeResolver({GROBER_TEXT: matched(GROBER_TEXT)})
    assert add(settings, resolver, GROBER_TEXT, chooser=chooser).count("added") == 1


def test_duplicate_is_reported_and_merge_fills_missing_fields(settings: Settings) -> None:
    english = {k: v for k, v in GROBER_CROSSREF.items() if k not in {"DOI", "ISSN"}}
    english["title"] = "Magnesium in prevention & therapy: a review"
    add(settings, FakeResolver({"en": unmatched_as("en", english)}), "en")
    resolver = FakeResolver({"10.3390/nu7095388": matched("10.3390/nu7095388")})
    report = add(settings, resolver, "10.3390/nu7095388")
    [outcome] = report.outcomes
    assert (outcome.action, outcome.duplicate_of) == ("duplicate", "grober2015magnesium")
    assert "same title+author+year" in outcome.note
    report = add(settings, resolver, "10.3390/nu7095388", merge=True)
    [outcome] = report.outcomes
    assert outcome.action == "merged"
    assert outcome.merged_fields == ["DOI", "ISSN"]
    [entry] = stored(settings).entries
    assert entry.key == "grober2015magnesium"
    assert entry.item["DOI"] == "10.3390/nu7095388"
    assert entry.item["title"] == "Magnesium in prevention & therapy: a review"
    assert entry.item["_refman"]["fields"] == {"DOI": "crossref", "ISSN": "crossref"}


def test_published_version_is_linked_to_its_preprint(settings: Settings) -> None:
    preprint = dict(OTHER, type="article", DOI="10.48550/arXiv.1501.00001", arXiv="1501.00001")
    resolver = FakeResolver(
        {"pre": unmatched_as("pre", preprint), "pub": unmatched_as("pub", OTHER)}
    )
    report = add(settings, resolver, "pre", "pub")
    assert [o.action for o in report.outcomes] == ["added", "added"]
    assert report.outcomes[1].note.endswith(
        "linked to other2015magnesium (preprint/published pair)"
    )
    published = stored(settings).find("other2015magnesiuma").item
    assert published["_refman"]["related"] == "other2015magnesium"


def test_same_doi_in_one_run_is_added_once(settings: Settings) -> None:
    resolver = FakeResolver({t: matched(t) for t in ("a", "b")})
    report = add(settings, resolver, "a", "b")
    assert [o.action for o in report.outcomes] == ["added", "duplicate"]


def test_key_option_and_collisions(settings: Settings) -> None:
    resolver = FakeResolver({"x": unmatched_as("x", OTHER)})
    add(settings, resolver, GROBER_TEXT, key="mykey")
    with pytest.raises(UsageError, match="already in the library"):
        add(settings, resolver, "x", key="MYKEY")
    with pytest.raises(UsageError, match="one reference"):
        add(settings, resolver, "x", "y", key="k2")
    assert [e.key for e in stored(settings).entries] == ["mykey"]


def test_keys_never_change_and_collisions_get_letters(settings: Settings) -> None:
    same_key = dict(GROBER_PARSED, title="Magnesium and muscles")
    resolver = FakeResolver({"second": unmatched_as("second", same_key)})
    add(settings, resolver, GROBER_TEXT)
    before = settings.library_path.read_text("utf-8")
    add(settings, resolver, "second")
    assert [e.key for e in stored(settings).entries] == [
        "grober2015magnesium",
        "grober2015magnesiuma",
    ]
    assert settings.library_path.read_text("utf-8").startswith(before)


def test_dry_run_writes_nothing(settings: Settings) -> None:
    report = add(settings, FakeResolver(), GROBER_TEXT, dry_run=True)
    assert report.count("added") == 1
    assert report.summary().startswith("would add 1")
    assert not settings.library_path.exists()


def test_unreachable_service_stores_parsed_entries(settings: Settings) -> None:
    resolver = FakeResolver(
        {GROBER_TEXT: Resolution(GROBER_TEXT, "error", parsed=GROBER_PARSED, message="down")},
        unreachable=True,
    )
    report = add(settings, resolver, GROBER_TEXT)
    assert report.unreachable
    assert report.outcomes[0].note == "not looked up: stored the parsed fields, marked unverified"
    assert stored(settings).entries[0].item["_refman"]["verified"] is False


def test_import_bibtex_keeps_keys_and_skips_duplicates(settings: Settings) -> None:
    resolver = FakeResolver()
    options = service.AddOptions()
    report = service.import_files(settings, [MESSY], "auto", options, resolver_factory=resolver)
    assert [o.key for o in report.outcomes if o.action == "added"] == [
        "Grober2015",
        "abbasi2012",
        "knuth1997",
        "nih2025",
        "vanderwaals1873",
    ]
    assert resolver.asked == [
        "The effect of magnesium supplementation on primary insomnia in elderly: A double-blind"
        " placebo-controlled clinical trial",
        "The Art of Computer Programming, Volume 1: Fundamental Algorithms",
        "Magnesium -- Fact Sheet for Health Professionals",
        "Over de Continuiteit van den gas- en vloeistoftoestand",
    ]
    entries = stored(settings).entries
    assert entries[0].item["_refman"]["source"] == "imported"
    assert entries[0].item["_refman"]["file"] == "messy.bib"
    assert entries[4].item["_refman_extra"] == {"file": ":vdw.pdf:PDF"}
    assert [o.note for o in report.outcomes if o.action == "failed"] == [
        "messy.bib line 39: entry 'broken2020' could not be parsed (Unexpected block start:"
        " `@misc`. Was still looking for field-value closing `}` ); it is kept unchanged"
        " - fix it by hand",
        "messy.bib line 52: duplicate key 'Grober2015'; the second entry is kept unchanged"
        " and ignored - rename one of them",
    ]
    again = service.import_files(settings, [MESSY], "bibtex", options, resolve=False)
    assert again.summary() == (
        "added 0, duplicates skipped 5, merged 0, unverified 0, skipped 0, errors 2"
    )


def test_import_fills_fields_from_a_confident_lookup(settings: Settings, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([{"id": "g", "type": "article-journal", "title": "T1"}]), "utf-8")
    resolver = FakeResolver({"T1": matched("T1")})
    service.import_files(
        settings, [source], "auto", service.AddOptions(), resolver_factory=resolver
    )
    [entry] = stored(settings).entries
    assert entry.key == "g"
    assert entry.item["title"] == "T1"
    assert entry.item["DOI"] == "10.3390/nu7095388"
    assert entry.item["_refman"]["verified"] is True
    assert entry.item["_refman"]["fields"]["DOI"] == "crossref"


def test_import_ris(settings: Settings, tmp_path: Path) -> None:
    source = tmp_path / "refs.ris"
    source.write_text(
        "TY  - JOUR\nAU  - Gröber, Uwe\nTI  - Magnesium in Prevention and Therapy\n"
        "T2  - Nutrients\nPY  - 2015\nDO  - 10.3390/nu7095388\nER  - \n",
        "utf-8",
    )
    report = service.import_files(settings, [source], "auto", service.AddOptions(), resolve=False)
    assert [o.key for o in report.outcomes] == ["grober2015magnesium"]
    item = stored(settings).entries[0].item
    assert (item["DOI"], item["container-title"]) == ("10.3390/nu7095388", "Nutrients")


def test_import_text_without_lookup(settings: Settings, tmp_path: Path) -> None:
    source = tmp_path / "refs.txt"
    source.write_text(
        "References\n\n1. " + GROBER_TEXT + "\n2. Abbasi B, Kimiagar M. Het effect van "
        "magnesium op slapeloosheid. J Res Med Sci. 2012;17(12):1161-1169.\n",
        "utf-8",
    )
    resolver = FakeResolver()
    report = service.import_files(
        settings, [source], "auto", service.AddOptions(), resolve=False, resolver_factory=resolver
    )
    assert resolver.asked == []
    assert report.count("added") == 2
    assert report.unverified == 2
    assert [e.key[:10] for e in stored(settings).entries] == ["grober2015", "abbasi2012"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("a.bib", "", "bibtex", id="bib_extension"),
        pytest.param("a.ris", "", "ris", id="ris_extension"),
        pytest.param("a.json", "", "csl-json", id="json_extension"),
        pytest.param("refs", "  @article{a,}", "bibtex", id="sniff_bibtex"),
        pytest.param("refs", "TY  - JOUR\n", "ris", id="sniff_ris"),
        pytest.param("refs", '[{"type": "book"}]', "csl-json", id="sniff_json"),
        pytest.param("refs", "1. Smith J. Title. 2001.", "text", id="sniff_text"),
    ],
)
def test_detect_format(name: str, text: str, expected: str) -> None:
    assert service.detect_format(Path(name), text) == expected


@pytest.fixture
def messy_settings(settings: Settings) -> Settings:
    settings.library_path.write_bytes(MESSY.read_bytes())
    return settings


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        pytest.param("author:grober", ["Grober2015"], id="author_without_accent"),
        pytest.param("author:GRÖBER", ["Grober2015"], id="author_case_accent"),
        pytest.param("year:2010..2016", ["abbasi2012", "Grober2015"], id="year_range"),
        pytest.param("year:..1900", ["vanderwaals1873"], id="year_open_range"),
        pytest.param("year:1997", ["knuth1997"], id="single_year"),
        pytest.param("doi:10.3390/NU7095388", ["Grober2015"], id="doi"),
        pytest.param("type:book", ["knuth1997"], id="type"),
        pytest.param("title:magnesium", ["abbasi2012", "Grober2015", "nih2025"], id="title"),
        pytest.param("magnesium therapy", ["Grober2015"], id="free_words_all_must_match"),
        pytest.param('"fact sheet"', ["nih2025"], id="quoted_phrase"),
        pytest.param("soren ostergaard", ["vanderwaals1873"], id="transliterated_letters"),
        pytest.param("nothing-like-this", [], id="no_match"),
    ],
)
def test_search(messy_settings: Settings, query: str, keys: list[str]) -> None:
    _, found = service.search_entries(messy_settings, query)
    assert [e.key for e in found] == keys


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("colour:red", id="unknown_field"),
        pytest.param("", id="empty"),
        pytest.param("year:20x", id="bad_year"),
    ],
)
def test_bad_queries(messy_settings: Settings, query: str) -> None:
    with pytest.raises(UsageError):
        service.search_entries(messy_settings, query)


@pytest.mark.parametrize(
    ("sort", "keys"),
    [
        pytest.param(
            "key", ["abbasi2012", "Grober2015", "knuth1997", "nih2025", "vanderwaals1873"], id="key"
        ),
        pytest.param(
            "year",
            ["nih2025", "vanderwaals1873", "knuth1997", "abbasi2012", "Grober2015"],
            id="year",
        ),
        pytest.param(
            "author",
            ["abbasi2012", "Grober2015", "knuth1997", "nih2025", "vanderwaals1873"],
            id="author",
        ),
        pytest.param(
            "added",
            ["Grober2015", "abbasi2012", "knuth1997", "nih2025", "vanderwaals1873"],
            id="added",
        ),
    ],
)
def test_list_sorting(messy_settings: Settings, sort: Any, keys: list[str]) -> None:
    _, entries = service.list_entries(messy_settings, sort)
    assert [e.key for e in entries] == keys


def test_list_formats(messy_settings: Settings) -> None:
    document, entries = service.list_entries(messy_settings)
    assert service.format_entries(document, entries[:2], "keys") == "abbasi2012\nGrober2015\n"
    bib = service.format_entries(document, entries[1:2], "bibtex")
    assert bib == document.raw(entries[1]) + "\n"
    items = json.loads(service.format_entries(document, entries[:1], "json"))
    assert items[0]["id"] == "abbasi2012"
    table = service.format_entries(document, entries[:1], "table")
    assert table.startswith("abbasi2012")
    assert "2012" in table


def test_load_items(messy_settings: Settings) -> None:
    items = service.load_items(messy_settings, ["nih2025", "grober2015"])
    assert [i["id"] for i in items] == ["nih2025", "Grober2015"]
    assert len(service.load_items(messy_settings)) == 5
    with pytest.raises(NotFoundError):
        service.load_items(messy_settings, ["nope"])


def test_read_commands_need_the_library(settings: Settings) -> None:
    with pytest.raises(LibraryFileError, match="does not exist"):
        service.load_items(settings)


def test_remove_is_all_or_nothing(messy_settings: Settings) -> None:
    before = messy_settings.library_path.read_bytes()
    with pytest.raises(NotFoundError):
        service.remove_entries(messy_settings, ["knuth1997", "nope"])
    assert messy_settings.library_path.read_bytes() == before
    assert service.remove_entries(messy_settings, ["knuth1997", "nih2025"]) == [
        "knuth1997",
        "nih2025",
    ]
    assert [e.key for e in stored(messy_settings).entries] == [
        "Grober2015",
        "abbasi2012",
        "vanderwaals1873",
    ]


def replace_in_file(old: str, new: str) -> Any:
    def editor(path: Path) -> None:
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    return editor


def test_edit_records_user_fields(messy_settings: Settings) -> None:
    changed = service.edit_entry(messy_settings, "knuth1997", replace_in_file("{3rd}", "{Third}"))
    assert changed == ["edition"]
    document = stored(messy_settings)
    item = document.find("knuth1997").item
    assert item["edition"] == "Third"
    assert item["_refman"]["fields"] == {"edition": "user"}
    assert [e.key for e in document.entries][:3] == ["Grober2015", "abbasi2012", "knuth1997"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("knuth1997,", "knuth97,", "the key must stay", id="key_changed"),
        pytest.param("{3rd},", "{3rd,", "does not parse", id="broken_braces"),
        pytest.param("@book(", "@comment(", "exactly one entry", id="no_entry"),
    ],
)
def test_invalid_edit_is_refused(
    messy_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    message: str,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = messy_settings.library_path.read_bytes()
    with pytest.raises(InputError, match=message) as caught:
        service.edit_entry(messy_settings, "knuth1997", replace_in_file(old, new))
    assert messy_settings.library_path.read_bytes() == before
    kept = tmp_path / "refman-edit-knuth1997.bib"
    assert str(caught.value).endswith(f"nothing saved, your text is in {kept}")
    assert new in kept.read_text("utf-8")


def test_unchanged_edit_writes_nothing(messy_settings: Settings) -> None:
    before = messy_settings.library_path.stat().st_mtime_ns
    assert service.edit_entry(messy_settings, "knuth1997", replace_in_file("x", "x")) == []
    assert messy_settings.library_path.stat().st_mtime_ns == before


def test_field_diff_compares_pasted_and_found() -> None:
    rows = service.field_diff(GROBER_PARSED, GROBER_CROSSREF)
    assert [r[0] for r in rows] == ["author", "title", "DOI"]
    assert rows[1] == (
        "title",
        "Magnesium in preventie en therapie",
        "Magnesium in Prevention and Therapy",
    )


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        pytest.param([{"family": "Harris"}, ET_AL], "Harris et al.", id="et-al-marker"),
        pytest.param([{"family": f"N{i}"} for i in range(5)], "N0, N1, N2 et al.", id="long-list"),
        pytest.param([{"family": "Gröber"}, {"family": "Schmidt"}], "Gröber, Schmidt", id="short"),
    ],
)
def test_display_of_authors(names: list[dict[str, str]], shown: str) -> None:
    assert service.display_value({"author": names}, "author") == shown
