"""The pickle serializer (type id -120): off by default, optionally restricted to an allow-list.

Unpickling calls whatever callables the pickle names, so a pickle read from the cluster
can run code in this process on behalf of anyone who can write to the cluster. Hence:

* ``pickle_enabled=False`` (the default): objects no other serializer handles cannot be
  written, and pickled data cannot be read (an error names the type id and the option);
  the payload is never looked at.
* ``pickle_enabled=True`` with ``pickle_allowed_classes``: a restricted unpickler
  resolves only the globals of the allow-list and of :data:`SAFE_PICKLE_GLOBALS`; any
  other global fails before its module is imported.
* ``pickle_enabled=True`` alone: plain ``pickle.loads``, the official client's behaviour.

Writing is never restricted by the allow-list (it runs no code of the cluster's).
"""

from __future__ import annotations

import _compat_pickle
import codecs
import collections
import copyreg
import datetime
import decimal
import fractions
import io
import pickle
import sys
import uuid
from typing import Any, Callable, Dict, FrozenSet, Iterable, Mapping, Optional

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.serializers import BuiltinSerializer, python_type_name

__all__ = ["PickleSerializer", "RestrictedUnpickler", "SAFE_PICKLE_GLOBALS", "normalize_allowed_classes"]

_NAME_MAPPING = _compat_pickle.NAME_MAPPING
_IMPORT_MAPPING = _compat_pickle.IMPORT_MAPPING


def _bytes(*args: Any) -> bytes:
    """``bytes(...)`` as protocols 0-2 use it, without ``bytes(n)`` (n zero bytes from a tiny pickle)."""
    if args and isinstance(args[0], int):
        raise HzSerializationError("pickled data calls bytes(%r); only bytes() of data is allowed" % (args[0],))
    return bytes(*args)


def _bytearray(*args: Any) -> bytearray:
    """``bytearray(...)`` without ``bytearray(n)``."""
    if args and isinstance(args[0], int):
        raise HzSerializationError("pickled data calls bytearray(%r); only bytearray() of data is allowed" % (args[0],))
    return bytearray(*args)


def _latin1_encode(text: Any, encoding: str = "utf-8", errors: str = "strict") -> bytes:
    """``_codecs.encode`` as protocols 0-2 use it for ``bytes``: latin-1 text only."""
    if encoding not in ("latin1", "latin-1") or errors != "strict" or not isinstance(text, str):
        raise HzSerializationError(
            "pickled data calls _codecs.encode with encoding %r; only latin1 text is allowed" % (encoding,)
        )
    return codecs.encode(text, "latin1")


#: Globals every restricted unpickler resolves, besides ``pickle_allowed_classes``: what
#: protocol 0 needs for sets, bytes and instances of plain or tuple-based classes, and a
#: few standard value types whose constructors only build values.
_SAFE_OBJECTS: Dict[str, Callable[..., Any]] = {
    "builtins.set": set,
    "builtins.frozenset": frozenset,
    "builtins.complex": complex,
    "builtins.bytes": _bytes,
    "builtins.bytearray": _bytearray,
    "builtins.object": object,
    "builtins.tuple": tuple,
    "builtins.list": list,
    "builtins.dict": dict,
    "builtins.int": int,
    "builtins.float": float,
    "builtins.str": str,
    "_codecs.encode": _latin1_encode,
    "copyreg._reconstructor": copyreg._reconstructor,  # type: ignore[attr-defined]
    "collections.OrderedDict": collections.OrderedDict,
    "collections.deque": collections.deque,
    "datetime.date": datetime.date,
    "datetime.time": datetime.time,
    "datetime.datetime": datetime.datetime,
    "datetime.timedelta": datetime.timedelta,
    "datetime.timezone": datetime.timezone,
    "decimal.Decimal": decimal.Decimal,
    "fractions.Fraction": fractions.Fraction,
    "uuid.UUID": uuid.UUID,
}

#: The names of the globals a restricted unpickler always allows (documented in
#: ``docs/serialization.rst``). ``builtins.bytes``/``bytearray`` refuse an int argument
#: and ``_codecs.encode`` accepts only latin-1, which is how pickle uses them.
SAFE_PICKLE_GLOBALS: FrozenSet[str] = frozenset(_SAFE_OBJECTS)


def _check_dotted_name(entry: str) -> None:
    parts = entry.split(".")
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        raise ValueError(
            "pickle_allowed_classes entries must be 'module.QualName' strings or classes, got %r" % (entry,)
        )


#: ``pickle_allowed_classes`` normalized: ``"module.QualName"`` -> the class or function, or None
#: for an entry given as a string (imported when a pickle names it).
AllowedGlobals = Mapping[str, Optional[Callable[..., Any]]]


