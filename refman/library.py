"""The library file: read it, change a few entries, write it back safely.

Safety rules, each for a failure users have met with other tools:

- Untouched bytes stay untouched. The text is kept whole; an edit replaces one
  entry's span, removal cuts one span, adding appends. Comments, ``@string``,
  ``@preamble``, blocks that failed to parse and duplicate-key blocks are never
  rewritten, and they are reported (with line numbers) instead of dropped.
- Writes are atomic: a temp file in the same directory, ``fsync``, ``os.replace``.
  A writer killed at any moment leaves the old file or the new one.
- Writers are serialised by a lock file beside the library, and every change is
  made to a fresh read taken under the lock, so concurrent ``refman add`` runs
  all land.
- Reading 10,000 entries through bibtexparser takes seconds, so the parsed
  entries are kept in an index file in the cache directory (``marshal``: plain
  data only, several times faster to load than JSON), keyed by a hash of the
  library's bytes: a stale index is never used as such. After an edit outside
  refman, only its items are reused, each for an entry whose text (and the
  file's ``@string`` macros) is exactly what it was converted from.
- Read-only commands on a file changed outside refman split it with the fast
  scanner of :mod:`refman.bibscan` (same blocks as bibtexparser, or it declines).
  Writes cut and replace bytes only at spans bibtexparser found: a document read
  by the scanner is split again by bibtexparser before an entry is removed or
  replaced (appending needs no span).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refman.bibscan import RawBlock, scan_blocks
from refman.bibtex import entry_to_csl, split_blocks, string_macros
from refman.errors import LibraryFileError, LibraryLockedError, NotFoundError
from refman.model import CslItem

INDEX_VERSION = 3
_INDEX_KEYS = frozenset({"digest", "entries", "digests", "macros", "problems", "proven"})
LOCK_TIMEOUT = 60.0


@dataclass(frozen=True)
class Problem:
    """A block of the file refman could not use; it is kept verbatim."""

    line: int
    kind: str
    key: str | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Known:
    """The items of an older index by a digest of their entry's text, with its macros."""

    macros: dict[str, str]
    items: dict[bytes, CslItem]


def file_digest(data: bytes) -> str:
    """What the index is keyed by: a digest of the library's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def entry_digest(text: str, start: int, end: int) -> bytes:
    """A digest of one entry's text: same digest, same text (so the same item)."""
    return hashlib.blake2b(text[start:end].encode("utf-8"), digest_size=16).digest()


@dataclass
class Stored:
    """One entry of the library: its key, where its text lies, and its CSL item."""

    key: str
    start: int
    end: int
    line: int
    item: CslItem


def _problem(block: RawBlock) -> Problem | None:
    if block.kind == "duplicate":
        return Problem(
            block.line,
            "duplicate",
            block.key,
            f"duplicate key {block.key!r}; the second entry is kept unchanged and ignored"
            " - rename one of them",
        )
    if block.kind == "failed":
        what = f"entry {block.key!r}" if block.key else "a block"
        return Problem(
            block.line,
            "failed",
            block.key,
            f"{what} could not be parsed ({block.error}); it is kept unchanged - fix it by hand",
        )
    return None


