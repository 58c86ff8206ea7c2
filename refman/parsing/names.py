"""Author and editor strings -> CSL names.

Handles the orders references use: Vancouver (``Hausenblas HA, Lynch T``),
inverted (``Romero, C., Dweck, C.``; ``Adams, Nicholson B.``), natural
(``S. E. Han, G. Chen``; ``John Smith and Jane Doe``) and mixtures of the
last two (``Lee, L. L., W. E. Howard, and R. E. Marsh``); particles
(``van der``, ``de la``) go to ``non-dropping-particle``; ``et al.``, ``u. a.``
and ``e.a.`` become a last ``{"literal": "others"}``; an organisation becomes
``{"literal": ...}``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from refman.model import ET_AL, CslName
from refman.parsing import lexicon

_ET_AL = re.compile(
    r"[,;]?\s*(?:\b(?i:et)\s*(?i:al)\b\.?|(?<![\w.])[ue]\.\s*a\.|\b(?i:and\s+others)\b"
    r"|\b(?i:et\s+coll?)\b\.?)"
)
"""``et al.``, ``et al``, ``u. a.``, ``e.a.``, ``and others``, ``et coll.``; ``u. a.`` and
``e.a.`` only in lower case, so that the initials ``E. A.`` stay a name."""
_EDITOR_WORDS = re.compile(
    r"(?i)(?:^|\s|\()(?:eds?|editors?|edited\s+by|hrsg|hg|red|éds?|dirs?|coord|comps?|trans"
    r"|translated\s+by|übers)\.?(?=\s|\)|,|$)\)?|^\s*(?:in|dans|en|im)\s*:?\s+(?=\S)"
)
_ET_AL_STEMS = ("et", "u.", "e.", "others")
_EDITOR_STEMS = (
    "ed",
    "hrsg",
    "hg",
    "red",
    "dir",
    "coord",
    "comp",
    "trans",
    "übers",
    "in",
    "dans",
    "en",
    "im",
)
_CONJUNCTION = re.compile(r"(?i)\s*(?:,\s*)?(?:\band\b|&|\bund\b|\ben\b|\bet\b|\by\b|\be\b)\s+")
_INITIALS = re.compile(r"^(?:[^\W\d_a-z]\.?-?){1,4}\.?$")
_LETTERS = re.compile(r"[^\W\d_]+")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_INITIAL_LETTER = re.compile(r"[^\W\d_a-z]")


@lru_cache(maxsize=1 << 14)
def _is_initials(word: str) -> bool:
    return bool(_INITIALS.match(word)) and word.upper() == word


def _expand_initials(word: str) -> str:
    """``HA`` -> ``H. A.``; ``D.I.`` -> ``D. I.``; ``J.-P.`` stays."""
    if "-" in word:
        return word if word.endswith(".") else word + "."
    return " ".join(f"{letter}." for letter in _INITIAL_LETTER.findall(word))


@lru_cache(maxsize=1 << 14)
def _given_word(word: str) -> str:
    return _expand_initials(word) if _is_initials(word) else word


def _given(words: list[str]) -> str:
    return " ".join(map(_given_word, words))


@lru_cache(maxsize=1 << 14)
def _name_word(word: str) -> str:
    """A word of a name as kept: initials as written, other words without dots; empty when
    it has no letters (``&``, ``1``)."""
    if not _LETTERS.search(word):
        return ""
    return word if _is_initials(word) else word.strip(".")


def _family(words: list[str]) -> CslName:
    """A family name, its lower-case particles split off (``van der Berg``)."""
    particles: list[str] = []
    rest = list(words)
    while len(rest) > 1 and rest[0].lower() in lexicon.PARTICLES and rest[0][:1].islower():
        particles.append(rest.pop(0))
    name: CslName = {"family": " ".join(rest)}
    if particles:
        name["non-dropping-particle"] = " ".join(particles)
    return name


def _natural(words: list[str]) -> CslName:
    """``Given [particles] Family``."""
    if len(words) == 1:
        return _family(words)
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in lexicon.PARTICLES and words[cut - 1][:1].islower():
        cut -= 1
    return {**_family(words[cut:]), "given": _given(words[:cut])}


def _with_given(family: CslName, given: str) -> CslName:
    return {**family, "given": given} if given else family


def _join_capital_particles(words: list[str]) -> list[str]:
    """``VAN DER HEIJDEN M``, ``DE JONG CA``: in capitals, particles and a short family
    look like initials; a name that opens with a particle in capitals and ends with
    initials is Vancouver's family-then-initials, so all but the initials is the family."""
    opens = words[0].isupper() and words[0].lower() in lexicon.PARTICLES
    if len(words) >= 3 and opens and _is_initials(words[-1]):
        return [" ".join(words[:-1]), words[-1]]
    return words


