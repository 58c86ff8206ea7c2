"""The environment of the refman processes a benchmark starts.

An installed package has its ``.pyc`` files, as the standard library and the
site-packages here do; a checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (as this
machine sets it) compiles refman's modules again in every process, about 0.1 s.
The benchmarks let their refman processes write refman's bytecode beside its
sources (``__pycache__``, ignored by git), so start-up is measured as users have
it; ``--no-pyc`` keeps the caller's setting instead.

An earlier version pointed ``PYTHONPYCACHEPREFIX`` at the benchmark's temp folder:
that hides the installed ``__pycache__`` folders too, so the first measured process
compiled the standard library and every dependency it imports (1.2 s more for
``refman resolve`` on one reference: 1.64-1.70 s against 0.47-0.49 s), which made
the resolve benchmark's fresh run, always a first process, about 0.1 refs/s slower.
"""

from __future__ import annotations

import os


def child_env(*, no_pyc: bool = False) -> dict[str, str]:
    """This process's environment, allowed to write bytecode unless ``no_pyc``."""
    env = dict(os.environ)
    if not no_pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
