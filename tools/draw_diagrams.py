"""Draw the documentation's diagrams as SVG: the client states and the architecture layers.

Usage: ``python tools/draw_diagrams.py [--check]``. Writes ``docs/_static/states.svg`` and
``docs/_static/layers.svg`` (committed; shown by docs/handlers_states.rst and
docs/architecture.rst). ``--check`` writes nothing and exits 1 when a committed file differs
from what this script draws. Standard library only: the SVG is written as text.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Dict, List, Tuple
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATIC = os.path.join(ROOT, "docs", "_static")
FONT = "font-family='Helvetica, Arial, sans-serif'"
Point = Tuple[float, float]

# -- states -------------------------------------------------------------------------------

STATE_CENTRES: Dict[str, Point] = {"LOST": (200, 300), "CONNECTED": (500, 90), "SUSPENDED": (800, 300)}
STATE_COLOURS = {"LOST": "#f4c7c3", "CONNECTED": "#c8e6c9", "SUSPENDED": "#ffe0b2"}
STATE_RX, STATE_RY = 95.0, 34.0
# (from, to, bend, label lines): bend is the control point's offset from the chord's middle,
# perpendicular to it (positive: to the left of the direction of travel).
TRANSITIONS = [
    ("LOST", "CONNECTED", 55, ["start(): connected", "and authenticated"]),
    ("CONNECTED", "LOST", 55, ["stop()", "(or CP session expired)"]),
    ("CONNECTED", "SUSPENDED", 55, ["every connection", "dropped"]),
    ("SUSPENDED", "CONNECTED", 55, ["reconnected to", "the same cluster"]),
    ("SUSPENDED", "LOST", 40, ["other cluster · CP session expired · cluster_connect_timeout ran out"]),
]


def _on_ellipse(centre: Point, towards: Point) -> Point:
    """Returns the point of a state's ellipse in the direction of ``towards``."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    scale = 1.0 / math.sqrt((dx / STATE_RX) ** 2 + (dy / STATE_RY) ** 2)
    return centre[0] + dx * scale, centre[1] + dy * scale


def _text(x: float, y: float, lines: List[str], size: int = 14, weight: str = "normal") -> str:
    """Returns SVG text centred on ``(x, y)``, one ``tspan`` per line."""
    first = y - (len(lines) - 1) * (size + 3) / 2.0 + size / 3.0
    spans = "".join(
        "<tspan x='%.1f' y='%.1f'>%s</tspan>" % (x, first + i * (size + 3), escape(line))
        for i, line in enumerate(lines)
    )
    return "<text text-anchor='middle' font-size='%d' font-weight='%s' %s>%s</text>" % (size, weight, FONT, spans)


def states_svg() -> str:
    """Returns the SVG of the LOST / SUSPENDED / CONNECTED state machine."""
    parts = [
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 960 450' width='960' height='450'>",
        "<title>hzgreen client states</title>",
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='8' markerHeight='8'"
        " orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='#333'/></marker></defs>",
        "<rect width='960' height='450' fill='white'/>",
    ]
    for source, target, bend, label in TRANSITIONS:
        (x0, y0), (x1, y1) = STATE_CENTRES[source], STATE_CENTRES[target]
        length = math.hypot(x1 - x0, y1 - y0)
        nx, ny = (y1 - y0) / length, -(x1 - x0) / length  # left of the direction of travel
        if bend:
            control = ((x0 + x1) / 2 + nx * bend * 2, (y0 + y1) / 2 + ny * bend * 2)
            start, end = _on_ellipse((x0, y0), control), _on_ellipse((x1, y1), control)
            path = "M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f" % (start + control + end)
            mid = (
                0.25 * start[0] + 0.5 * control[0] + 0.25 * end[0],
                0.25 * start[1] + 0.5 * control[1] + 0.25 * end[1],
            )
            label_at = (mid[0] + nx * 48, mid[1] + ny * 22)
        else:
            start, end = _on_ellipse((x0, y0), (x1, y1)), _on_ellipse((x1, y1), (x0, y0))
            path = "M%.1f,%.1f L%.1f,%.1f" % (start + end)
            label_at = ((x0 + x1) / 2, (y0 + y1) / 2 + 24)
        parts.append("<path d='%s' fill='none' stroke='#333' stroke-width='2' marker-end='url(#arrow)'/>" % path)
        parts.append(_text(label_at[0], label_at[1], label, size=13))
    lost = STATE_CENTRES["LOST"]
    parts.append(
        "<path d='M%.1f,%.1f L%.1f,%.1f' stroke='#333' stroke-width='2' marker-end='url(#arrow)'/>"
        % (lost[0] - STATE_RX - 80, lost[1], lost[0] - STATE_RX - 2, lost[1])
    )
    parts.append(_text(lost[0] - STATE_RX - 45, lost[1] - 14, ["initial"], size=13))
    for name, (x, y) in STATE_CENTRES.items():
        parts.append(
            "<ellipse cx='%.1f' cy='%.1f' rx='%.1f' ry='%.1f' fill='%s' stroke='#333' stroke-width='2'/>"
            % (x, y, STATE_RX, STATE_RY, STATE_COLOURS[name])
        )
        parts.append(_text(x, y, [name], size=17, weight="bold"))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# -- layers -------------------------------------------------------------------------------

