"""The process the command line runs in: ``connectorsmith`` (the console script) and ``python -m
connectorsmith`` start here, set up the process, then run ``main.main``.

What is set here belongs to the process, not to the command: a program (or a test) that calls
``main.main`` or ``pipeline.generate`` keeps its own settings.
"""

from __future__ import annotations

import gc
import sys
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
    imported (importing them allocates too), then ``main.main``'s exit code."""
    tune_collector()
    from .main import main as command

    sys.exit(command())
