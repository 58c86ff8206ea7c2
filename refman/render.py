"""The one place refman runs pandoc: styled bibliographies and citations from CSL-JSON.

pandoc 3.x's citeproc, shipped as a binary by ``pypandoc-binary``, matched
citeproc-js (Zotero's engine) on 34 of 35 real entries where citeproc-py matched 6
(``docs/csl.md``), so it is the engine. Each call is one pandoc process (two for a
large APA/Chicago bibliography, see ``without_disambiguation``), never one per
entry: the items are written as a CSL-JSON bibliography in the wanted order, and a small Markdown
stub either cites nothing but lists every item (``nocite: @*``, so numeric styles
number the items in that order) or cites the items once (for ``refman cite``).

What pandoc gets wrong or leaves open is handled here:

- pandoc rejects what CSL does not define (list-valued ISSNs, affiliations), so
  items are reduced to CSL variables (``refman.csljson.to_csl``);
- titles carry Crossref markup; pandoc reads only CSL's rich-text tags and no
  entities, so titles are rewritten by ``refman.markup`` first (plain text gets no
  markup at all, as citeproc-js's text output has none);
- a ``<names>`` element holding only a ``<label>`` (NLM/Vancouver and AMA chapter
  editors) makes pandoc print the label first (``In, editorsPervin LA``); the style
  is given an explicit ``<name/>`` before such labels, which is what CSL means;
- pandoc's title case keeps only ~30 short words lowercase; citeproc-js keeps its
  whole list (``under``, ``between``, ``without``, ``according to`` ...). For styles
  that title-case, those words are marked ``nocase`` so both engines agree; the
  marks are removed from the output again (``data/pandoc-output.lua``);
- italics inside italics stay italic in pandoc; CSL and citeproc-js turn them roman;
- the output clean-up (``data/pandoc-output.lua``) runs only where it can change
  something (citations; HTML/Markdown of titles with markup): a Lua filter costs a
  quarter of the time of a 1,000-entry bibliography;
- pandoc links titles to their DOI when the style prints none; citeproc-js does
  not, so ``link-bibliography`` is off.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Literal

from refman import csljson, markup
from refman.errors import ExternalToolError
from refman.model import CslItem, family_name, first_author, issued_year, text_field

Fmt = Literal["text", "html", "markdown"]
"""The styled output formats."""

_WRITERS: dict[str, str] = {
    "text": "plain",
    "html": "html",
    "markdown": "markdown-smart-fenced_divs-native_divs-bracketed_spans-native_spans"
    "-raw_html-raw_attribute-link_attributes",
}
"""pandoc writers; Markdown without pandoc's div/span wrappers, with literal dashes/quotes."""

_TIMEOUT_SECONDS = 120.0

_CITEPROC_JS_ONLY_STOP_WORDS = frozenset(
    {
        "above",
        "across",
        "afore",
        "after",
        "against",
        "along",
        "alongside",
        "amid",
        "amidst",
        "among",
        "amongst",
        "anenst",
        "apropos",
        "apud",
        "around",
        "aside",
        "astride",
        "athwart",
        "atop",
        "barring",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "circa",
        "despite",
        "during",
        "except",
        "forenenst",
        "given",
        "inside",
        "lest",
        "like",
        "modulo",
        "near",
        "next",
        "notwithstanding",
        "off",
        "out",
        "per",
        "plus",
        "pro",
        "qua",
        "sans",
        "since",
        "than",
        "through",
        "throughout",
        "thruout",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "upon",
        "versus",
        "vs",
        "vs.",
        "vis-à-vis",
        "within",
        "without",
        "et",
        "al.",
        "ca",
        "according to",
        "ahead of",
        "apart from",
        "as for",
        "as of",
        "as per",
        "as regards",
        "aside from",
        "back to",
        "because of",
        "close to",
        "due to",
        "except for",
        "far from",
        "inside of",
        "instead of",
        "near to",
        "next to",
        "on to",
        "out from",
        "out of",
        "outside of",
        "prior to",
        "pursuant to",
        "rather than",
        "regardless of",
        "such as",
        "that of",
        "up to",
        "where as",
    }
)
"""Words and phrases citeproc-js lowercases in English title case and pandoc capitalises."""

_STOP_WORD = re.compile(
    r"(?<=[^:\s][\s-])("
    + "|".join(
        re.escape(word) for word in sorted(_CITEPROC_JS_ONLY_STOP_WORDS, key=len, reverse=True)
    )
    + r")(?=[\s,;)\]])"
)
"""One of those words, not first, not last, not right after a colon (those are capitalised).

After a hyphen too: citeproc-js writes ``Katanin-like``, pandoc ``Katanin-Like``.
"""

