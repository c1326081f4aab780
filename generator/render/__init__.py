"""Rendering: the model through the templates into files (renderer), the exports (export, jsontext), the
outputs there are (targets) and template overrides (overrides)."""
