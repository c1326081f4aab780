"""The process the command line runs in: ``connectorsmith`` (the console script) and ``python -m
connectorsmith`` start here, set up the process, run ``main.main``, and end the process.

What is done here belongs to the process, not to the command: a program (or a test) that calls
``main.main`` or ``pipeline.generate`` keeps its own settings and ends as it ends.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

#: The collector's thresholds in the command's process and its worker processes (CPython's defaults:
#: 700, 10, 10). A run keeps nearly everything it allocates until it ends (the document, the model,
#: the rendered text), so collections every 700 allocations mostly walk live objects again: generating
#: Kubernetes' client, ~600 collections took ~0.33 s of ~3.4 s CPU. At these thresholds (mypy runs with
#: the same, for the same reason) that run collects about once (~0.08 s), and its peak memory does not
#: grow measurably (189 -> 190 MB): what cycles it drops are still freed, later.
COLLECTOR_THRESHOLDS = (200_000, 30, 30)


def tune_collector() -> None:
    """``COLLECTOR_THRESHOLDS`` in this process (the command's, and each worker's: see ``main._generate_all``)."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


def main() -> NoReturn:
    """Run the command line in this process: the collector tuned before the command's modules are
    imported (importing them allocates too), then ``main.main``, then the process ends with its exit code."""
    tune_collector()
    from .main import main as command

    end(command())


def end(code: int) -> NoReturn:
    """End the process with ``code``, without tearing its heap down object by object when nothing needs
    that: a run that made Kubernetes' client spends ~0.25 s freeing the document, the model and the
    rendered text as the interpreter finalizes, only for the process to be gone. As mypy does, the
    process then leaves through ``os._exit``, once what an ordinary exit would still do is done: every
    ``atexit`` function run (temporary folders, logging, ``multiprocessing``), stdout and stderr flushed.
    It ends as usual when another thread runs, or a profiler or tracer is on (cProfile, coverage: they
    write their data as the interpreter ends)."""
    if not _may_end_fast():
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken pipe: the ordinary exit reports it as it would
        sys.exit(code)
    os._exit(code)


def _may_end_fast() -> bool:
    """Whether nothing but this thread runs and no profiler or tracer would lose its data."""
    return threading.active_count() == 1 and sys.getprofile() is None and sys.gettrace() is None
