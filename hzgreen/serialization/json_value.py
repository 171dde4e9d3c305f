"""``HazelcastJsonValue``: a JSON document stored in the cluster as JSON (type id -130).

Members can query the fields of JSON values (predicates, SQL), unlike pickled dicts.
"""

from __future__ import annotations

import json
from typing import Any


class HazelcastJsonValue:
    """A JSON string, kept as text.

    ``HazelcastJsonValue('{"age": 31}')`` keeps the string as given (it is not
    validated); any other value is converted with :func:`json.dumps`, so
    ``HazelcastJsonValue({"age": 31})`` works too.
    """

    __slots__ = ("_json_string",)

    def __init__(self, value: Any) -> None:
        if isinstance(value, str):
            self._json_string = value
        else:
            self._json_string = json.dumps(value)

    def to_string(self) -> str:
        """The JSON text."""
        return self._json_string

    def loads(self) -> Any:
        """The JSON text parsed with :func:`json.loads`."""
        return json.loads(self._json_string)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, HazelcastJsonValue):
            return self._json_string == other._json_string
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._json_string)

    def __str__(self) -> str:
        return self._json_string

    def __repr__(self) -> str:
        return "HazelcastJsonValue(%r)" % (self._json_string,)