class Document:
    """The library's text with its entries; edits return the new text, other bytes intact."""

    def __init__(
        self,
        text: str,
        entries: list[Stored] | None = None,
        problems: list[Problem] | None = None,
        *,
        proven: bool = True,
        quick: bool = False,
        macros: dict[str, str] | None = None,
        known: Known | None = None,
    ) -> None:
        """``proven``: the given entries were split by bibtexparser; ``quick``: the
        text may be split by the fast scanner (read-only use); ``macros``: the given
        entries' ``@string`` macros; ``known``: items an older index may lend."""
        self.text = text
        self.proven = proven if entries is not None else not quick
        self._blocks: list[RawBlock] | None = None
        self._entries = entries
        self._problems = problems
        self._macros = macros
        self._known = known
        self._removed: set[int] = set()
        self._replaced: dict[int, str] = {}
        self._appended: list[str] = []

    # -- reading --------------------------------------------------------------------------

    @property
    def blocks(self) -> list[RawBlock]:
        """Every block of the file, located by span (split on first use)."""
        if self._blocks is None:
            scanned = None if self.proven else scan_blocks(self.text)
            self.proven = scanned is None
            self._blocks = split_blocks(self.text) if scanned is None else scanned
        return self._blocks

    @property
    def macros(self) -> dict[str, str]:
        """The file's ``@string`` macros, by lower-case name."""
        if self._macros is None:
            self._macros = string_macros(self.blocks)
        return self._macros

    @property
    def entries(self) -> list[Stored]:
        """The usable entries in file order (failed and duplicate blocks excluded)."""
        if self._entries is None:
            with _gc_paused():
                known = self._known
                reuse = known.items if known is not None and known.macros == self.macros else {}
                self._entries = [
                    Stored(b.key or "", b.start, b.end, b.line, self._item(b, reuse))
                    for b in self.blocks
                    if b.kind == "entry"
                ]
        return self._entries

    def _item(self, block: RawBlock, reuse: dict[bytes, CslItem]) -> CslItem:
        """The block's item: an older index's for the same text, else converted."""
        if reuse:
            item = reuse.get(entry_digest(self.text, block.start, block.end))
            if item is not None:
                return item
        return entry_to_csl(block, self.macros)

    @property
    def problems(self) -> list[Problem]:
        """Failed and duplicate-key blocks, with line numbers."""
        if self._problems is None:
            self._problems = [p for p in map(_problem, self.blocks) if p is not None]
        return self._problems

    @property
    def keys(self) -> set[str]:
        """Every key in use, including those of duplicate and failed blocks."""
        keys = {entry.key for entry in self.entries}
        keys.update(p.key for p in self.problems if p.key)
        return keys

    def find(self, key: str) -> Stored:
        """The entry with ``key`` (exact, else case-insensitive); ``NotFoundError`` if none."""
        for entry in self.entries:
            if entry.key == key:
                return entry
        for entry in self.entries:
            if entry.key.lower() == key.lower():
                return entry
        raise NotFoundError(f"no entry with key {key!r}; see the keys with `refman list -f keys`")

    def raw(self, entry: Stored) -> str:
        """The entry's text exactly as in the file."""
        return self.text[entry.start : entry.end]

    # -- editing --------------------------------------------------------------------------

    @property
    def changed(self) -> bool:
        """True once an edit was made."""
        return bool(self._removed or self._replaced or self._appended)

    def append(self, entry_text: str) -> None:
        """Add an entry's text at the end of the file."""
        self._appended.append(entry_text.strip("\n") + "\n")

    def remove(self, key: str) -> Stored:
        """Drop the entry with ``key`` (its text and the blank line that followed it)."""
        self._prove()
        entry = self.find(key)
        self._removed.add(entry.start)
        return entry

    def replace(self, key: str, entry_text: str) -> Stored:
        """Put ``entry_text`` where the entry with ``key`` was."""
        self._prove()
        entry = self.find(key)
        self._replaced[entry.start] = _with_newlines(entry_text.strip("\r\n"), self.text)
        return entry

    def _prove(self) -> None:
        """Split with bibtexparser before bytes are cut at an entry's span."""
        if not self.proven:
            self._blocks = split_blocks(self.text)
            self._entries = self._problems = self._macros = None
            self.proven = True

    def discard(self) -> None:
        """Forget the edits (a dry run): the transaction then writes nothing."""
        self._removed.clear()
        self._replaced.clear()
        self._appended.clear()

    def render(self) -> Document:
        """The edited library as a new document (entries carried over when only appended)."""
        text = self._render_edits() if (self._removed or self._replaced) else self.text
        entries = None
        if not (self._removed or self._replaced) and self._entries is not None:
            entries = list(self._entries)
        for entry_text in self._appended:
            text, added = _append_text(text, entry_text)
            if entries is not None:
                entries.extend(added)
        if entries is None:
            return Document(text)
        return Document(text, entries, self._problems, proven=self.proven, macros=self._macros)

    def _render_edits(self) -> str:
        out: list[str] = []
        cursor = 0
        for entry in self.entries:
            if entry.start in self._removed:
                start, end = _removal_span(self.text, entry.start, entry.end)
                out.append(self.text[cursor:start])
                cursor = end
            elif entry.start in self._replaced:
                out.append(self.text[cursor : entry.start])
                out.append(self._replaced[entry.start])
                cursor = entry.end
        out.append(self.text[cursor:])
        return "".join(out)


