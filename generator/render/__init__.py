"""Rendering: the model through the templates into files (renderer: the environment, the one list of outputs,
formatting), the exports (export, jsontext), the templates' ``{% memo %}`` tag (memo), the outputs there are
(targets), where templates and the run-time are (sources) and template overrides (overrides)."""
