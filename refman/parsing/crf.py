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


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import pycrfsuite

    path = _CHOSEN.get("model") or model_path()
    if not path.is_file():
        raise RefmanError(
            f"the parser model {path} is missing; rebuild it with 'python -m refman.parsing.train'"
        )
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def label(tokens: Sequence[str]) -> list[str]:
    """One field label per token (``author``, ``title``, ``journal``, ``date``...)."""
    if not tokens:
        return []
    labels: list[str] = _tagger().tag(sequence_features(tokens))
    return labels
