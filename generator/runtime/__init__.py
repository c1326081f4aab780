"""The generated clients' run-time, as the Python it is: each module here but this one and ``errors``
is copied verbatim, byte for byte, into every generated Python package (``<package>/_runtime.py``,
``<package>/_serde.py``), where it imports its siblings there (``from . import _serde, errors``).

The generator's own stages never import these modules; ``render`` reads their text
(``render.sources.RUNTIME`` names them).  They are linted, type-checked (``make lint``) and unit-tested
(tests/test_runtime_unit.py) with the rest of connectorsmith, and written in black's style at 100
columns, as the generated packages are.  A ``--templates`` folder still overrides each by its old
template path (``python/_runtime.py.j2``, ``python/_serde.py.j2``); an override is rendered through
Jinja as any template is, and ``connectorsmith templates export`` writes these modules' text there.

``errors`` is no part of the run-time: each package's errors.py is rendered from
``templates/python/errors.py.j2``.  The one here is that template's output for a connector that
declares no error bodies, checked in so that the run-time type-checks and imports beside it
(``make goldens`` rewrites it; a test fails when it is not what the template renders).
"""
