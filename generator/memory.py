"""What a long-running process keeps from one run to the next (``connectorgen generate --watch``).

A run given a ``Memory`` reuses, for each part of a spec that did not change, the work an earlier
run did on it, and adds its own; its output is byte for byte what a run without one writes
(tests/test_memory.py holds that over sequences of edits).  Each stage keeps its own part:

- ``operations``: each operation's model, with what building it read and wrote of the state the
  operations share (replay.py): an unchanged operation is replayed, not built;
- ``fragments``: the rendered text of the templates' ``{% memo %}`` parts (fragments.py);
- ``formatted``: each Python file's statements and their black-style text (pyformat.py): a file
  is scanned again only where its text changed;
- ``exports``: path items converted for the Power Platform and OpenAPI 3.1 exports, the losses
  the first reports, and the JSON text of what is kept (export.Pieces, jsontext.Remembered);
- ``api``: each operation's and model's entries of the public API the manifest records (surface.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .export import Pieces
from .fragments import Store
from .pyformat import Layouts
from .replay import Operations
from .surface import Kept


@dataclass
class Memory:
    operations: Operations = field(default_factory=Operations)
    fragments: Store = field(default_factory=Store)
    formatted: Layouts = field(default_factory=Layouts)
    exports: Pieces = field(default_factory=Pieces)
    api: Kept = field(default_factory=Kept)

    def next_run(self) -> None:
        """A new run begins: what only the runs before it used may be dropped."""
        self.fragments.turn()
        self.exports.turn()
        self.api.turn()