def _newline(text: str) -> str:
    """The file's line ending (``\r\n`` for files written on Windows), so edits match it."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _with_newlines(entry_text: str, text: str) -> str:
    """``entry_text`` with the line endings of the file ``text``."""
    return entry_text.replace("\r\n", "\n").replace("\n", _newline(text))


def _append_text(text: str, entry_text: str) -> tuple[str, list[Stored]]:
    """``text`` with an entry appended after a blank line, and that entry as ``Stored``.

    The separator depends only on how the file ends and :func:`_removal_span`
    takes exactly it back, so add + remove gives the file back byte for byte. A
    file without a final newline gets the entry without one too (its owner's
    convention, and the only way the two cases stay distinguishable).
    """
    newline = _newline(text)
    entry_text = _with_newlines(entry_text, text)
    if not text:
        separator = ""
    elif text.endswith(newline):
        separator = newline
    else:
        separator, entry_text = newline * 2, entry_text.rstrip("\r\n")
    offset = len(text) + len(separator)
    line = text.count("\n") + separator.count("\n")
    blocks = split_blocks(entry_text)
    added = [
        Stored(b.key or "", b.start + offset, b.end + offset, b.line + line, entry_to_csl(b))
        for b in blocks
        if b.kind == "entry"
    ]
    return text + separator + entry_text, added


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen an entry's span to its whole lines and one adjacent blank line.

    For the last entry of the file, the newlines before it go instead: the
    separator :func:`_append_text` put there (one newline, or two when the entry
    ends the file without a newline of its own).
    """
    newline = _newline(text)
    while end < len(text) and text[end] in " \t":
        end += 1
    ends_line = text.startswith(newline, end)
    if ends_line:
        end += len(newline)
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if text.startswith(newline, end):
        end += len(newline)
    elif end == len(text) and ends_line:
        if text.endswith(newline * 2, 0, start):
            start -= len(newline)
    elif end == len(text):
        for _ in range(2):
            if text.endswith(newline, 0, start):
                start -= len(newline)
    return start, end


