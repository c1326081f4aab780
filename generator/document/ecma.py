"""Schema ``pattern``s are ECMA-262 regular expressions: read as such, and spelled for Python's ``re``.

OpenAPI and JSON Schema write ``pattern`` in ECMA-262's dialect. Python's ``re`` rejects some valid ECMA
spellings (a named group ``(?<id>…)``) and reads others differently (``$`` also before a final newline,
``\\d`` and ``\\w`` of every script, ``.`` across ``\\r``). ``translate`` reads a pattern as ECMA-262
(with Annex B's leniency, as browsers do) and says one of three things: it is not ECMA-262 (why), it
is and this Python pattern (with ``re.ASCII``) matches exactly the same strings, or it is but cannot be
spelled faithfully for Python (why). Decided here, once: validation asks whether a pattern is valid, and
a default or example is checked against the Python spelling, never against the ECMA text.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

#: ECMA-262 WhiteSpace and LineTerminator: what ``\s`` matches (Python's, under re.ASCII, is ASCII only).
_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_DIGIT = "0-9"
_WORD = "a-zA-Z0-9_"
_CLASSES = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
#: ``.`` matches anything but a LineTerminator.
_DOT = "[^\\n\\r\\u2028\\u2029]"
_SIMPLE_ESCAPES = {"t": "\\t", "n": "\\n", "v": "\\x0b", "f": "\\x0c", "r": "\\r"}
_GROUP_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_PYTHON_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Translation(NamedTuple):
    """What a pattern is: ``error`` (not ECMA-262), else ``python`` (the same strings, with ``re.ASCII``)
    or ``untranslatable`` (valid, but not spelled faithfully for Python: why)."""

    python: str | None = None
    error: str = ""
    untranslatable: str = ""


class _Invalid(Exception):
    pass


class _Unfaithful(Exception):
    pass


@functools.lru_cache(maxsize=4096)
def translate(pattern: str) -> Translation:
    """``pattern`` read as ECMA-262 and, when it can be, spelled for Python's ``re`` (use ``re.ASCII``)."""
    try:
        python = _Reader(pattern).read()
    except _Invalid as exc:
        return Translation(error=str(exc))
    except _Unfaithful as exc:
        return Translation(untranslatable=str(exc))
    try:
        re.compile(python, re.ASCII)
    except re.error as exc:  # valid ECMA that re cannot express (a lookbehind of varying length, …)
        return Translation(untranslatable=f"Python's re cannot express it ({exc})")
    return Translation(python=python)


def compiled(pattern: str) -> re.Pattern[str] | None:
    """The Python regular expression that matches what ECMA-262 ``pattern`` matches, or None."""
    found = translate(pattern).python
    return re.compile(found, re.ASCII) if found is not None else None


