"""What the reuse layer gives the stages: ``Cold`` for a run on its own (the caches on disk), ``Memory`` for
a long-running process (``connectorsmith generate --watch``) that keeps, from one run to the next, the work
done on what did not change.

The pipeline is the one place that hands it to the stages: each stage takes it as its ``kept`` argument,
typed by a protocol of its own that says what the stage asks of it (``validate.Kept``, with
``quickcheck.Found``; ``build.Kept``, whose ``Builds`` give ``Replays``; ``renderer.Kept``, which hands
``memo.Parts``, ``pyformat.Kept``, ``export.Kept`` and ``jsontext.Kept`` on; ``surface.Kept``, for the
public API the pipeline computes); no stage imports this layer.

A run given a ``Memory`` reuses, for each part of a spec that did not change, the work an earlier run
did on it, and adds its own; its output is byte for byte what a run without one writes
(tests/test_memory.py holds that over sequences of edits).  Parts of the document are known by their
digests (digests.py), taken once per run.  Each stage has its own part:

- ``checks``: what validation found of each part of the document (its ``$ref``s, whether it passed
  quickcheck's check): a changed document is still validated in full, its unchanged parts found as
  they were;
- ``operations``: each operation's model, with what building it read and wrote of the state the
  operations share (replay.py): an unchanged operation is replayed, not built;
- ``fragments``: the rendered text of the templates' ``{% memo %}`` parts (fragments.py);
- ``formatted``: each Python file's statements and their black-style text (stores.Layouts): a file
  is scanned again only where its text changed;
- ``exports``: path items converted for the Power Platform and OpenAPI 3.1 exports, the losses the
  first reports, and the JSON text of what is kept (``texts``) (stores.Pieces, stores.JsonTexts);
- ``api``: each operation's and model's entries of the public API the manifest records (stores.ApiEntries).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from . import cache
from .digests import Digests, Found
from .fragments import Store
from .replay import Operations
from .stores import ApiEntries, JsonTexts, Layouts, Pieces


class Cold:
    """A run on its own: openapi-spec-validator's findings and the compiled templates are kept on disk
    (cache.py); nothing is kept in memory."""

    checks: Found | None = None
    operations: Operations | None = None
    fragments: Store | None = None
    formatted: Layouts | None = None
    exports: Pieces | None = None
    api: ApiEntries | None = None

    @property
    def stored(self) -> ModuleType:
        return cache

    @property
    def cache_folder(self) -> Path | None:
        return cache.folder()

    @property
    def texts(self) -> JsonTexts | None:
        return self.exports.json if self.exports is not None else None


class Memory(Cold):
    def __init__(self) -> None:
        #: The digests of this run's document parts: the keys the parts below find their values by.
        self.digests = Digests()
        self.operations: Operations = Operations(self.digests)
        self.fragments: Store = Store()
        self.formatted: Layouts = Layouts()
        self.exports: Pieces = Pieces(self.digests)
        self.api: ApiEntries = ApiEntries()
        self.checks: Found = Found(self.digests)

    def __repr__(self) -> str:
        return f"Memory(operations replayed {self.operations.replayed}, built {self.operations.built}; parts {self.fragments.hits} remembered, {self.fragments.misses} rendered)"

    def next_run(self) -> None:
        """A new run begins: what only the runs before it used may be dropped."""
        self.digests.turn()
        self.fragments.turn()
        self.exports.turn()
        self.api.turn()
        self.checks.turn()