# Bottom to top: each layer imports only from the layers below it.
LAYERS = [
    ("wire protocol", "hzgreen/protocol/", "frames, messages, generated codecs; sans-IO", "#e3f2fd"),
    ("serialization", "hzgreen/serialization/", "Python objects <-> Data: Compact, Portable, JSON, ...", "#e8eaf6"),
    ("handlers", "hzgreen/handlers/", "threads or greenlets: sockets, locks, async results, callbacks", "#f3e5f5"),
    ("runtime", "hzgreen/runtime/", "sans-IO core (core/) + drivers: connections, invocations, listeners", "#fce4ec"),
    ("client", "client.py, states.py, config.py", "HzClient, LOST/SUSPENDED/CONNECTED, options, errors", "#fff3e0"),
    (
        "proxies, queries",
        "hzgreen/proxy/, hzgreen/query/",
        "Map, Queue, Topic, ... one module per structure",
        "#f1f8e9",
    ),
    ("CP", "hzgreen/cp/", "CP sessions, FencedLock, Semaphore, AtomicLong, ...", "#e0f2f1"),
    ("recipes", "hzgreen/recipes/", "Kazoo-style Lock, Election, Barrier, watchers, ...", "#e8f5e9"),
]


def layers_svg() -> str:
    """Returns the SVG of the architecture layers, the wire protocol at the bottom."""
    band, gap, left, width, top = 52, 8, 80, 700, 60
    height = top + len(LAYERS) * (band + gap) + 20
    parts = [
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 960 %d' width='960' height='%d'>" % (height, height),
        "<title>hzgreen architecture layers</title>",
        "<defs><marker id='down' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='8' markerHeight='8'"
        " orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#333'/></marker></defs>",
        "<rect width='960' height='%d' fill='white'/>" % height,
        _text(left + width / 2, 28, ["your code: web workers, Celery tasks, scripts"], size=15, weight="bold"),
    ]
    for i, (name, folder, what, colour) in enumerate(reversed(LAYERS)):
        y = top + i * (band + gap)
        parts.append(
            "<rect x='%d' y='%d' width='%d' height='%d' rx='8' fill='%s' stroke='#555'/>"
            % (left, y, width, band, colour)
        )
        parts.append(
            "<text x='%d' y='%d' font-size='16' font-weight='bold' %s>%s</text>"
            % (left + 16, y + 22, FONT, escape(name))
        )
        parts.append(
            "<text x='%d' y='%d' font-size='13' %s fill='#333'>%s</text>" % (left + 16, y + 42, FONT, escape(folder))
        )
        parts.append(
            "<text x='%d' y='%d' font-size='13' %s fill='#333' text-anchor='end'>%s</text>"
            % (left + width - 16, y + 32, FONT, escape(what))
        )
    bottom = top + len(LAYERS) * (band + gap) - gap
    parts.append(
        "<path d='M40,%d L40,%d' stroke='#333' stroke-width='2' marker-end='url(#down)'/>" % (top + 10, bottom - 10)
    )
    parts.append(
        "<text x='30' y='%d' font-size='13' %s transform='rotate(-90 30 %d)' text-anchor='middle'>imports</text>"
        % ((top + bottom) / 2, FONT, (top + bottom) / 2)
    )
    parts.append(
        "<rect x='800' y='%d' width='130' height='%d' rx='8' fill='#eceff1' stroke='#555'/>" % (top, bottom - top)
    )
    parts.append(
        _text(865, (top + bottom) / 2, ["testing", "hzgreen/testing/", "real members,", "pytest plugin,", "simulation"])
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


DIAGRAMS = {"states.svg": states_svg, "layers.svg": layers_svg}


def main(argv: List[str]) -> int:
    """Writes (or with ``--check`` compares) every diagram; returns the exit status.

    Raises OSError when docs/_static cannot be read or written.
    """
    check = "--check" in argv[1:]
    stale = []
    for name, draw in DIAGRAMS.items():
        path = os.path.join(STATIC, name)
        svg = draw()
        if check:
            current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if current != svg:
                stale.append(name)
            continue
        os.makedirs(STATIC, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg)
        print(path)
    if stale:
        print("out of date (run python tools/draw_diagrams.py): %s" % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
