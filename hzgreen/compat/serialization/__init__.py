"""``hazelcast.serialization`` for hzgreen: :mod:`.api` (the user-facing interfaces) and
:mod:`.predicate` (the 4.0 predicate names the documentation still uses)."""
