"""CSL-JSON export: valid against the CSL-JSON schema, readable by pandoc, loads back."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from refman import csljson
from refman.errors import InputError
from refman.render import pandoc_path
from tests.test_render import load_references

SCHEMA = json.loads(
    (Path(__file__).resolve().parent / "data" / "csl-data.schema.json").read_text("utf-8")
)

CROSSREF_SHAPED: dict[str, Any] = {
    "id": "grober2015",
    "type": "article-journal",
    "title": ["Magnesium in Prevention and Therapy"],
    "container-title": ["Nutrients"],
    "ISSN": ["2072-6643"],
    "author": [
        {"family": "Gröber", "given": "Uwe", "sequence": "first", "affiliation": []},
    ],
    "issued": {"date-parts": [[2015, 9, 23]], "date-time": "2015-09-23T00:00:00Z"},
    "published-online": {"date-parts": [[None]]},
    "volume": 7,
    "arXiv": "1509.00001",
    "_refman": {"source": "crossref", "verified": True},
    "_warnings": ["none"],
    "reference-count": 200,
}


def test_export_of_every_reference_validates() -> None:
    jsonschema.validate(json.loads(csljson.dumps(load_references())), SCHEMA)


def test_crossref_shaped_item_is_made_schema_valid() -> None:
    [exported] = json.loads(csljson.dumps([CROSSREF_SHAPED]))
    jsonschema.validate([exported], SCHEMA)
    assert exported == {
        "id": "grober2015",
        "type": "article-journal",
        "title": "Magnesium in Prevention and Therapy",
        "container-title": "Nutrients",
        "ISSN": "2072-6643",
        "author": [{"family": "Gröber", "given": "Uwe"}],
        "issued": {"date-parts": [[2015, 9, 23]]},
        "volume": 7,
        "custom": {
            "published-online": {"date-parts": [[None]]},
            "arXiv": "1509.00001",
            "reference-count": 200,
        },
    }


@pytest.mark.parametrize(
    ("item", "expected_type"),
    [
        pytest.param({"id": "a"}, "document", id="missing-type"),
        pytest.param({"id": "a", "type": "journal-article"}, "document", id="crossref-type-name"),
        pytest.param({"id": "a", "type": "review-book"}, "review-book", id="csl-type-kept"),
    ],
)
def test_types_are_csl_types(item: dict[str, Any], expected_type: str) -> None:
    [exported] = json.loads(csljson.dumps([item]))
    assert exported["type"] == expected_type
    jsonschema.validate([exported], SCHEMA)


def test_private_keys_are_never_exported() -> None:
    text = csljson.dumps([CROSSREF_SHAPED])
    assert "_refman" not in text
    assert "_warnings" not in text


def test_pandoc_reads_the_export(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(csljson.dumps(load_references()), "utf-8")
    done = subprocess.run(
        [pandoc_path(), "--from=csljson", "--to=csljson", str(path)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    read_back = json.loads(done.stdout)
    assert [entry["id"] for entry in read_back] == [item["id"] for item in load_references()]
    assert {entry["title"] for entry in read_back} >= {"Magnesium in Prevention and Therapy"}


def test_loads_puts_custom_fields_back() -> None:
    [loaded] = csljson.loads(csljson.dumps([CROSSREF_SHAPED]))
    assert loaded["arXiv"] == "1509.00001"
    assert "custom" not in loaded


def test_loads_accepts_one_object() -> None:
    assert csljson.loads('{"id": 7, "type": "book"}') == [{"id": "7", "type": "book"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{not json", "not valid JSON", id="not-json"),
        pytest.param('"a string"', "array of items", id="not-items"),
        pytest.param("[1]", "item 1 is not an object", id="item-not-object"),
        pytest.param('[{"id": "a", "author": "Gröber U"}]', "author must be a list", id="names"),
        pytest.param('[{"id": "a", "issued": 2015}]', "issued must be a date", id="date"),
    ],
)
def test_loads_rejects_malformed_input(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        csljson.loads(text)
