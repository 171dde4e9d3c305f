"""The official client's user-extensible query bases (Predicate, Aggregator, Projection).

In the official client these are plain base classes and any IdentifiedDataSerializable
object can be sent; hzgreen's proxies accept instances of its own bases only. Each compat
base here is therefore a subclass of hzgreen's, so a user subclass written for the
official client is accepted by hzgreen and serialized by its own ``get_factory_id``,
``get_class_id`` and ``write_data``. ``isinstance(x, Base)`` also holds for every native
hzgreen predicate/aggregator/projection (the metaclass checks the native base).
"""

from __future__ import annotations

from typing import Any, Optional, Type


class NativeBaseMeta(type):
    """Metaclass of a compat base: on the base itself, isinstance/issubclass test the native base."""

    _native_base: Optional[type] = None

    def __instancecheck__(cls, instance: Any) -> bool:
        """Returns True for instances of the native base (on the compat base) or of ``cls``."""
        native = cls.__dict__.get("_native_base")
        if native is not None:
            return isinstance(instance, native)
        return type.__instancecheck__(cls, instance)

    def __subclasscheck__(cls, subclass: Type[Any]) -> bool:
        """Returns True for subclasses of the native base (on the compat base) or of ``cls``."""
        native = cls.__dict__.get("_native_base")
        if native is not None:
            return issubclass(subclass, native)
        return type.__subclasscheck__(cls, subclass)


class UserQueryObject:
    """Identity equality and the default repr for user subclasses (the native bases compare
    their own wire fields, which a user subclass does not have)."""

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return object.__repr__(self)
