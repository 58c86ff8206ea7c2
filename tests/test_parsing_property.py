"""Robustness: whatever text arrives, parsing returns records and the CLI never crashes."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refman.errors import InputError
from refman.parsing import parse_reference, parse_references, split_references
from tests.conftest import Cli

REFERENCE_ALPHABET = st.sampled_from(
    [*'abcXYZ 0123456789.,;:()[]-–/\n"“”&éüßø', "doi:", "10.1000/", "http://", "et al."]
)
reference_like = st.lists(REFERENCE_ALPHABET, max_size=80).map("".join)
junk = st.binary(max_size=300).map(lambda data: data.decode("utf-8", errors="replace"))
anything = st.one_of(st.text(max_size=400), reference_like, junk)


def _check_item(item: dict[str, object]) -> None:
    assert isinstance(item.get("type"), str)
    json.dumps(item)  # serialisable
    for warning in item.get("_warnings", []) or []:  # type: ignore[union-attr]
        assert isinstance(warning, str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_parse_reference_never_raises(text: str) -> None:
    _check_item(parse_reference(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_split_references_returns_text_or_input_error(text: str) -> None:
    try:
        references = split_references(text)
    except InputError:
        return
    assert references
    assert all(ref.strip() and "\n" not in ref for ref in references)
    for item in parse_references(references):
        _check_item(item)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word " * 20000, id="very-long-line"),
        pytest.param("Smith J. " + "A" * 50000 + ". 2001.", id="very-long-token"),
        pytest.param("\x00\x01\x02\ufffd\ufffe" * 100, id="control-characters"),
        pytest.param("🙂" * 1000, id="emoji"),
    ],
)
def test_extreme_inputs_give_a_record(text: str) -> None:
    _check_item(parse_reference(text))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 4, id="all-bytes"),
        pytest.param(b"\xff\xfe\x00S\x00m\x00i\x00t\x00h", id="utf16-ish"),
    ],
)
def test_cli_on_binary_file_does_not_crash(cli: Cli, data: bytes) -> None:
    path = cli.tmp_path / "junk.bin"
    path.write_bytes(data)
    result = cli("parse", "--file", str(path))
    assert result.exit_code in {0, 6}
    if result.exit_code == 0:
        assert all(json.loads(line)["type"] for line in result.stdout.splitlines())
    else:
        assert result.stderr.startswith("Error: ")
