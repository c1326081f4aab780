"""connectorsmith: connector specs in; typed Python clients, docs and exports out.

The stages, each a folder, with typed data between them (docs/architecture.md is the map):

- ``document``: a spec (file, folder or URL) -> ``document.loader.Document`` (``loader``, ``yamlload``, ``bundle``,
  ``limits``), then diagnostics (``validate``, with ``quickcheck`` and ``ecma``); ``openapi`` reads the
  raw document for the build side, ``extensions`` every ``x-ms-*`` / ``x-connector-*`` key (the
  registry of those read, and their accessors), and ``view`` each operation once, as frozen views.
- ``builder``: Document -> ``model.Connector`` (``build``: its named passes, with ``typemap``, ``security``,
  ``docsview``, ``naming``, ``paging``).
- ``model``: the frozen model the templates are given (one module: model.py).
- ``render``: Connector -> files in memory (``renderer``, the templates' environment and its list of
  outputs; ``memo``, the ``{% memo %}`` tag; ``export``: the Power Platform and OpenAPI 3.1 documents, spelt by ``jsontext``; ``targets``,
  ``sources``, ``overrides``); ``text`` (escaping) and ``pyformat`` (black's layout) beside it.
- ``output``: files -> disk (``writer``; ``manifest``; ``surface``: the public API, for breaking changes).
- ``reuse``: what ``--watch`` and the caches keep from run to run, wrapped around the stages by the pipeline.
- ``cli``: the command line (``main``), ``[tool.connectorsmith]`` (``config``) and ``make corpus``
  (``corpus``).
- ``runtime``: the generated clients' run-time, copied verbatim into each package.

``pipeline.generate`` runs document -> builder -> render and never writes; the CLI writes its result.
"""

__version__ = "0.1.0"
