"""The check service over a fake resolver: inputs, lookups, findings, exit codes, output."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from refman.config import Settings
from refman.crossref_csl import crossref_to_csl
from refman.errors import InputError, LibraryFileError, ServiceUnavailableError
from refman.model import CslItem
from refman.services import check as check_service
from refman.services.check import (
    CheckReport,
    Subject,
    bib_subjects,
    check_subjects,
    render_github,
    render_json,
    render_text,
    run_check,
)
from tests.conftest import TEST_DATA, load_fixture

PLOS_DOI = "10.1371/journal.pone.0033693"
WAKEFIELD_DOI = "10.1016/S0140-6736(97)11096-0"


@dataclass
class FakeCandidate:
    item: CslItem


@dataclass
class FakeResolution:
    status: str
    item: CslItem = field(default_factory=dict)
    doi: str | None = None
    confidence: float = 0.0
    candidates: list[FakeCandidate] = field(default_factory=list)
    message: str | None = None


@dataclass
class FakeLookup:
    """Records by DOI, and resolutions by title (items) or text; everything else unmatched."""

    records: dict[str, CslItem] = field(default_factory=dict)
    by_text: dict[str, FakeResolution] = field(default_factory=dict)
    down: bool = False
    unreachable: bool = False
    fetched: list[str] = field(default_factory=list)

    def fetch_doi(self, doi: str) -> CslItem | None:
        self.fetched.append(doi)
        if self.down:
            self.unreachable = True
            raise ServiceUnavailableError("Crossref could not be reached; try again later")
        return self.records.get(doi.lower())

    def search(self, text: str) -> list[CslItem]:
        if self.down:
            raise ServiceUnavailableError("Crossref could not be reached; try again later")
        found = self.by_text.get(text)
        return [c.item for c in found.candidates] if found else []

    def resolve_texts(self, texts: Sequence[str]) -> list[FakeResolution]:
        return [self._resolve(text) for text in texts]

    def resolve_items(self, items: Sequence[CslItem]) -> list[FakeResolution]:
        return [self._resolve(str(item.get("title", ""))) for item in items]

    def _resolve(self, text: str) -> FakeResolution:
        if self.down:
            self.unreachable = True
            return FakeResolution("error", message="Crossref could not be reached")
        return self.by_text.get(text, FakeResolution("unmatched"))


def install_fake(monkeypatch: pytest.MonkeyPatch) -> FakeLookup:
    """Make ``open_lookup`` (what the CLI uses) hand out one fake; return it."""
    fake = fake_lookup()

    @contextmanager
    def factory(settings: Settings) -> Iterator[FakeLookup]:
        yield fake

    monkeypatch.setattr(check_service, "open_lookup", factory)
    return fake


def library_blocks(*keys: str) -> str:
    """The entries of ``LIBRARY`` with these keys, in that order."""
    blocks = {b.split("{", 1)[1].split(",", 1)[0]: "@" + b for b in LIBRARY.split("\n@")[1:]}
    return "\n".join(blocks[key].strip() + "\n" for key in keys)


def plos() -> CslItem:
    return crossref_to_csl(
        load_fixture("work_journal_article_plos_updated_by_correction.json")["message"]
    )


def wakefield() -> CslItem:
    body = json.loads((TEST_DATA / "crossref" / "check_retraction_wakefield_1998.json").read_text())
    return crossref_to_csl(body["message"])


def fake_lookup() -> FakeLookup:
    grober: CslItem = {
        "DOI": "10.3390/nu7095388",
        "title": "Magnesium in Prevention and Therapy",
        "author": [{"family": "Gröber", "given": "Uwe"}],
        "container-title": "Nutrients",
        "issued": {"date-parts": [[2015, 9]]},
        "volume": "7",
        "page": "8199-8226",
    }
    return FakeLookup(
        records={PLOS_DOI.lower(): plos(), WAKEFIELD_DOI.lower(): wakefield()},
        by_text={
            "Magnesium in Prevention and Therapy": FakeResolution(
                "matched", grober, "10.3390/nu7095388", 0.97, [FakeCandidate(grober)]
            )
        },
    )


LIBRARY = """% a messy library
@article{sadasivan2012,
  author = {Sadasivan, Shankar and Pond, Brooks B.},
  title = {Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia
           in the Basal Ganglia of Mice},
  journal = {PLoS ONE},
  year = {2012},
  volume = {7},
  pages = {e33693},
  doi = {10.1371/journal.pone.0033693},
}

@article{shifted2012,
  author = {Sadasivan, Shankar},
  title = {Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia
           in the Basal Ganglia of Mice},
  journal = {PLoS ONE},
  year = {2009},
  volume = {7},
  pages = {e33693},
  doi = {10.1371/journal.pone.0033693},
}

