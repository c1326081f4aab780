"""What a long-running process keeps from one run to the next (``connectorsmith generate --watch``).

A run given a ``Memory`` reuses, for each part of a spec that did not change, the work an earlier
run did on it, and adds its own; its output is byte for byte what a run without one writes
(tests/test_memory.py holds that over sequences of edits).  Parts of the document are known by
their digests (digests.py), taken once per run.  Each stage keeps its own part:

- ``operations``: each operation's model, with what building it read and wrote of the state the
  operations share (replay.py): an unchanged operation is replayed, not built;
- ``fragments``: the rendered text of the templates' ``{% memo %}`` parts (fragments.py);
- ``formatted``: each Python file's statements and their black-style text (pyformat.py): a file
  is scanned again only where its text changed;
- ``exports``: path items converted for the Power Platform and OpenAPI 3.1 exports, the losses
  the first reports, and the JSON text of what is kept (export.Pieces, jsontext.Remembered);
- ``api``: each operation's and model's entries of the public API the manifest records (surface.py);
- ``checks``: what validation found of each part of the document (its ``$ref``s, whether it passed
  quickcheck.py's check): a changed document is still validated in full, its unchanged parts
  found as they were.
"""

from __future__ import annotations

from ..output.surface import Kept
from ..pyformat import Layouts
from ..render.export import Pieces
from .digests import Digests, Found
from .fragments import Store
from .replay import Operations


class Memory:
    def __init__(self) -> None:
        #: The digests of this run's document parts: the keys the stages below find their parts by.
        self.digests = Digests()
        self.operations = Operations(self.digests)
        self.fragments = Store()
        self.formatted = Layouts()
        self.exports = Pieces(self.digests)
        self.api = Kept()
        self.checks = Found(self.digests)

    def __repr__(self) -> str:
        return f"Memory(operations replayed {self.operations.replayed}, built {self.operations.built}; parts {self.fragments.hits} remembered, {self.fragments.misses} rendered)"

    def next_run(self) -> None:
        """A new run begins: what only the runs before it used may be dropped."""
        self.digests.turn()
        self.fragments.turn()
        self.exports.turn()
        self.api.turn()
        self.checks.turn()
