"""Text the command line reads and writes: JSON values, JSON lines, aligned tables."""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import uuid
from typing import Any, List, Mapping, Sequence, Tuple

from hzgreen.cli.errors import UsageError
from hzgreen.serialization.json_value import HazelcastJsonValue

#: The JSON types a map key may have on the command line (objects and arrays may not).
_SCALARS = (str, int, float, bool)


def parse_json(text: str, what: str) -> Any:
    """The Python value of the JSON document ``text``; ``what`` names it in the error.

    Returns str, int, float, bool, None, list or dict. Raises UsageError when ``text``
    is not JSON, with a hint to quote strings.
    """
    try:
        return json.loads(text)
    except ValueError as error:
        raise UsageError(
            "%s is not valid JSON (%s): %r; a string needs JSON quotes, e.g. '\"text\"'" % (what, error, text)
        ) from None


def check_key(key: Any, what: str) -> Any:
    """``key`` itself when it can be a map key (a JSON string, number or boolean).

    Returns the key; raises UsageError for null, an object or an array.
    """
    if not isinstance(key, _SCALARS):
        raise UsageError("%s must be a JSON string, number or boolean, got %s" % (what, json.dumps(key)))
    return key


def parse_key(text: str, as_json: bool) -> Any:
    """A map key from the command line: ``text`` itself, or its JSON value with ``as_json``.

    Returns the key; raises UsageError for bad JSON or a JSON key that is not a scalar.
    """
    if not as_json:
        return text
    return check_key(parse_json(text, "KEY"), "KEY")


def store_value(value: Any, native: bool) -> Any:
    """What is written to the cluster for the decoded JSON ``value``.

    Returns a HazelcastJsonValue (queryable with SQL and predicates), or with ``native``
    the Python value itself (a dict becomes a Java HashMap, and so on). Raises nothing.
    """
    if native:
        return value
    return HazelcastJsonValue(json.dumps(value, separators=(",", ":")))


def to_jsonable(value: Any) -> Any:
    """``value`` (anything read from the cluster) as something ``json.dumps`` accepts.

    HazelcastJsonValue gives its document; dicts, lists, tuples and sets are converted item by
    item (dict keys become strings); bytes become base64 text; dates, times, decimals and uuids
    their ISO or plain text; anything else its ``repr``. Raises nothing.
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, HazelcastJsonValue):
        return value.loads()
    if isinstance(value, Mapping):
        return {_key_text(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return repr(value)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    return json.dumps(to_jsonable(key))


def dumps(value: Any) -> str:
    """``value`` (anything read from the cluster) as one line of JSON; raises nothing."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)


def parse_entry_line(line: str, where: str) -> Tuple[Any, Any]:
    """The (key, value) of one JSON line ``{"key": ..., "value": ...}``; ``where`` is "FILE:LINE".

    Returns the decoded key and value; raises UsageError naming ``where`` for bad JSON, a
    line that is not such an object, or a key that is not a JSON string, number or boolean.
    """
    try:
        entry = json.loads(line)
    except ValueError as error:
        raise UsageError("%s: not valid JSON (%s)" % (where, error)) from None
    if not isinstance(entry, dict) or "key" not in entry or "value" not in entry:
        raise UsageError('%s: expected an object {"key": ..., "value": ...}' % where)
    return check_key(entry["key"], "%s: the key" % where), entry["value"]


def cell_text(value: Any) -> str:
    """One table cell: NULL for None, JSON documents and containers as JSON, else ``str``."""
    if value is None:
        return "NULL"
    if isinstance(value, HazelcastJsonValue):
        return value.to_string()
    if isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return dumps(value)
    return str(value)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table: the header, a rule, one line per row, and a count line.

    Numbers are right-aligned, other cells left-aligned; line breaks inside a cell show as
    ``\\n``. Returns the text without a final newline; raises ValueError when a row's length
    differs from the header's.
    """
    texts: List[List[str]] = []
    numeric = [True] * len(headers)
    for row in rows:
        if len(row) != len(headers):
            raise ValueError("row %r has %d cells, the header %d" % (row, len(row), len(headers)))
        line = []
        for index, value in enumerate(row):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal))):
                numeric[index] = False
            line.append(cell_text(value).replace("\n", "\\n"))
        texts.append(line)
    widths = [len(name) for name in headers]
    for line in texts:
        widths = [max(width, len(cell)) for width, cell in zip(widths, line)]

    def render(cells: Sequence[str], align_numbers: bool) -> str:
        parts = []
        for index, cell in enumerate(cells):
            right = align_numbers and numeric[index] and bool(rows)
            parts.append(cell.rjust(widths[index]) if right else cell.ljust(widths[index]))
        return " | ".join(parts).rstrip()

    out = [render(headers, False), "-+-".join("-" * width for width in widths)]
    out.extend(render(line, True) for line in texts)
    out.append("(%d row%s)" % (len(rows), "" if len(rows) == 1 else "s"))
    return "\n".join(out)
