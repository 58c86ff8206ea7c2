"""The training command and the labelled-data reader (on a tiny data set written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from refman.parsing import crf, dataset, train
from refman.parsing.features import sequence_features
from refman.parsing.tokens import tokenize

SEQUENCE = """  <sequence>
    <author>{author}</author>
    <title>{title}</title>
    <journal>Nutrients.</journal>
    <volume>2015;7(9):</volume>
    <pages>8199-8226.</pages>
  </sequence>
"""


def _write_data(folder: Path, count: int) -> Path:
    folder.mkdir()
    body = "".join(
        SEQUENCE.format(author=f"Author{n} A, Other B.", title=f"Title number {n}.")
        for n in range(count)
    )
    (folder / "tiny.xml").write_text(f"<dataset>\n{body}</dataset>\n", encoding="utf-8")
    return folder


def test_reader_repairs_vancouver_year_in_volume(tmp_path: Path) -> None:
    folder = _write_data(tmp_path / "data", 1)
    (sequence,) = dataset.read_sequences(folder / "tiny.xml")
    assert sequence.fields[3:5] == (("date", "2015;"), ("volume", "7(9):"))
    tokens, labels = sequence.tokens_and_labels()
    assert tokens[-3:] == ["2015;", "7(9):", "8199-8226."]
    assert labels[-3:] == ["date", "volume", "pages"]


def test_split_is_fixed_and_disjoint(tmp_path: Path) -> None:
    folder = _write_data(tmp_path / "data", 60)
    sequences = dataset.read_sequences(folder / "tiny.xml")
    first = dataset.split(sequences)
    second = dataset.split(list(reversed(sequences)))
    assert {s.text for s in first[1]} == {s.text for s in second[1]}
    assert not {s.text for s in first[0]} & {s.text for s in first[1]}
    assert 0 < len(first[1]) < len(sequences)


@pytest.mark.parametrize("bucket", [1, 5, 9])
def test_dev_splits_stay_out_of_training_and_of_the_held_out_split(
    tmp_path: Path, bucket: int
) -> None:
    sequences = dataset.read_sequences(_write_data(tmp_path / "data", 200) / "tiny.xml")
    _, held_out = dataset.split(sequences)
    train_part, dev = dataset.split(sequences, dev=bucket)
    texts = [{s.text for s in part} for part in (train_part, dev, held_out)]
    assert dev
    assert not texts[0] & texts[1]
    assert not texts[1] & texts[2]
    assert not texts[0] & texts[2]
    assert len(train_part) + len(dev) + len(held_out) == len(sequences)


def test_train_command_writes_a_model_that_labels(tmp_path: Path) -> None:
    import pycrfsuite

    folder = _write_data(tmp_path / "data", 30)
    output = tmp_path / "model.crfsuite"
    assert train.main(["--data", str(folder), "--output", str(output)]) == 0
    tagger = pycrfsuite.Tagger()
    tagger.open(str(output))
    assert set(tagger.labels()) >= {"author", "title", "journal", "date", "volume", "pages"}
    listed = crf.attributes_path(output).read_text(encoding="utf-8").splitlines()
    assert listed == sorted({attribute for attribute, _ in tagger.info().state_features})


def test_training_is_deterministic(tmp_path: Path) -> None:
    """The shipped model must be exactly what the training command produces: two runs on
    the same data give the same model bytes."""
    folder = _write_data(tmp_path / "data", 30)
    outputs = [tmp_path / "one" / "model.crfsuite", tmp_path / "two" / "model.crfsuite"]
    for output in outputs:
        assert train.main(["--data", str(folder), "--output", str(output)]) == 0
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    lists = [crf.attributes_path(output).read_bytes() for output in outputs]
    assert lists[0] == lists[1]


def test_shipped_attribute_list_is_the_shipped_models() -> None:
    """The list beside the model decides which features the tagger is given: a stale one
    would silently drop features the model has weights for."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf.model_path()))
    listed = crf.attributes_path(crf.model_path()).read_text(encoding="utf-8").splitlines()
    assert listed == sorted({attribute for attribute, _ in tagger.info().state_features})


@pytest.mark.parametrize(
    "text",
    [
        "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en therapie. "
        "Nutrients. 2015;7(9):8199-8226.",
        "Zyxwv, Q. (1999). Qwertzuiop flibbertigibbet. Unheardof Quarterly, 3(2), 45-67.",
    ],
    ids=["vancouver", "unknown-words"],
)
def test_leaving_out_unknown_attributes_changes_no_label(text: str) -> None:
    """The tagger is given only the attributes the model knows; with all of them it must
    label every token the same."""
    tokens = tokenize(text)
    tagger, known = crf._tagger()
    every = sequence_features(tokens)
    kept = sequence_features(tokens, known)
    assert sum(map(len, kept)) < sum(map(len, every))
    assert tagger.tag(kept) == tagger.tag(every) == crf.label(tokens)


@pytest.mark.parametrize("content", [None, "<dataset><sequence>"], ids=["no-files", "broken-xml"])
def test_bad_data_exits_with_input_error(
    tmp_path: Path, content: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    if content is not None:
        (folder / "bad.xml").write_text(content, encoding="utf-8")
    assert train.main(["--data", str(folder), "--output", str(tmp_path / "m")]) == 6
    assert capsys.readouterr().err.startswith("Error: ")


def test_missing_model_says_how_to_rebuild_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from refman.errors import RefmanError

    monkeypatch.setattr(crf, "model_path", lambda: tmp_path / "absent.crfsuite")
    crf._tagger.cache_clear()
    try:
        with pytest.raises(RefmanError, match=r"python -m refman\.parsing\.train"):
            crf.label(["Smith", "J."])
    finally:
        crf._tagger.cache_clear()
