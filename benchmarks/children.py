"""The environment of the refman processes a benchmark starts.

An installed package has its ``.pyc`` files; a checkout run with
``PYTHONDONTWRITEBYTECODE=1`` (as this machine sets it) compiles refman's modules
again in every process, about 0.1 s. The benchmarks give their refman processes
a bytecode cache in their temp folder, so start-up is measured as users have
it; ``--no-pyc`` keeps the caller's setting instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def child_env(folder: Path, *, no_pyc: bool = False) -> dict[str, str]:
    """This process's environment, with a bytecode cache in ``folder`` unless ``no_pyc``."""
    env = dict(os.environ)
    if not no_pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env
