"""The limits of reading a spec, and the diagnostics of reading it, shared by the JSON reader (loader) and
the YAML reader (yamlload), neither of which imports the other's module for them.

A spec past a limit is an error at its place, never a hang or a crash: real specs stay far below each
(the 619 certified connectors, GitHub, Stripe and Kubernetes nest 25 levels at most).
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Location, Severity

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64  # real specs nest 25 levels at most (619 certified connectors, GitHub, Stripe, Kubernetes)
#: Most nodes alias expansion may produce, beyond the nodes written in the file.
MAX_ALIAS_EXPANSION = 100_000
#: Most characters of text alias expansion may produce, beyond the text written in the file.
MAX_ALIAS_TEXT = 1_000_000
#: Longest number, in digits (Python refuses to read integers of over 4,300 digits).
MAX_NUMBER_DIGITS = 1_000


def error_at(file: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, Location(file, line, column), message, hint)


def warning_at(file: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    """A warning of reading: what lenient reading forgave."""
    return Diagnostic(Severity.WARNING, Location(file, line, column), message, hint, code="lenient-read")


def duplicate_key(shown: str, line: int, column: int, key: str, first: int, lenient: bool) -> Diagnostic:
    """A key given twice: an error, or in lenient mode a warning (the last value wins, as in json.loads)."""
    if lenient:
        return warning_at(shown, line, column, f"duplicate key {key!r} (first defined on line {first}); the last one is used", "remove one of the two keys")
    return error_at(shown, line, column, f"duplicate key {key!r} (first defined on line {first})", "remove or rename one of the two keys")