def _capitals_family_first(words: list[str]) -> bool:
    """``WU X``, ``LI DE``: two words in capitals that could both be initials; a first one
    of two or more letters without full stops is Vancouver's family name."""
    first = words[0]
    return len(words) == 2 and all(map(_is_initials, words)) and len(first) >= 2 and first.isalpha()


def _one_part(words: list[str]) -> CslName:
    """A name without a comma inside: Vancouver or natural order; ``Jr`` as a suffix."""
    words = _join_capital_particles(words)
    if _capitals_family_first(words):
        return _with_given(_family(words[:1]), _given(words[1:]))
    if len(words) >= 2 and words[-1].rstrip(".").lower() in _SUFFIXES:
        return {**_one_part(words[:-1]), "suffix": words[-1]}
    if len(words) >= 2 and _is_initials(words[-1]) and not _is_initials(words[0]):
        cut = len(words) - 1
        while cut > 1 and _is_initials(words[cut - 1]):
            cut -= 1  # Smith J. A.
        return _with_given(_family(words[:cut]), _given(words[cut:]))
    if len(words) >= 2 and "." not in words[0] and all("." in w for w in words[1:]):
        return _with_given(_family(words[:1]), _given(words[1:]))  # MENU M., FU B.
    if len(words) >= 2 and _is_initials(words[0]):
        cut = 1
        while cut < len(words) - 1 and _is_initials(words[cut]):
            cut += 1
        return _with_given(_family(words[cut:]), _given(words[:cut]))
    return _natural(words)


_MAX_FAMILY_WORDS = 4


def _pairs_with_next(part: list[str], following: list[str] | None) -> bool:
    """``Smith`` followed by ``J.`` or ``John``: an inverted ``Family, Given`` pair. A
    family of several words (``García Márquez, G.``, ``De Weert-Van Oene, G. H.``) pairs
    with initials only: before a full given name it may be a person in natural order."""
    if following is None or not following or _is_initials(part[-1]):
        return False
    initials = all(_is_initials(w) for w in following)
    if all(w.lower() in lexicon.PARTICLES for w in part[:-1]):
        return initials or len(following) <= 3
    return initials and len(part) <= _MAX_FAMILY_WORDS and not _is_initials(part[0])


def is_organisation(text: str) -> bool:
    """Whether an author string names an organisation, not people."""
    if lexicon.ORGANISATION_WORDS.isdisjoint(_LETTERS.findall(text.lower())):
        return False
    return not any(_is_initials(w) for w in text.replace(",", " ").split())


def _split_et_al(text: str) -> tuple[str, bool]:
    """The name list without ``et al.`` (or ``u. a.``...), and whether it had one."""
    lower = text.lower()
    if not any(stem in lower for stem in _ET_AL_STEMS):
        return text, False
    cleaned, count = _ET_AL.subn("", text)
    return cleaned, count > 0


def _drop_editor_markers(text: str) -> str:
    """Drop editor markers (``eds.``, ``Hrsg.``, ``In:``) and edge punctuation from a name
    list already without its ``et al.``."""
    if any(stem in text.lower() for stem in _EDITOR_STEMS):
        text = _EDITOR_WORDS.sub(" ", text)
    return text.strip(" ,;:.()[]")


def parse_names(text: str) -> list[CslName]:
    """A name list as written in a reference -> CSL names, in order; a list that ends in
    ``et al.`` ends in ``ET_AL``."""
    listed, has_et_al = _split_et_al(" ".join(text.split()))
    names = _parse_clean(_drop_editor_markers(listed))
    return [*names, dict(ET_AL)] if names and has_et_al else names


def _parse_clean(text: str) -> list[CslName]:
    """Names from a list already stripped of ``et al.`` and editor markers."""
    if not text:
        return []
    if is_organisation(text):
        return [{"literal": text}]
    chunks = text.split(";") if ";" in text else [text]
    names: list[CslName] = []
    for chunk in chunks:
        parts = [
            [word for w in p.split() if (word := _name_word(w))]
            for p in _CONJUNCTION.sub(", ", chunk).split(",")
        ]
        parts = [p for p in parts if p]
        index = 0
        while index < len(parts):
            part = parts[index]
            following = parts[index + 1] if index + 1 < len(parts) else None
            if following is not None and _pairs_with_next(part, following):
                names.append(_with_given(_family(part), _given(following)))
                index += 2
            else:
                names.append(_one_part(part))
                index += 1
    return names