def normalize_allowed_classes(value: object) -> Optional[Dict[str, Optional[Callable[..., Any]]]]:
    """Validate ``pickle_allowed_classes``.

    :returns: None for None, else ``{"module.QualName": object or None}`` (None for the
        entries given as strings, resolved by import when a pickle names them).
    :raises TypeError: if ``value`` is not an iterable of classes, functions or strings.
    :raises ValueError: if a string is not a dotted name, or a class cannot be pickled by
        reference (defined inside a function).
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(
            "pickle_allowed_classes must be a list of classes or 'module.QualName' strings, got %r" % (value,)
        )
    allowed: Dict[str, Optional[Callable[..., Any]]] = {}
    for entry in value:
        if isinstance(entry, str):
            _check_dotted_name(entry)
            allowed.setdefault(entry, None)
            continue
        module = getattr(entry, "__module__", None)
        qualname = getattr(entry, "__qualname__", None)
        if not callable(entry) or not isinstance(module, str) or not isinstance(qualname, str):
            raise TypeError(
                "pickle_allowed_classes entries must be classes or 'module.QualName' strings, got %r" % (entry,)
            )
        if "<locals>" in qualname:
            raise ValueError(
                "pickle_allowed_classes: %s.%s is defined inside a function, so pickle cannot "
                "refer to it" % (module, qualname)
            )
        allowed["%s.%s" % (module, qualname)] = entry
    return allowed


def _resolve(module: str, name: str) -> Any:
    """Import ``module`` and walk ``name``; the object must say it is ``module.name``."""
    try:
        __import__(module, level=0)
        obj: Any = sys.modules[module]
        for part in name.split("."):
            obj = getattr(obj, part)
    except Exception as e:
        raise HzSerializationError(
            "pickled data refers to %s.%s, which cannot be imported: %s: %s" % (module, name, type(e).__name__, e)
        ) from e
    found_module = getattr(obj, "__module__", None)
    found_name = getattr(obj, "__qualname__", None)
    if (isinstance(found_module, str) and found_module != module) or (
        isinstance(found_name, str) and found_name != name
    ):
        raise HzSerializationError(
            "pickled data refers to %s.%s, which is %s.%s: not the allowed object"
            % (module, name, found_module, found_name)
        )
    return obj


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only allowed globals (classes, functions).

    Every callable a pickle can invoke is a global resolved by :meth:`find_class`, so
    refusing a global before importing its module keeps the payload from running code
    other than the allowed classes' constructors and ``__setstate__``. Persistent ids
    are refused too (``pickle.Unpickler`` does that by default).
    """

    def __init__(self, payload: bytes, allowed: AllowedGlobals) -> None:
        super().__init__(io.BytesIO(payload))
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        """The allowed object named ``module.name`` (Python 2 names mapped as pickle does).

        :raises HzSerializationError: if the name is neither in ``pickle_allowed_classes``
            nor in :data:`SAFE_PICKLE_GLOBALS`, or does not resolve to the allowed object.
        """
        if (module, name) in _NAME_MAPPING:
            module, name = _NAME_MAPPING[(module, name)]
        elif module in _IMPORT_MAPPING:
            module = _IMPORT_MAPPING[module]
        full = "%s.%s" % (module, name)
        if full in self._allowed:
            obj = self._allowed[full]
            return _resolve(module, name) if obj is None else obj
        safe = _SAFE_OBJECTS.get(full)
        if safe is not None:
            return safe
        raise HzSerializationError(
            "pickled data refers to %s, which is not in pickle_allowed_classes (nothing was run)" % (full,)
        )


class PickleSerializer(BuiltinSerializer):
    """Python pickle (type id -120), byte-compatible with the official Python client.

    The official client writes ``write_string(pickle.dumps(obj, 0).decode("utf-8"))``
    and reads ``pickle.loads(read_string().encode())``. Encoding the decoded string
    back to UTF-8 gives the original pickle bytes, so the payload is simply
    int32 length + the protocol-0 pickle bytes, which is what this serializer writes
    and reads. (Protocol-0 pickles of text with U+0080..U+00FF or of ``bytes`` are not
    valid UTF-8: the official client cannot write or read those, this one can.)

    :param protocol: the pickle protocol used for writing.
    :param enabled: the ``pickle_enabled`` option; when False, :meth:`read` refuses.
    :param allowed: the normalized ``pickle_allowed_classes`` (None: no restriction).
    """

    type_id = c.PYTHON_TYPE_PICKLE

    def __init__(self, protocol: int = 0, enabled: bool = True, allowed: Optional[AllowedGlobals] = None) -> None:
        self.protocol = protocol
        self.enabled = enabled
        self.allowed = allowed

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        """Append int32 length + ``pickle.dumps(obj, protocol)``.

        :raises HzSerializationError: if pickle cannot serialize ``obj``.
        """
        try:
            payload = pickle.dumps(obj, self.protocol)
        except Exception as e:
            raise HzSerializationError(
                "cannot serialize object of Python type %r: no Hazelcast serializer handles it "
                "and pickle failed: %s: %s" % (python_type_name(obj), type(e).__name__, e)
            ) from e
        out.write_byte_array(payload)

    def read(self, inp: ObjectDataInput) -> Any:
        """The unpickled object (None for a null payload).

        :raises HzSerializationError: if pickle is disabled (before reading the payload),
            or if the pickle names a global outside the allow-list.
        """
        if not self.enabled:
            raise HzSerializationError(
                "pickled Python objects are not read unless the client is created with pickle_enabled=True "
                "(unpickling data from the cluster can run arbitrary code; see pickle_allowed_classes "
                "to restrict it)"
            )
        payload = inp.read_byte_array()
        if payload is None:
            return None
        if self.allowed is None:
            return pickle.loads(payload)
        return RestrictedUnpickler(payload, self.allowed).load()
