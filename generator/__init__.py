"""connectorgen: connector specs in; typed Python clients, docs and exports out.

Stages, each its own module with typed data between them:
``loader`` (file -> Document) -> ``validate`` (Document -> diagnostics) ->
``build`` (Document -> model.Connector) -> ``render`` (Connector -> files) ->
``writer`` (files -> disk).  ``pipeline.generate`` runs the pure part.
"""

__version__ = "0.1.0"
