"""Fix the CRF's labels where it is known to stumble, before fields are read.

Small, rule-based repairs for patterns that are rare in the training data:
the journal of a BMC-style ``Title. Journal 2003, 97:905`` reference, and the
book title of a chapter that follows its editors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from refman.parsing import lexicon

_SENTENCE_END = re.compile(r"(?:(?:\w{2,}|\d)\)?[.!?]|[?!])[\"”’]?$")
_MAX_JOURNAL_TOKENS = 8


def split_journal_from_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """Find the journal the CRF missed in ``Title. Journal 2003, 97:905-909`` (BMC style,
    rare in the training data): with no journal labelled but volume and pages after it,
    the place/publisher run right before the numbers, or else the title's short last
    sentence, is the journal."""
    result = list(labels)
    if "journal" in result or "container" in result or "title" not in result:
        return result
    start = result.index("title")
    end = start
    while end < len(result) and result[end] == "title":
        end += 1
    numbers = result[end:]
    if "volume" not in numbers or "pages" not in numbers:
        return result
    middle = end
    while middle < len(result) and result[middle] in {"location", "publisher"}:
        middle += 1
    if middle < len(result) and result[middle] in {"date", "volume"} and middle > end:
        result[end:middle] = ["journal"] * (middle - end)
        return result
    cuts = [k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])]
    if middle == end and cuts and end - cuts[-1] - 1 <= _MAX_JOURNAL_TOKENS:
        result[cuts[-1] + 1 : end] = ["journal"] * (end - cuts[-1] - 1)
    return result


def _runs(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` for each run of equal labels."""
    runs: list[tuple[str, int, int]] = []
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            runs.append((labels[start], start, index))
            start = index
    return runs


def container_after_editors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title. In: Editors (eds.), Book title. Place: Publisher``: a second title run right
    after the editors is the book (container) title."""
    result = list(labels)
    if "container" in result or "journal" in result:
        return result
    runs = _runs(result)
    for (label, _, _), (next_label, start, end) in pairwise(runs):
        if label == "editor" and next_label == "title" and "title" in result[:start]:
            result[start:end] = ["container"] * (end - start)
            return result
        if label == "editor" and next_label == "publisher" and "title" in result[:start]:
            stop = next((k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])), None)
            if stop is not None:
                result[start : stop + 1] = ["container"] * (stop + 1 - start)
            return result
    return result


_MAX_MOVED_TOKENS = 3


def journal_name_left_in_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title ends here. Winston-Salem Journal, pp. 1-2``: when the journal is a single
    word right after the title, the capitalised words after the title's last full stop
    belong to it."""
    result = list(labels)
    runs = _runs(result)
    for (label, start, end), (next_label, next_start, next_end) in pairwise(runs):
        if label != "title" or next_label != "journal" or next_end - next_start != 1:
            continue
        cuts = [k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])]
        moved = tokens[cuts[-1] + 1 : end] if cuts else []
        if moved and len(moved) <= _MAX_MOVED_TOKENS and all(t[:1].isupper() for t in moved):
            result[cuts[-1] + 1 : end] = ["journal"] * len(moved)
        return result
    return result


_FIELD_END = re.compile(r"(?:\w{2,}[.!?]|[.?!]?[\"”’»])[.,]?$")


def _first_run(labels: Sequence[str], label: str) -> tuple[int, int] | None:
    """``(start, end)`` of the first run of ``label``."""
    if label not in labels:
        return None
    start = labels.index(label)
    end = start
    while end < len(labels) and labels[end] == label:
        end += 1
    return start, end


def title_ends_at_in(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title. In Book title: Proceedings...``: an ``In``/``In:`` right after the title's
    closing full stop or quote starts the container, even when the CRF ran the title on."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None or "journal" in result:
        return result
    start, end = run
    for index in range(start + 1, end - 1):
        if (
            tokens[index].lower() in lexicon.CONTAINER_MARKERS
            and _FIELD_END.search(tokens[index - 1])
            and not tokens[index + 1].lower().startswith("press")
        ):
            if "container" in result[:start]:
                return result
            result[index:end] = ["container"] * (end - index)
            return result
    return result


_PUBLISHER_BRACKET = re.compile(r"^\([^\d)]*:$")


def title_ends_at_imprint(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title (Durham, NC: Duke University Press, 2003)``: the bracketed place and
    publisher of a Chicago note end the title."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None:
        return result
    start, end = run
    for index in range(start + 1, end):
        if not tokens[index].startswith("("):
            continue
        text = ""
        for token in tokens[index : min(index + 5, len(tokens))]:
            text = f"{text} {token}".strip()
            if _PUBLISHER_BRACKET.match(text):
                result[index:end] = ["location"] * (end - index)
                return result
            if ")" in token:
                break
    return result


_REPORT_WORDS = frozenset({"report", "paper", "memo", "no", "no.", "nr", "nr."})


def report_number_not_pages(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Technical Report 11``: the number after ``Report`` is the report's number, not its
    pages (``reftypes.report_number`` reads it from the text)."""
    result = list(labels)
    for label, start, end in _runs(result):
        previous = tokens[start - 1].lower().strip(",;:") if start else ""
        if label == "pages" and previous in _REPORT_WORDS and "report" in " ".join(tokens).lower():
            result[start:end] = ["note"] * (end - start)
    return result


def repair_labels(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """All repairs, in order."""
    result = split_journal_from_title(tokens, labels)
    for repair in (
        journal_name_left_in_title,
        title_ends_at_in,
        title_ends_at_imprint,
        container_after_editors,
        report_number_not_pages,
    ):
        result = repair(tokens, result)
    return result
