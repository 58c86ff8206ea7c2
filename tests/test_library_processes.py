"""Real processes on one library: concurrent writers all land; a killed writer breaks nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from refman.bibtex import csl_to_bibtex
from refman.library import Document
from refman.model import date_parts

WRITER = """
import sys
from pathlib import Path
from refman.bibtex import csl_to_bibtex
from refman.library import Library

library = Library(Path(sys.argv[1]))
start = int(sys.argv[2])
for n in range(start, start + 100000):
    item = {"type": "book", "title": f"Collected works, part {n}"}
    with library.transaction() as document:
        document.append(csl_to_bibtex(item, f"work{n}"))
    print(n, flush=True)
"""


def refman_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        REFMAN_LIBRARY=str(tmp_path / "library.bib"),
        REFMAN_CACHE_DIR=str(tmp_path / "cache"),
        REFMAN_CONFIG=str(tmp_path / "config.toml"),
        REFMAN_CROSSREF_URL="http://127.0.0.1:9",
    )
    return env


def test_eight_concurrent_add_processes_leave_eight_entries(tmp_path: Path) -> None:
    references = [
        f"Author{n} A. A study of sleep stage number {n} in adults. J Sleep Res. 20{10 + n};"
        f"{n}(1):1-10."
        for n in range(8)
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "refman", "add", "--yes", text],
            env=refman_env(tmp_path),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for text in references
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0] * 8, outputs
    document = Document((tmp_path / "library.bib").read_text("utf-8"))
    assert document.problems == []
    titles = sorted(str(entry.item.get("title")) for entry in document.entries)
    assert titles == sorted(f"A study of sleep stage number {n} in adults" for n in range(8))
    keys = sorted(stdout.strip() for stdout, _ in outputs)
    assert keys == sorted(entry.key for entry in document.entries)


@pytest.mark.parametrize("writes_before_kill", [3, 11, 25])
def test_killed_writer_leaves_a_valid_old_or_new_file(
    tmp_path: Path, writes_before_kill: int
) -> None:
    path = tmp_path / "library.bib"
    seed = [
        csl_to_bibtex({"type": "book", "title": f"Seed {n}", "issued": date_parts(1990)}, f"s{n}")
        for n in range(400)
    ]
    path.write_text("\n".join(seed), "utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    confirmed = [writer.stdout.readline() for _ in range(writes_before_kill)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    document = Document(path.read_text("utf-8"))
    assert document.problems == []
    works = [e.key for e in document.entries if e.key.startswith("work")]
    assert len(works) >= len(confirmed) == writes_before_kill
    assert works == [f"work{n}" for n in range(len(works))]
    assert len(document.entries) == 400 + len(works)
