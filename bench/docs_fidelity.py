"""How many lines of Microsoft's published reference page a generated page reproduces.

    python bench/docs_fidelity.py MICROSOFT_PAGE GENERATED_PAGE [-v]

MICROSOFT_PAGE is the page as Microsoft publishes it (Markdown, or its text as a
browser copies it), cut down to what the connector's files contain: no
availability, known issues or other hand-written sections. A line counts as
reproduced when its words, stripped of Markdown markup, escapes and link
targets, appear in the generated page in the same order; a table row must be a
row of the generated page, cell for cell (an empty cell stays empty). Table separators and
blank lines are not counted. -v lists the lines that are not reproduced.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def words(text: str) -> str:
    """Text as a reader sees it: no Markdown markup, escapes, list bullets, link targets or non-breaking spaces."""
    text = text.replace("&nbsp;", " ").replace("\xa0", " ").replace("\\", "").replace("<br>", " ")
    text = re.sub(r"\]\([^)]*\)", "", text)
    text = re.sub(r"^\s*- ", "", text)
    return " ".join(re.sub(r"[|`*#\[\]<>]", " ", text).split())


def cells(line: str) -> str | None:
    """A Markdown table row as its cells' words, empty cells kept; None for any other line."""
    line = line.strip()
    if not (line.startswith("|") and line.endswith("|") and len(line) > 1):
        return None
    return " | ".join(words(cell) for cell in re.split(r"(?<!\\)\|", line[1:-1]))


def compare(reference: str, page: str) -> tuple[int, list[str]]:
    """(lines counted, lines not reproduced): a table row must be a row of the page, cell for cell."""
    flat = " ".join(words(line) for line in page.splitlines())
    rows = {cells(line) for line in page.splitlines()} - {None}
    lines = [line for line in reference.splitlines() if line.strip() and not re.fullmatch(r"[\s|:-]+", line)]
    missing = [line for line in lines if (cells(line) not in rows if cells(line) is not None else words(line) not in flat)]
    return len(lines), missing


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    if len(paths) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    reference, page = (Path(p).read_text("utf-8") for p in paths)
    total, missing = compare(reference, page)
    print(f"{total - len(missing)}/{total} lines reproduced ({(total - len(missing)) / max(total, 1):.3f})")
    if verbose:
        for line in missing:
            print("  missing:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
