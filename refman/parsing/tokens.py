"""Split one reference into the tokens the sequence labeller sees.

Tokens are whitespace-separated words, as in anystyle's training data, with a
few extra cuts where references glue fields together without spaces:
Vancouver's ``2024;8:100121`` becomes ``2024;`` ``8:`` ``100121`` and
``Sci.2012;17`` becomes ``Sci.`` ``2012;`` ``17``; a PDF's missing space
(``disease.Blood``) is put back. The training data was
written with spaces there, so cutting makes pasted text look like it.
"""

from __future__ import annotations

import re

_GLUE = re.compile(
    r"(?<=[\d)\]][;:])(?=[\d(])"  # 2024;8  8:100121  17(12):1161
    r"|(?<=[\d)][;:])(?=[A-Za-z]\d)"  # 64(4 Suppl):S289  132:S17  5:e10554  59:o622
    r"|(?<=\d,)(?=\()|(?<=\),)(?=\d)"  # 12,(1),15-20
    r"|(?<=[A-Za-z]\.)(?=(?:1[6-9]|20)\d\d\b)"  # Sci.2012
    r"|(?<=\d{4}\.)(?=\d)"  # 2012.17(3)
)
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{3}[.?])(?=[A-Z][a-z])")  # disease.Blood
_DIGIT = re.compile(r"\d")
_URLISH = re.compile(r"(?i)^(?:https?:|www\.|doi:|10\.\d{4,9}/|arxiv:|urn:)")


def tokenize(text: str) -> list[str]:
    """The tokens of ``text``: whitespace words, Vancouver glue cut apart."""
    tokens: list[str] = []
    for word in text.split():
        if _URLISH.match(word):
            tokens.append(word)
            continue
        parts = _GLUED_SENTENCE.split(word) if "." in word or "?" in word else [word]
        for part in parts:
            if _DIGIT.search(part):
                tokens.extend(piece for piece in _GLUE.split(part) if piece)
            elif part:
                tokens.append(part)
    return tokens