_RUNTIME_OPTIONS = ("+RTS", "-A64m", "-RTS")
"""A larger GHC allocation area: a quarter less CPU on 1,000 entries (fewer collections)."""
SPLIT_ABOVE = 100
"""Bibliographies longer than this are rendered in two runs when the style allows it."""
_NOCITE_ALL = "---\nnocite: '@*'\n---\n"
_CITATION_TAG = re.compile(r"<citation\b[^>]*>")
_COSTLY_RULE = re.compile(r'givenname-disambiguation-rule="(?!by-cite")')
_DISAMBIGUATION = re.compile(
    r'\s(?:disambiguate-add-(?:givenname|names|year-suffix)|givenname-disambiguation-rule)="[^"]*"'
)
_SUBSTITUTE = re.compile(r"<bibliography\b[^>]*subsequent-author-substitute=")
_TAG = re.compile("\ue000\\d+\ue001")
"""The private-use tag that finds a re-rendered entry's line (see ``_assemble``)."""

_FORCED_CASE_TITLE = re.compile(
    r'<text\b(?=[^>]*variable="(?:container-)?title")(?=[^>]*text-case="(?:upper|lower)case")'
)
_LABEL_FIRST = re.compile(r"(<names\b[^>]*(?<!/)>\s*)(<label\b)")
_NAME_TAG = re.compile(r"<name[\s/>]")


def render_bibliography(
    items: Sequence[CslItem], style: Path, *, locale: str | None = None, fmt: Fmt = "text"
) -> str:
    """The bibliography of ``items`` in ``style``, sorted and numbered as the style says.

    Numeric styles number the items in the order given. Text output has one entry
    per line; Markdown one paragraph per entry; HTML is pandoc's ``csl-bib-body`` div.
    """
    if not items:
        return ""
    style_text = _read_style(style)
    fast_style = without_disambiguation(style_text) if len(items) > SPLIT_ABOVE else None
    if fast_style is None:
        output = _run_pandoc(items, style_text, _NOCITE_ALL, locale, fmt)
    else:
        output = _assemble(items, style_text, fast_style, locale, fmt)
    if fmt == "text":
        return "\n".join(line for line in output.splitlines() if line.strip()) + "\n"
    return output


def render_citation(
    items: Sequence[CslItem],
    style: Path,
    *,
    locale: str | None = None,
    fmt: Fmt = "text",
    context: Sequence[CslItem] = (),
) -> str:
    """One in-text citation of ``items`` together (``(Gröber et al., 2015)``, ``[1]``, ``¹``).

    For a note style the citation is the text of its footnote. ``context``: other
    works of the bibliography the citation must be told apart from (same first
    author, same year), so a citation gets the ``2019b`` the bibliography prints.
    They are listed as not cited, which numeric styles number after the cited ones.
    """
    if not items:
        return ""
    every = [*items, *context]
    ids = [f"@{{{_pandoc_id(item, number)}}}" for number, item in enumerate(every, start=1)]
    keys, others = "; ".join(ids[: len(items)]), ", ".join(ids[len(items) :])
    stub = f"---\nnocite: '{others}'\n---\n[{keys}]\n" if others else f"[{keys}]\n"
    return _run_pandoc(every, _read_style(style), stub, locale, fmt, citation=True).strip() + "\n"


def _pandoc_id(item: CslItem, number: int) -> str:
    """The id pandoc knows the ``number``-th item by (its own, else ``item<number>``)."""
    return str(item.get("id") or f"item{number}")


def same_author_year(cited: Sequence[CslItem], pool: Sequence[CslItem]) -> list[CslItem]:
    """The works of ``pool``, not cited, whose first author and year equal a cited work's."""
    wanted = {_author_year(item) for item in cited}
    ids = {item.get("id") for item in cited}
    return [item for item in pool if item.get("id") not in ids and _author_year(item) in wanted]


_FINAL_PERIOD = re.compile(r"(?<=[^\W\d_]{4})\.$")
"""A title's closing period after a word of four or more letters (not ``et al.``, ``U.S.``)."""


def without_final_period(title: str) -> str:
    """The title without the sentence period some records end it with.

    The style adds its own punctuation after the title; citeproc-js then prints one
    period where pandoc prints two (``resistance.. (1999)``). Abbreviations keep theirs.
    """
    return _FINAL_PERIOD.sub("", title)


