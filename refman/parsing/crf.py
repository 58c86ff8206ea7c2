"""The CRF sequence labeller: load the shipped model once, label token sequences.

python-crfsuite holds the model; it is opened lazily on first use so that
importing refman (and ``refman --help``) does not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from refman.errors import RefmanError
from refman.parsing.features import sequence_features

MODEL_NAME = "model.crfsuite"


_CHOSEN: dict[str, Path] = {}
"""A model file other than the shipped one, set by ``use_model`` (benchmarks of a
candidate model)."""


def model_path() -> Path:
    """Where the shipped model lives inside the installed package."""
    return Path(str(resources.files("refman.parsing") / "data" / MODEL_NAME))


def use_model(path: Path) -> None:
    """Label with the model file at ``path`` from now on, instead of the shipped one."""
    _CHOSEN["model"] = path
    _tagger.cache_clear()


def attributes_path(model: Path) -> Path:
    """The file beside a model listing the attributes it has weights for (one a line)."""
    return model.with_suffix(".attributes")


def write_attributes(model: Path) -> None:
    """List the attributes of a freshly trained model beside it, sorted (so the file is
    as reproducible as the model): reading that list is instant, where asking crfsuite
    (``Tagger.info``) takes ~0.2 s, too long for ``refman parse`` on one reference."""
    attributes = sorted(_weighted_attributes(_open(model)))
    attributes_path(model).write_text("".join(f"{a}\n" for a in attributes), encoding="utf-8")


def _weighted_attributes(tagger: Any) -> frozenset[str]:
    """Every attribute an opened model has a state weight for (slow: ~0.2 s)."""
    return frozenset(attribute for attribute, _ in tagger.info().state_features)


def _open(path: Path) -> Any:
    import pycrfsuite

    if not path.is_file():
        raise RefmanError(
            f"the parser model {path} is missing; rebuild it with 'python -m refman.parsing.train'"
        )
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def _known_attributes(path: Path, tagger: Any) -> frozenset[str]:
    listed = attributes_path(path)
    if listed.is_file():
        return frozenset(listed.read_text(encoding="utf-8").splitlines())
    return _weighted_attributes(tagger)


@lru_cache(maxsize=1)
def _tagger() -> tuple[Any, frozenset[str]]:
    """The opened model and the attributes it knows (features are cut down to those)."""
    path = _CHOSEN.get("model") or model_path()
    tagger = _open(path)
    return tagger, _known_attributes(path, tagger)


def label(tokens: Sequence[str]) -> list[str]:
    """One field label per token (``author``, ``title``, ``journal``, ``date``...)."""
    if not tokens:
        return []
    tagger, known = _tagger()
    labels: list[str] = tagger.tag(sequence_features(tokens, known))
    return labels