@dataclass
class Library:
    """The library file at ``path``; ``index_dir`` holds the parsed-entry index."""

    path: Path
    index_dir: Path | None = None
    lock_timeout: float = LOCK_TIMEOUT

    def exists(self) -> bool:
        """True when the library file is there."""
        return self.path.is_file()

    def read(self) -> Document:
        """The library; ``LibraryFileError`` with a hint when it is missing or unreadable."""
        if not self.exists():
            raise LibraryFileError(
                f"library {self.path} does not exist; add a reference with `refman add ...`, "
                "import a file with `refman import FILE`, or point --library at your .bib file"
            )
        return self._read(quick=True)

    def _read(self, *, quick: bool) -> Document:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Document("")
        except OSError as exc:
            raise LibraryFileError(
                f"cannot read library {self.path}: {exc.strerror}; check its permissions"
            ) from exc
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LibraryFileError(
                f"library {self.path} is not UTF-8 text (byte {exc.start}); convert it, "
                f"e.g. `iconv -f latin1 -t utf-8`"
            ) from exc
        digest = file_digest(data)
        index = self._load_index()
        if index is not None and index["digest"] == digest:
            return Document(
                text,
                [Stored(*row) for row in index["entries"]],
                [Problem(*row) for row in index["problems"]],
                proven=index["proven"],
                macros=index["macros"],
            )
        known = None
        if index is not None:
            items = (row[4] for row in index["entries"])
            known = Known(index["macros"], dict(zip(index["digests"], items, strict=True)))
        document = Document(text, quick=quick, known=known)
        self._save_index(digest, document)
        return document

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Document]:
        """Lock, read the current file (empty when missing), yield it, write it if changed."""
        with self.locked():
            document = self._read(quick=False)
            yield document
            if document.changed:
                self.write(document.render())

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the library's lock file (``<library>.lock``) for the block."""
        import filelock  # only writers lock: read commands skip its import

        lock = filelock.FileLock(f"{self.path}.lock", timeout=self.lock_timeout)
        try:
            lock.acquire()
        except filelock.Timeout as exc:
            raise LibraryLockedError(
                f"library {self.path} stayed locked for {self.lock_timeout:.0f} s by another "
                f"refman process; wait for it to finish, or delete {self.path}.lock if none runs"
            ) from exc
        except OSError as exc:
            raise LibraryFileError(
                f"cannot create the lock file {self.path}.lock: {exc.strerror}; "
                "check that the library's directory exists and is writable"
            ) from exc
        try:
            yield
        finally:
            lock.release()

    def write(self, document: Document) -> None:
        """Replace the file atomically with ``document``'s text (call under the lock)."""
        data = document.text.encode("utf-8")
        directory = self.path.parent if str(self.path.parent) else Path(".")
        self._remove_stale_temps(directory)
        try:
            fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        except OSError as exc:
            raise LibraryFileError(
                f"cannot write in {directory}: {exc.strerror}; check that it exists and is writable"
            ) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, _mode_for(self.path))
            os.replace(temp, self.path)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise LibraryFileError(f"cannot write library {self.path}: {exc.strerror}") from exc
        _fsync_directory(directory)
        self._save_index(file_digest(data), document)

    def _remove_stale_temps(self, directory: Path) -> None:
        """Temp files left by a writer killed mid-write (safe: we hold the lock)."""
        for stale in directory.glob(f".{self.path.name}.*.tmp"):
            stale.unlink(missing_ok=True)

    # -- the index ------------------------------------------------------------------------

    def _index_path(self) -> Path | None:
        if self.index_dir is None:
            return None
        name = hashlib.blake2b(str(self.path.resolve()).encode(), digest_size=12).hexdigest()
        return self.index_dir / f"{name}.marshal"

    def _load_index(self) -> dict[str, Any] | None:
        """The index of this library (current or not: the caller compares digests)."""
        path = self._index_path()
        if path is None:
            return None
        try:
            raw = path.read_bytes()
            with _gc_paused():
                data = marshal.loads(raw)
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return None
        return data if data.keys() >= _INDEX_KEYS else None

    def _save_index(self, digest: str, document: Document) -> None:
        """Keep the parsed entries for the next command (best effort: a cache)."""
        path = self._index_path()
        if path is None:
            return
        entries = document.entries
        payload: dict[str, Any] = {
            "version": INDEX_VERSION,
            "digest": digest,
            "entries": [[e.key, e.start, e.end, e.line, e.item] for e in entries],
            "digests": [entry_digest(document.text, e.start, e.end) for e in entries],
            "macros": document.macros,
            "problems": [[p.line, p.kind, p.key, p.message] for p in document.problems],
            "proven": document.proven,
        }
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_suffix(f".{os.getpid()}.tmp")
            temp.write_bytes(marshal.dumps(payload))
            os.replace(temp, path)


def _mode_for(path: Path) -> int:
    """The existing file's permissions, else what a plain ``open()`` would give (umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Build many small objects without the cycle collector looking at them.

    Building 10,000 items triggers collections that traverse every new object
    and find nothing to free (plain dicts and lists, freed by reference
    counting). Afterwards they are frozen out of the collector's sight, else the
    first collection after the block would traverse them all once more.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); not possible on every platform."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