def pandoc_path() -> str:
    """The pandoc binary shipped in ``pypandoc-binary`` (never a system pandoc 2.x).

    The binary sits at ``pypandoc/files/pandoc``; finding it there spares every
    ``refman cite`` the import of pypandoc (a tenth of its start-up budget). Any
    other layout is left to ``pypandoc.get_pandoc_path()``.
    """
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            shipped = Path(folder) / "files" / "pandoc"
            if shipped.is_file():
                return str(shipped)
    import pypandoc  # noqa: TID251 - refman.render is the only pandoc runner

    try:
        path: str = pypandoc.get_pandoc_path()
    except OSError as exc:
        raise ExternalToolError(
            "pandoc was not found; reinstall it with: pip install --force-reinstall pypandoc-binary"
        ) from exc
    return path


def _run_pandoc(
    items: Sequence[CslItem],
    style_text: str,
    stub: str,
    locale: str | None,
    fmt: Fmt,
    *,
    citation: bool = False,
) -> str:
    with tempfile.TemporaryDirectory(prefix="refman-") as tmp:
        folder = Path(tmp)
        bibliography = folder / "items.json"
        prepared = pandoc_items(items, fmt, title_case=needs_stop_word_protection(style_text))
        payload = json.dumps(prepared, ensure_ascii=False)
        bibliography.write_text(payload, "utf-8")
        csl = folder / "style.csl"
        csl.write_text(patch_style(style_text), "utf-8")
        command = [
            pandoc_path(),
            *_RUNTIME_OPTIONS,
            "--from=markdown",
            f"--to={_WRITERS[fmt]}",
            "--wrap=none",
            "--citeproc",
            f"--bibliography={bibliography}",
            f"--csl={csl}",
            "--metadata=link-bibliography=false",
        ]
        if locale:
            command.append(f"--metadata=lang={locale}")
        if citation:
            command.append("--metadata=suppress-bibliography=true")
        if citation or (fmt != "text" and "<" in payload):
            command.append(f"--lua-filter={_data_file('pandoc-output.lua')}")
        return _execute(command, stub)


def _read_style(style: Path) -> str:
    try:
        return style.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExternalToolError(f"cannot read style file {style}: {exc}") from exc


def _data_file(name: str) -> Path:
    """A file shipped in ``refman/data`` (the Lua filters pandoc runs)."""
    return Path(str(resources.files("refman") / "data" / name))


# --- large author-date bibliographies ---------------------------------------------------------


def without_disambiguation(style_text: str) -> str | None:
    """The style without citation disambiguation, when a split render gives the same result.

    pandoc's citeproc disambiguates given names (``givenname-disambiguation-rule``
    other than ``by-cite``: APA, Chicago) in time quadratic in the number of
    entries: 1,000 APA entries take tens of seconds. Disambiguation only changes a
    bibliography entry through its year suffix, and only entries whose first
    author and year coincide can be ambiguous, so the bibliography is rendered
    without disambiguation and those entries again, with it, on their own (two
    pandoc runs, the second on the few possibly ambiguous entries). That is
    exact for author-date styles; numeric styles (numbering) and styles that
    replace repeated authors (``subsequent-author-substitute``) depend on their
    neighbours, so they are rendered in one run as they are.
    """
    citation = _CITATION_TAG.search(style_text)
    if citation is None or not _COSTLY_RULE.search(citation.group(0)):
        return None
    if 'citation-format="author-date"' not in style_text or _SUBSTITUTE.search(style_text):
        return None
    bare = _DISAMBIGUATION.sub("", citation.group(0))
    return style_text[: citation.start()] + bare + style_text[citation.end() :]


def _assemble(
    items: Sequence[CslItem], style_text: str, fast_style: str, locale: str | None, fmt: Fmt
) -> str:
    """All entries rendered without disambiguation, the possibly ambiguous ones redone with it.

    The possibly ambiguous items carry a private-use tag at the end of their title in
    both runs, so their lines can be found and swapped; should one have no title, or
    the style not print it, the whole bibliography is rendered in one run instead.
    """
    candidates = possibly_ambiguous(items)
    if not candidates:
        return _run_pandoc(items, fast_style, _NOCITE_ALL, locale, fmt)
    if not all(text_field(item, "title") for item in candidates):
        return _run_pandoc(items, style_text, _NOCITE_ALL, locale, fmt)
    numbers = {id(item): number for number, item in enumerate(candidates)}
    tagged = [
        _tag_title(item, numbers[id(item)]) if id(item) in numbers else item for item in items
    ]
    ambiguous = [item for item in tagged if _TAG.search(str(item.get("title")))]
    output = _run_pandoc(tagged, fast_style, _NOCITE_ALL, locale, fmt)
    again = _run_pandoc(ambiguous, style_text, _NOCITE_ALL, locale, fmt)
    redone = {tag: line for line in again.splitlines() for tag in _TAG.findall(line)}
    found = [tag for line in output.splitlines() for tag in _TAG.findall(line)]
    if sorted(found) != sorted(redone) or len(found) != len(ambiguous):
        return _run_pandoc(items, style_text, _NOCITE_ALL, locale, fmt)
    lines = [_swap(line, redone) for line in output.splitlines(keepends=True)]
    return _TAG.sub("", "".join(lines))