class _Reader:
    """A recursive reader of one ECMA-262 pattern that writes its Python spelling as it goes."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.groups = 0
        self.names: list[str] = []
        self.backrefs: list[int] = []
        self.named_refs: list[str] = []

    def read(self) -> str:
        out = self._disjunction()
        if self.pos < len(self.text):
            raise _Invalid(f"unmatched ')' at position {self.pos}")
        for number in self.backrefs:
            if number > self.groups:  # Annex B: \8 with fewer groups is a literal escape; ambiguous
                raise _Unfaithful(f"\\{number} refers to no group")
        for name in self.named_refs:
            if name not in self.names:
                raise _Invalid(f"\\k<{name}> names no group")
        return out

    def _peek(self, ahead: int = 0) -> str:
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def _disjunction(self) -> str:
        parts = [self._alternative()]
        while self._peek() == "|":
            self.pos += 1
            parts.append(self._alternative())
        return "|".join(parts)

    def _alternative(self) -> str:
        out: list[str] = []
        while self.pos < len(self.text) and self._peek() not in "|)":
            atom, quantifiable = self._term()
            quantifier = self._quantifier()
            if quantifier:
                if not quantifiable:
                    raise _Invalid(f"nothing to repeat before {quantifier!r} at position {self.pos - len(quantifier)}")
                atom = atom + quantifier
            out.append(atom)
        return "".join(out)

    def _quantifier(self) -> str:
        start = self.pos
        char = self._peek()
        if char in ("*", "+", "?"):
            self.pos += 1
        elif char == "{":
            match = re.compile(r"\{(\d+)(,(\d*))?\}").match(self.text, self.pos)
            if match is None:
                return ""  # Annex B: a '{' that starts no quantifier is a literal (handled as an atom)
            low, high = int(match.group(1)), match.group(3)
            if high and int(high) < low:
                raise _Invalid(f"quantifier {match.group(0)!r} has its bounds out of order")
            self.pos = match.end()
        else:
            return ""
        if self._peek() == "?":
            self.pos += 1
        if self._peek() in ("*", "+", "?") or (self._peek() == "{" and re.match(r"\{\d+(,\d*)?\}", self.text[self.pos :])):
            raise _Invalid(f"nothing to repeat at position {self.pos}")  # a++ (possessive in Python) is an ECMA error
        return self.text[start : self.pos]

    def _term(self) -> tuple[str, bool]:
        """One atom (or assertion) and whether a quantifier may follow it."""
        char = self._peek()
        if char == "^":
            self.pos += 1
            return "^", False
        if char == "$":
            self.pos += 1
            return "\\Z", False  # Python's $ also matches before a final newline
        if char == ".":
            self.pos += 1
            return _DOT, True
        if char == "(":
            return self._group()
        if char == "[":
            return self._class(), True
        if char == "\\":
            return self._escape()
        if char in ("*", "+", "?"):
            raise _Invalid(f"nothing to repeat before {char!r} at position {self.pos}")
        if char == "{":
            if re.match(r"\{\d+(,\d*)?\}", self.text[self.pos :]):
                raise _Invalid(f"nothing to repeat before '{{' at position {self.pos}")
            self.pos += 1
            return "\\{", True
        if char in ("]", "}"):
            self.pos += 1
            return "\\" + char, True  # Annex B: literal
        self.pos += 1
        return re.escape(char), True

    def _group(self) -> tuple[str, bool]:
        start = self.pos
        self.pos += 1
        head = self.text[self.pos : self.pos + 3]
        if head.startswith("?:"):
            self.pos += 2
            prefix, quantifiable = "(?:", True
        elif head.startswith(("?=", "?!")):
            self.pos += 2
            prefix, quantifiable = "(" + head[:2], True  # Annex B: a lookahead may be quantified
        elif head in ("?<=", "?<!"):
            self.pos += 3
            prefix, quantifiable = "(" + head, False
        elif head.startswith("?<"):
            match = _GROUP_NAME.match(self.text, self.pos + 2)
            if match is None or self.text[match.end() : match.end() + 1] != ">":
                raise _Invalid(f"invalid group name at position {start}")
            name = match.group(0)
            if name in self.names:
                raise _Unfaithful(f"group name {name!r} is used twice")
            if not _PYTHON_NAME.match(name):
                raise _Unfaithful(f"group name {name!r} is not a Python identifier")
            self.names.append(name)
            self.groups += 1
            self.pos = match.end() + 1
            prefix, quantifiable = f"(?P<{name}>", True
        elif head.startswith("?"):
            raise _Invalid(f"invalid group at position {start}: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'")
        else:
            self.groups += 1
            prefix, quantifiable = "(", True
        inner = self._disjunction()
        if self._peek() != ")":
            raise _Invalid(f"unterminated group opened at position {start}")
        self.pos += 1
        return prefix + inner + ")", quantifiable

    def _class(self) -> str:
        start = self.pos
        self.pos += 1
        negated = self._peek() == "^"
        if negated:
            self.pos += 1
        items: list[str] = []
        previous: str | None = None  # the last single character, for a range
        while True:
            char = self._peek()
            if not char:
                raise _Invalid(f"unterminated character class opened at position {start}")
            if char == "]":
                self.pos += 1
                break
            if char == "-" and previous is not None and self._peek(1) not in ("]", ""):
                self.pos += 1
                high, single = self._class_atom()
                if single is None:
                    raise _Unfaithful("a range that ends in a character class escape")  # Annex B: read literally
                if ord(single) < ord(previous):
                    raise _Invalid(f"range out of order in character class at position {start}")
                items.append("-" + high)
                previous = None
                continue
            text, single = self._class_atom()
            items.append(text)
            previous = single
        body = "".join(items)
        if not body:
            return "[\\s\\S]" if negated else "(?!)"  # [^] matches any character, [] none
        return "[" + ("^" if negated else "") + body + "]"

    def _class_atom(self) -> tuple[str, str | None]:
        """One member of a class: its Python spelling, and the character it is when it is one."""
        char = self._peek()
        if char != "\\":
            self.pos += 1
            return (re.escape(char) if char in "\\]^-[&~|" else char), char
        char = self._escaped()
        if char in _CLASSES:
            return _CLASSES[char], None
        if char in "DWS":
            raise _Unfaithful(f"\\{char} inside a character class")
        if char == "b":
            return "\\x08", "\b"
        if char == "-":
            return "\\-", "-"
        return self._character_escape(char)

    def _escaped(self) -> str:
        """The character after the backslash at ``pos``, both read."""
        self.pos += 1
        char = self._peek()
        if not char:
            raise _Invalid("pattern ends with '\\'")
        self.pos += 1
        return char

    def _escape(self) -> tuple[str, bool]:
        char = self._escaped()
        if char in _CLASSES:
            return "[" + _CLASSES[char] + "]", True
        if char in "DWS":
            return "[^" + _CLASSES[char.lower()] + "]", True
        if char in "bB":
            return "\\" + char, False  # under re.ASCII: ASCII word characters, as in ECMA-262
        if char == "k" and self._peek() == "<":
            match = _GROUP_NAME.match(self.text, self.pos + 1)
            if match is None or self.text[match.end() : match.end() + 1] != ">":
                raise _Invalid(f"invalid named reference at position {self.pos - 2}")
            self.named_refs.append(match.group(0))
            self.pos = match.end() + 1
            return f"(?P={match.group(0)})", True
        if char.isdigit() and char != "0":
            match = re.compile(r"\d*").match(self.text, self.pos)
            assert match is not None
            number = int(char + match.group(0))
            self.pos = match.end()
            self.backrefs.append(number)
            return f"(?:\\{number})", True
        return self._character_escape(char)[0], True

    def _character_escape(self, char: str) -> tuple[str, str]:
        """The escape ``\\`` + ``char`` (already read) that stands for one character."""
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char], {"t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r"}[char]
        if char == "0" and not self._peek().isdigit():
            return "\\x00", "\0"
        if char == "c":
            letter = self._peek()
            if letter.isascii() and letter.isalpha():
                self.pos += 1
                return _code(ord(letter) % 32), chr(ord(letter) % 32)
            raise _Unfaithful("\\c without a control letter")  # Annex B reads it as a backslash and a 'c'
        if char == "x":
            match = re.compile(r"[0-9a-fA-F]{2}").match(self.text, self.pos)
            if match is None:
                raise _Unfaithful("\\x without two hex digits")
            self.pos = match.end()
            return _code(int(match.group(0), 16)), chr(int(match.group(0), 16))
        if char == "u":
            braced = re.compile(r"\{([0-9a-fA-F]{1,6})\}").match(self.text, self.pos)
            plain = re.compile(r"[0-9a-fA-F]{4}").match(self.text, self.pos)
            if braced is not None and int(braced.group(1), 16) <= 0x10FFFF:
                self.pos = braced.end()
                value = int(braced.group(1), 16)
            elif plain is not None:
                self.pos = plain.end()
                value = int(plain.group(0), 16)
                low = re.compile(r"\\u([dD][c-fC-F][0-9a-fA-F]{2})").match(self.text, self.pos)
                if 0xD800 <= value <= 0xDBFF and low is not None:  # a surrogate pair: one code point
                    self.pos = low.end()
                    value = 0x10000 + ((value - 0xD800) << 10) + (int(low.group(1), 16) - 0xDC00)
            else:
                raise _Unfaithful("\\u without four hex digits")
            return _code(value), chr(value)
        if char in "pP":
            raise _Unfaithful(f"\\{char}{{…}} (a Unicode property) has no spelling in Python's re")
        if char.isascii() and char.isalnum():
            raise _Unfaithful(f"\\{char} is not an ECMA-262 escape (Annex B reads it as {char!r})")
        return re.escape(char), char


def _code(value: int) -> str:
    return f"\\x{value:02x}" if value < 0x100 else f"\\u{value:04x}" if value < 0x10000 else f"\\U{value:08x}"
