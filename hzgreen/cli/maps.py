"""``hzgreen map NAME ACTION``: read, write, watch and load a map, with JSON values."""

from __future__ import annotations

import argparse
import queue
import signal
import sys
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

from hzgreen.cli.connection import connect
from hzgreen.cli.errors import EXIT_OK, UsageError
from hzgreen.cli.output import dumps, parse_entry_line, parse_json, parse_key, store_value
from hzgreen.cli.progress import Progress

#: Entries sent in one putAll during ``load``.
LOAD_BATCH = 500

_EVENT_FUNCS = ("added", "removed", "updated", "evicted", "expired", "evict_all", "clear_all", "merged", "loaded")


def register(commands: Any, connection: argparse.ArgumentParser) -> None:
    """Add the ``map`` command and its actions to the ``commands`` sub-parsers; returns None."""
    parser = commands.add_parser(
        "map",
        help="get, put, remove, list, watch or load map entries (JSON values)",
        description="Work with the map NAME. Values are JSON on input and output: by default a value "
        "is stored as a JSON document (HazelcastJsonValue, queryable with SQL), with --native as the "
        "Python value itself. Keys are strings unless --json-key is given.",
    )
    parser.add_argument("name", metavar="NAME", help="the map's name")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", title="actions")
    actions.required = True

    def action(name: str, help_text: str, key: bool = False) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = actions.add_parser(
            name, parents=[connection], help=help_text, description=help_text
        )
        if key:
            sub.add_argument("key", metavar="KEY", help="the key (a string, or JSON with --json-key)")
            sub.add_argument("--json-key", action="store_true", help="read KEY as JSON (e.g. 42 is a number)")
        return sub

    get = action("get", "print the value of KEY as JSON (null when absent)", key=True)
    get.set_defaults(run=run_get)
    put = action("put", "set KEY to the JSON VALUE; print the previous value", key=True)
    put.add_argument("value", metavar="VALUE", help="the value as JSON, e.g. '{\"age\": 31}' or '\"text\"'")
    put.add_argument("--native", action="store_true", help="store the Python value instead of a JSON document")
    put.set_defaults(run=run_put)
    remove = action("remove", "remove KEY; print the removed value (null when absent)", key=True)
    remove.set_defaults(run=run_remove)
    action("size", "print the number of entries").set_defaults(run=run_size)
    action("entries", 'print every entry as a JSON line {"key": ..., "value": ...}').set_defaults(run=run_entries)
    watch = action("watch", "print the map's entry events as JSON lines until Ctrl-C")
    watch.add_argument("--count", type=_positive_int, default=None, help="stop after this many events")
    watch.add_argument("--duration", type=_positive_float, default=None, metavar="SECONDS", help="stop after this long")
    watch.set_defaults(run=run_watch)
    load = action("load", 'put the entries of a JSON-lines file ({"key": ..., "value": ...} per line)')
    load.add_argument("file", metavar="FILE", help="the .jsonl file, or - for standard input")
    load.add_argument("--native", action="store_true", help="store the Python values instead of JSON documents")
    load.set_defaults(run=run_load)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a whole number, got %r" % text) from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected a number >= 1, got %d" % value)
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number, got %r" % text) from None
    if not value > 0:
        raise argparse.ArgumentTypeError("expected a number > 0, got %r" % text)
    return value


def run_get(args: argparse.Namespace) -> int:
    """Print the JSON of the value at KEY (``null`` when absent); returns 0."""
    key = parse_key(args.key, args.json_key)
    with connect(args) as client:
        print(dumps(client.get_map(args.name).get(key)))
    return EXIT_OK


def run_put(args: argparse.Namespace) -> int:
    """Put VALUE at KEY, print the previous value's JSON; returns 0 (UsageError for bad JSON)."""
    key = parse_key(args.key, args.json_key)
    value = store_value(parse_json(args.value, "VALUE"), args.native)
    with connect(args) as client:
        print(dumps(client.get_map(args.name).put(key, value)))
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    """Remove KEY, print the removed value's JSON (``null`` when absent); returns 0."""
    key = parse_key(args.key, args.json_key)
    with connect(args) as client:
        print(dumps(client.get_map(args.name).remove(key)))
    return EXIT_OK


def run_size(args: argparse.Namespace) -> int:
    """Print the number of entries; returns 0."""
    with connect(args) as client:
        print(client.get_map(args.name).size())
    return EXIT_OK


def run_entries(args: argparse.Namespace) -> int:
    """Print every entry as a JSON line (the format ``load`` reads); returns 0."""
    with connect(args) as client:
        entries = client.get_map(args.name).entry_set()
    for key, value in entries:
        print(dumps({"key": key, "value": value}))
    return EXIT_OK


def event_line(event: Any) -> str:
    """One entry event as a JSON line: event type, key, value and old value; raises nothing."""
    kind = getattr(event.event_type, "name", str(event.event_type))
    record: Dict[str, Any] = {"event": kind, "key": event.key, "value": event.value, "old_value": event.old_value}
    if kind in ("EVICT_ALL", "CLEAR_ALL"):
        record = {"event": kind, "entries": event.number_of_affected_entries}
    return dumps(record)


def run_watch(args: argparse.Namespace) -> int:
    """Print the map's entry events as JSON lines until Ctrl-C, ``--count`` or ``--duration``; returns 0."""
    with connect(args) as client:
        events = client.handler.queue()
        funcs = {name + "_func": events.put for name in _EVENT_FUNCS}
        target = client.get_map(args.name)
        registration = target.add_entry_listener(include_value=True, **funcs)
        print("hzgreen: watching map %s (Ctrl-C to stop)" % args.name, file=sys.stderr, flush=True)
        try:
            _print_events(events, args.count, args.duration)
        except KeyboardInterrupt:
            # Ctrl-C is how a watch ends: a second one must not cut the clean-up short.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        target.remove_entry_listener(registration)
    return EXIT_OK


def _print_events(events: Any, count: Optional[int], duration: Optional[float]) -> None:
    deadline = None if duration is None else time.monotonic() + duration
    printed = 0
    while count is None or printed < count:
        wait = 1.0
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return
        try:
            event = events.get(timeout=min(wait, 1.0))
        except queue.Empty:
            continue
        print(event_line(event), flush=True)
        printed += 1


def read_entries(lines: Iterator[str], source: str) -> List[Tuple[Any, Any]]:
    """The (key, value) pairs of JSON lines (blank lines skipped); ``source`` names the file.

    Returns them in file order; raises UsageError naming ``source:line`` for a bad line.
    """
    entries = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            entries.append(parse_entry_line(line, "%s:%d" % (source, number)))
    return entries


def _open_lines(path: str) -> Tuple[List[str], str]:
    if path == "-":
        return sys.stdin.readlines(), "<stdin>"
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.readlines(), path
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError("cannot read %s: %s" % (path, getattr(error, "strerror", None) or error)) from None


def run_load(args: argparse.Namespace) -> int:
    """Check every line of FILE, then put the entries in batches with a progress bar; returns 0.

    Nothing is written when a line is bad (UsageError naming the line).
    """
    lines, source = _open_lines(args.file)
    entries = read_entries(iter(lines), source)
    with connect(args) as client:
        target = client.get_map(args.name)
        with Progress(len(entries), "load %s" % args.name) as progress:
            for start in range(0, len(entries), LOAD_BATCH):
                batch = entries[start : start + LOAD_BATCH]
                target.put_all({key: store_value(value, args.native) for key, value in batch})
                progress.update(len(batch))
    print("loaded %d entries into map %s" % (len(entries), args.name))
    return EXIT_OK