def _tag_title(item: CslItem, number: int) -> CslItem:
    return {**item, "title": f"{text_field(item, 'title')}\ue000{number}\ue001"}


def _swap(line: str, redone: dict[str, str]) -> str:
    """``line`` from the fast run, or the disambiguated line of the same tagged entry."""
    tag = _TAG.search(line)
    if tag is None:
        return line
    return redone[tag.group(0)] + ("\n" if line.endswith("\n") else "")


def possibly_ambiguous(items: Sequence[CslItem]) -> list[CslItem]:
    """Items whose author-date citation could equal another's: same first name, same year.

    The first author (else editor) family name, case-folded; items without either all
    count as one name, since their styles substitute titles or other fields.
    """
    groups: dict[tuple[str, int | None], list[CslItem]] = {}
    for item in items:
        groups.setdefault(_author_year(item), []).append(item)
    return [item for group in groups.values() if len(group) > 1 for item in group]


def _author_year(item: CslItem) -> tuple[str, int | None]:
    name = first_author(item)
    return (family_name(name).casefold() if name else "", issued_year(item))


def _execute(command: list[str], stdin: str) -> str:
    try:
        done = subprocess.run(
            command,
            input=stdin.encode("utf-8"),
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except OSError as exc:
        raise ExternalToolError(
            f"pandoc could not be started ({exc}); "
            "reinstall it with: pip install --force-reinstall pypandoc-binary"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ExternalToolError(
            f"pandoc did not finish within {_TIMEOUT_SECONDS:.0f} s; export fewer entries at once"
        ) from exc
    message = done.stderr.decode("utf-8", errors="replace").strip()
    if done.returncode != 0:
        raise ExternalToolError(
            f"pandoc failed (exit {done.returncode}): {message or 'no message'}; "
            "check the style file, or report the entries that trigger it"
        )
    return done.stdout.decode("utf-8")


def needs_stop_word_protection(style_text: str) -> bool:
    """True when the style title-cases and never upper- or lowercases a title.

    A ``nocase`` word also escapes ``uppercase``/``lowercase``, so styles that do that
    to titles (6 of 10,844) get no stop-word protection.
    """
    return 'text-case="title"' in style_text and not _FORCED_CASE_TITLE.search(style_text)


def _is_english(item: CslItem) -> bool:
    """CSL title-cases only English items (no ``language`` counts as English)."""
    language = str(item.get("language") or "en").lower()
    return language.startswith("en")


def protect_stop_words(title: str) -> str:
    """``title`` with citeproc-js's extra stop words wrapped in ``nocase`` spans."""
    return _STOP_WORD.sub(r'<span class="nocase">\1</span>', title)


def patch_style(text: str) -> str:
    """The style with ``<name/>`` before every ``<label>`` that opens a ``<names>`` without name.

    CSL puts a label after the names unless a ``<name>`` follows it; pandoc puts
    it first when there is no ``<name>`` at all. Naming the default explicitly
    gives both engines the same reading.
    """

    def fix(match: re.Match[str]) -> str:
        rest = text[match.end() :]
        ends = [at for at in (rest.find("<substitute"), rest.find("</names>")) if at >= 0]
        body = rest[: min(ends)] if ends else rest
        if _NAME_TAG.search(body):
            return match.group(0)
        return f"{match.group(1)}<name/>{match.group(2)}"

    return _LABEL_FIRST.sub(fix, text)


def pandoc_items(items: Sequence[CslItem], fmt: Fmt, *, title_case: bool = False) -> list[CslItem]:
    """CSL-JSON for pandoc: schema-valid variables only, titles prepared for ``fmt``.

    pandoc rejects what CSL does not define (Crossref's list-valued ISSNs, nested
    affiliations), so items are reduced to CSL variables first (``refman.csljson``).

    ``title_case``: the style title-cases, so English titles get citeproc-js's stop words
    protected.
    """
    convert = markup.to_plain if fmt == "text" else markup.to_csl
    prepared = []
    for number, item in enumerate(items, start=1):
        clean = {key: value for key, value in csljson.to_csl(item).items() if key != "custom"}
        protect = title_case and _is_english(clean)
        for key, value in clean.items():
            if "title" in key and isinstance(value, str | list):
                title = convert(text_field(clean, key))
                title = without_final_period(title) if key == "title" else title
                clean[key] = protect_stop_words(title) if protect else title
        clean["id"] = _pandoc_id(item, number)
        prepared.append(clean)
    return prepared
