"""connectorsmith: connector specs in; typed Python clients, docs and exports out.

Stages, each its own module with typed data between them:
``loader`` (file -> Document; ``yamlload`` for YAML; ``bundle``: a spec split across files, or read
from a URL, as one Document) -> ``validate`` (Document -> diagnostics) ->
``build`` (Document -> model.Connector) -> ``render`` (Connector -> files) ->
``writer`` (files -> disk).  ``pipeline.generate`` runs the pure part.
``build`` leans on ``typemap`` (schema -> Python types), ``security`` (connections
and security schemes), ``naming`` and ``docsview`` (the reference page's view of
operations and definitions, by Microsoft's page rules); ``export`` builds the Power
Platform and OpenAPI 3.1 documents ``render`` writes (as ``jsontext`` spells JSON); ``surface`` is a package's public API (for breaking-change
warnings); ``config`` reads ``[tool.connectorsmith]``; ``corpus`` runs the pipeline
over many connectors (``make corpus``); ``ecma`` reads schema patterns as ECMA-262.  Speed: ``validate`` leans on ``quickcheck``
(is openapi-spec-validator needed at all?) and ``cache`` (results by content hash);
``render`` on ``pyformat`` (black only where the style is in doubt); the CLI on
``incremental`` (a spec whose output is current is skipped), which reads the manifest the
writer keeps through ``outputs`` (the names and formats of connectorsmith's own files).
``--watch`` passes a ``memory.Memory`` from run to run: the stages reuse the work done on
what did not change (``replay``: operations' models; ``fragments``: the templates'
``{% memo %}`` parts; ``pyformat.Layouts``: Python statements).
"""

__version__ = "0.1.0"