@article{wakefield1998,
  author = {Wakefield, A J and Murch, S H},
  title = {Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive
           developmental disorder in children},
  journal = {Lancet},
  year = {1998},
  volume = {351},
  pages = {637--641},
  doi = {10.1016/S0140-6736(97)11096-0},
}

@article{invented2021,
  author = {Nobody, Ann},
  title = {A study that was never written},
  journal = {Journal of Imaginary Results},
  year = {2021},
  volume = {3},
  pages = {1--9},
  doi = {10.9999/never.registered},
}

@article{grober2015,
  author = {Gröber, Uwe},
  title = {Magnesium in Prevention and Therapy},
  journal = {Nutrients},
  year = {2015},
  volume = {7},
  pages = {8199--8226},
}

@article{ghost2020,
  author = {Ghost, Gary},
  title = {Nothing like this exists},
  journal = {Nowhere},
  year = {2020},
}

@article{chimera2012,
  author = {Sadasivan, Shankar},
  title = {Magnesium in Prevention and Therapy},
  journal = {PLoS ONE},
  year = {2012},
  volume = {7},
  pages = {e33693},
  doi = {10.1371/journal.pone.0033693},
}
"""


def checked(text: str = LIBRARY, lookup: FakeLookup | None = None) -> CheckReport:
    subjects = bib_subjects(text, "refs.bib")
    for number, subject in enumerate(subjects, 1):
        subject.index = number
    return check_subjects(subjects, lookup or fake_lookup(), find_duplicate=lambda i, e: None)


def by_key(report: CheckReport) -> dict[str | None, list[tuple[str, str]]]:
    return {s.key: [(f.code, f.severity) for f in s.findings] for s in report.subjects}


def test_each_entry_gets_its_findings() -> None:
    assert by_key(checked()) == {
        "sadasivan2012": [("corrected", "info")],
        "shifted2012": [("year_mismatch", "error"), ("corrected", "info")],
        "wakefield1998": [("retracted", "error")],
        "invented2021": [("doi_not_found", "error")],
        "grober2015": [("doi_found", "info")],
        "ghost2020": [("no_match", "error")],
        "chimera2012": [("chimera", "error"), ("corrected", "info")],
    }


def test_statuses_lines_and_input_order() -> None:
    report = checked()
    assert [(s.index, s.line, s.status) for s in report.subjects] == [
        (1, 2, "ok"),
        (2, 13, "error"),
        (3, 24, "error"),
        (4, 35, "error"),
        (5, 45, "ok"),
        (6, 54, "error"),
        (7, 61, "error"),
    ]
    assert report.exit_code("error") == 1
    assert report.exit_code("never") == 0


def test_each_doi_fetched_once() -> None:
    lookup = fake_lookup()
    checked(lookup=lookup)
    assert sorted(lookup.fetched) == sorted([PLOS_DOI, WAKEFIELD_DOI, "10.9999/never.registered"])


def test_unreachable_service_is_never_clean() -> None:
    report = checked(lookup=FakeLookup(down=True))
    assert report.unreachable
    assert report.exit_code("never") == 4
    assert {s.status for s in report.subjects} == {"error"}
    assert "could not be reached, 7 not checked" in render_text(report)


def test_broken_blocks_are_reported_with_lines() -> None:
    text = "@article{ok2020, title={T}, author={A, B}, journal={J}, year={2020}}\n" + (
        "@article{ok2020, title={Again}}\n@article{broken, title = {no end}\n"
    )
    report = checked(text)
    assert [(s.key, s.line, [f.code for f in s.findings]) for s in report.subjects] == [
        ("ok2020", 1, ["no_match"]),
        ("ok2020", 2, ["key_collision"]),
        ("broken", 3, ["parse_failed"]),
    ]


def test_json_shape() -> None:
    (first, *_, last) = json.loads(render_json(checked()))
    assert first == {
        "index": 1,
        "key": "sadasivan2012",
        "reference": None,
        "status": "ok",
        "findings": [
            {
                "code": "corrected",
                "severity": "info",
                "field": "DOI",
                "message": first["findings"][0]["message"],
            }
        ],
    }
    assert last["status"] == "error"
    assert last["findings"][0]["code"] == "chimera"


def test_github_annotations_carry_file_and_line() -> None:
    lines = render_github(checked()).splitlines()
    assert (
        "::error file=refs.bib,line=13,title=shifted2012 year_mismatch::"
        "year: entry 2009, Crossref 2012" in lines
    )
    assert any(
        line.startswith("::notice file=refs.bib,line=2,title=sadasivan2012 corrected::")
        for line in lines
    )


def test_text_lines_and_summary() -> None:
    lines = render_text(checked()).splitlines()
    assert "refs.bib:13: shifted2012: error: year: entry 2009, Crossref 2012" in lines
    assert lines[-1] == "checked 7 entries: 2 ok, 0 with warnings, 5 with errors"


@contextmanager
def fake_factory(settings: Settings) -> Iterator[FakeLookup]:
    yield fake_lookup()


def test_run_check_reads_the_library_by_default(tmp_path: Path) -> None:
    library = tmp_path / "library.bib"
    library.write_text(LIBRARY, encoding="utf-8")
    settings = Settings(library=str(library))
    report = run_check(settings, [], read_stdin=str, lookup_factory=fake_factory)
    assert len(report.subjects) == 7
    assert report.subjects[0].path == str(library)


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        pytest.param(None, None, LibraryFileError, id="missing_library"),
        pytest.param("empty.bib", "% nothing here\n", InputError, id="empty_bib"),
    ],
)
def test_run_check_input_errors(
    tmp_path: Path, name: str | None, content: str | None, error: type[Exception]
) -> None:
    paths = []
    if name is not None:
        (tmp_path / name).write_text(str(content), encoding="utf-8")
        paths = [tmp_path / name]
    settings = Settings(library=str(tmp_path / "library.bib"))
    with pytest.raises(error):
        run_check(settings, paths, read_stdin=str, lookup_factory=fake_factory)


def test_text_reference_with_doi_is_compared_with_its_record() -> None:
    subject = Subject(
        1,
        {"DOI": PLOS_DOI, "issued": {"date-parts": [[2010]]}, "title": "Methylphenidate exposure"},
        reference="Sadasivan S. Methylphenidate exposure. PLoS One. 2010;7:e33693. "
        "doi:10.1371/journal.pone.0033693",
    )
    report = check_subjects([subject], fake_lookup(), find_duplicate=lambda i, e: None)
    assert [(f.code, f.severity) for f in report.subjects[0].findings] == [
        ("year_mismatch", "error"),
        ("corrected", "info"),
    ]
    assert report.subjects[0].to_json()["reference"].startswith("Sadasivan S.")


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    subjects = bib_subjects(LIBRARY, "refs.bib")
    check_subjects(
        subjects,
        fake_lookup(),
        find_duplicate=lambda i, e: None,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1] == (7, 7)


def test_duplicates_use_the_library_rules() -> None:
    first = LIBRARY.split("@article{shifted2012", maxsplit=1)[0]
    text = LIBRARY + first.replace("sadasivan2012", "again2012")
    subjects = bib_subjects(text, "refs.bib")
    report = check_subjects(subjects, fake_lookup())
    findings: dict[str | None, Any] = {s.key: [f.code for f in s.findings] for s in report.subjects}
    assert findings["again2012"] == ["duplicate", "corrected"]
    assert "duplicate" not in findings["sadasivan2012"]


def test_sici_doi_cut_by_the_parser_is_read_whole() -> None:
    sici = "10.1002/(SICI)1097-0029(19960201)33:2<192::AID-JEMT9>3.0.CO;2-V"
    subject = Subject(
        1,
        {"DOI": "10.1002/(SICI)1097-0029(19960201)33:2"},
        reference=f"Landis WJ (1996) Structural relations. Microsc Res Tech 33:192 doi: {sici}.",
    )
    lookup = FakeLookup()
    check_subjects([subject], lookup, find_duplicate=lambda i, e: None)
    assert lookup.fetched == [sici]


@pytest.mark.parametrize(
    ("status", "year", "expected"),
    [
        pytest.param("unmatched", 2012, ["unsure_match"], id="unmatched_but_corroborated"),
        pytest.param("ambiguous", 2012, ["unsure_match"], id="ambiguous_but_corroborated"),
        pytest.param("unmatched", 2014, ["no_match"], id="candidate_disagrees"),
        pytest.param("ambiguous", 2014, ["ambiguous"], id="ambiguous_candidates_disagree"),
    ],
)
def test_unsure_resolutions_use_a_corroborating_candidate(
    status: str, year: int, expected: list[str]
) -> None:
    record = plos()
    record.pop("_crossref")
    entry: CslItem = {
        "title": record["title"],
        "author": record["author"][:1],
        "issued": {"date-parts": [[year]]},
        "volume": "7",
        "page": "e33693",
    }
    resolution = FakeResolution(status, candidates=[FakeCandidate(record)])
    lookup = FakeLookup(by_text={record["title"]: resolution})
    subject = Subject(1, entry, key="k")
    check_subjects([subject], lookup, find_duplicate=lambda i, e: None)
    assert [f.code for f in subject.findings] == expected
