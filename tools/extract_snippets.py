"""Extract every ```python block of the official client's documentation into one file per snippet.

``extract_rst`` does the same for the ``.. code-block:: python`` blocks of a reStructuredText
page (``tests/integration/docs/test_getting_started.py`` runs those of docs/getting-started.rst).

Usage: ``python tools/extract_snippets.py [SEED.md] [OUT_DIR]``; by default the seed is
``../shared/seeds/001_*.txt`` and the output ``tests/integration/compat/snippets/``.

Each snippet becomes ``NNN_<section-slug>.py`` (NNN is its position in the document, the
slug its section's heading) holding the block verbatim. Nothing is adapted here: the
snippet test replaces ``import hazelcast`` and points the client at the test member.
"""

from __future__ import annotations

import glob
import os
import re
import sys
import textwrap
from typing import List, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "tests", "integration", "compat", "snippets")


def default_seed() -> str:
    """Returns the path of the official documentation seed; raises FileNotFoundError when absent."""
    found = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "seeds", "001_*.txt")))
    if not found:
        raise FileNotFoundError("no ../shared/seeds/001_*.txt next to the repository")
    return found[0]


def slug(heading: str) -> str:
    """Returns ``heading`` as a lower-case identifier: "7.4.1. Using Map" -> "7_4_1_using_map"."""
    text = re.sub(r"[^0-9a-zA-Z]+", "_", heading.strip().lower()).strip("_")
    return text[:60].rstrip("_") or "untitled"


def extract(text: str) -> List[Tuple[str, str]]:
    """Returns ``(section heading, code)`` for each ```python block of ``text``, in order.

    Headings are Markdown ``#`` lines outside code blocks; blocks of other languages are
    skipped without mistaking their ``#`` lines for headings.
    """
    snippets: List[Tuple[str, str]] = []
    heading = ""
    fence = None  # the language of the open block, or None outside blocks
    lines: List[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None:
            if stripped.startswith("```"):
                fence = stripped[3:].strip().lower()
                lines = []
            elif stripped.startswith("#"):
                heading = stripped.lstrip("#").strip()
            continue
        if stripped.startswith("```"):
            if fence == "python":
                snippets.append((heading, "\n".join(lines).rstrip() + "\n"))
            fence = None
            continue
        lines.append(line)
    return snippets


RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>])\1{2,}$")


def extract_rst(text: str) -> List[Tuple[str, str]]:
    """Returns ``(section heading, code)`` for each ``.. code-block:: python`` of reStructuredText.

    Headings are title lines underlined with a punctuation character; a block's code is its
    indented body (after the directive's options), dedented. Literal blocks (``::``) and
    code blocks of other languages are skipped.
    """
    lines = text.splitlines()
    snippets: List[Tuple[str, str]] = []
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line.strip() and RST_UNDERLINE.match(lines[i + 1].strip()):
            if len(lines[i + 1].strip()) >= len(line.strip()) and not line.startswith(" "):
                heading = line.strip()
        if line.strip() in (".. code-block:: python", ".. code:: python"):
            i += 1
            while i < len(lines) and lines[i].strip().startswith(":"):  # directive options
                i += 1
            body: List[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                body.append(lines[i])
                i += 1
            snippets.append((heading, textwrap.dedent("\n".join(body)).strip("\n") + "\n"))
            continue
        i += 1
    return snippets


def write(snippets: List[Tuple[str, str]], out_dir: str) -> List[str]:
    """Writes one ``NNN_<slug>.py`` per snippet into ``out_dir``; returns the file names.

    Raises OSError when ``out_dir`` cannot be written.
    """
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for i, (heading, code) in enumerate(snippets, 1):
        name = "%03d_%s.py" % (i, slug(heading))
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            f.write(code)
        names.append(name)
    return names


def main(argv: List[str]) -> int:
    """Extracts the snippets; returns the process exit status (0)."""
    seed = argv[1] if len(argv) > 1 else default_seed()
    out_dir = argv[2] if len(argv) > 2 else DEFAULT_OUT
    with open(seed, encoding="utf-8") as f:
        snippets = extract(f.read())
    for name in write(snippets, out_dir):
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
