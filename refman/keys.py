"""Citation keys: ``{auth}{year}{shorttitle}`` in lower-case ASCII, stable once given.

A key is what the author types in ``\\cite{...}``, so it must be predictable
(``grober2015magnesium``), plain ASCII whatever the script of the name
(``Gröber`` -> ``grober``, ``Straße`` -> ``strasse``, ``Иванов`` -> ``ivanov``),
and it never changes after the entry is stored: the library never re-keys an
entry, collisions get ``a``, ``b``, ... on the new key instead.

Pattern fields: ``{auth}`` first author's family name (an organisation: its
initials, ``nih``), ``{authors}`` up to two family names or the first plus
``etal``, ``{year}`` (``nd`` when unknown), ``{shorttitle}`` the first
significant title word (hyphenated parts joined, at most 10 characters,
``magnesiuml``), ``{title}`` the first three significant words.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from itertools import count

from anyascii import anyascii

from refman.errors import UsageError
from refman.model import CslItem, CslName, creators, family_name, issued_year, text_field

DEFAULT_PATTERN = "{auth}{year}{shorttitle}"
SHORTTITLE_LENGTH = 10

_STOP_WORDS_TEXT = """a an and the of on in at to for from with by as is are be or not about
    into via de het een van en der die das le la les du des el los las il lo un une
    über zur zum dem den"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_ORG_SKIP = frozenset({"of", "for", "and", "the", "de", "van", "für", "und"})
_FIELD = re.compile(r"\{(\w+)\}")


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (transliterated, punctuation dropped)."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s/—–]+", text) if ascii_word(w)]


def _name_part(name: CslName) -> str:
    if "literal" in name and not name.get("family"):
        words = [w for w in _words(name["literal"]) if w.lower() not in _ORG_SKIP]
        if len(words) > 1:
            return "".join(ascii_word(w)[0] for w in words)
    return ascii_word(family_name(name).split()[-1] if family_name(name).split() else "")


def _auth(item: CslItem) -> str:
    names = creators(item)
    return (_name_part(names[0]) if names else "") or "anon"


def _authors(item: CslItem) -> str:
    names = creators(item)
    if len(names) > 2:
        return _name_part(names[0]) + "etal"
    return "".join(_name_part(n) for n in names) or "anon"


def _year(item: CslItem) -> str:
    year = issued_year(item)
    if year is None:
        accessed = item.get("accessed")
        year = issued_year({"issued": accessed}) if accessed else None
    return str(year) if year is not None else "nd"


def _significant(item: CslItem) -> list[str]:
    words = []
    for word in _words(text_field(item, "title")):
        if anyascii(word).lower().strip(".,:;!?'\"()") in STOP_WORDS:
            continue
        words.append(ascii_word(word))
    return words


def _shorttitle(item: CslItem) -> str:
    words = _significant(item)
    return words[0][:SHORTTITLE_LENGTH] if words else ""


def _title(item: CslItem) -> str:
    return "".join(_significant(item)[:3])


FIELDS: dict[str, Callable[[CslItem], str]] = {
    "auth": _auth,
    "authors": _authors,
    "year": _year,
    "shorttitle": _shorttitle,
    "title": _title,
}


def validate_pattern(pattern: str) -> None:
    """Raise ``UsageError`` when the pattern names a field refman does not know."""
    unknown = sorted(set(_FIELD.findall(pattern)) - set(FIELDS))
    if unknown or not _FIELD.search(pattern):
        known = ", ".join("{" + name + "}" for name in FIELDS)
        raise UsageError(f"key pattern {pattern!r} is not usable; use fields among {known}")


def base_key(item: CslItem, pattern: str = DEFAULT_PATTERN) -> str:
    """The key the pattern gives for ``item``, before collisions are resolved."""
    validate_pattern(pattern)
    key = _FIELD.sub(lambda m: FIELDS[m.group(1)](item), pattern)
    return re.sub(r"[^a-z0-9_:\-]", "", anyascii(key).lower()) or "ref"


def make_key(item: CslItem, taken: Collection[str], pattern: str = DEFAULT_PATTERN) -> str:
    """A new key for ``item`` that is not in ``taken`` (compared case-insensitively)."""
    base = base_key(item, pattern)
    used = {key.lower() for key in taken}
    if base not in used:
        return base
    return next(key for key in (base + _suffix(n) for n in count(1)) if key not in used)


def _suffix(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: the collision suffixes."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
