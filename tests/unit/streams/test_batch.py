"""apply_batch (the sans-IO step of a transform), markers and checkpoint values, and the
argument checks of Transform (before anything is sent)."""

import types

import pytest

from hzgreen.proxy.map_listeners import EntryEventType as T
from hzgreen.streams.batch import apply_batch, format_marker, parse_marker
from hzgreen.streams.checkpoints import format_checkpoint, parse_checkpoint
from hzgreen.streams.transform import Transform


def _key(key):
    return key


def test_func_runs_in_order_and_later_events_replace_earlier_writes():
    events = [("a", 1, T.ADDED, 10), ("b", 2, T.ADDED, 11), ("a", 3, T.UPDATED, 12)]
    output = apply_batch(7, events, lambda k, v: v * 10, _key, False, {})
    assert output.puts == {"a": 30, "b": 20}
    assert output.markers == {"a": format_marker(7, 12), "b": format_marker(7, 11)}
    assert (output.processed, output.duplicates, output.skipped, output.errors) == (3, 0, 0, 0)
    assert output.writes == 2


def test_events_already_applied_are_duplicates_and_func_is_not_called():
    calls = []
    events = [("a", 1, T.ADDED, 10), ("b", 2, T.ADDED, 11), ("c", 3, T.ADDED, 12)]
    applied = {"a": format_marker(7, 10), "b": format_marker(7, 15), "c": format_marker(8, 99)}
    output = apply_batch(7, events, lambda k, v: calls.append(k) or v, _key, False, applied)
    assert calls == ["c"]  # a marker of another partition says nothing about this one
    assert output.duplicates == 2 and output.puts == {"c": 3}


def test_removals_are_skipped_unless_asked_and_then_delete():
    events = [("a", 1, T.ADDED, 1), ("a", None, T.REMOVED, 2), ("b", None, T.EXPIRED, 3)]
    kept = apply_batch(0, events, lambda k, v: v, _key, False, {})
    assert kept.puts == {"a": 1} and kept.deletes == [] and kept.skipped == 2
    deleted = apply_batch(0, events, lambda k, v: v, _key, True, {})
    assert deleted.puts == {} and deleted.deletes == ["a", "b"]
    assert deleted.markers == {"a": format_marker(0, 2), "b": format_marker(0, 3)}


def test_none_writes_nothing_and_errors_go_to_on_error_or_the_log(caplog):
    def func(key, value):
        if value == 0:
            raise ZeroDivisionError("boom")
        return None if value < 0 else value

    events = [("a", -1, T.ADDED, 1), ("b", 0, T.ADDED, 2), ("c", 5, T.ADDED, 3), ("d", 9, T.EVICT_ALL, 4)]
    output = apply_batch(0, events, func, str.upper, False, {})
    assert output.puts == {"C": 5} and output.skipped == 2 and output.errors == 1
    assert "boom" in caplog.text
    seen = []
    apply_batch(0, events, func, _key, False, {}, on_error=lambda k, v, e: seen.append((k, type(e))))
    assert seen == [("b", ZeroDivisionError)]
    with pytest.raises(RuntimeError, match="stop"):
        apply_batch(
            0, events, func, _key, False, {}, on_error=lambda k, v, e: (_ for _ in ()).throw(RuntimeError("stop"))
        )


def test_markers_and_checkpoints_round_trip_and_reject_foreign_values():
    assert parse_marker(format_marker(3, 42)) == (3, 42)
    assert parse_marker(None) is None and parse_marker("x:y") is None and parse_marker(5) is None
    assert parse_checkpoint(format_checkpoint(2, -1)) == (2, -1)
    for foreign in (None, 7, "nope"):
        with pytest.raises(ValueError, match="epoch:sequence"):
            parse_checkpoint(foreign)


def _client():
    return types.SimpleNamespace()


@pytest.mark.parametrize(
    "args, options, error, message",
    [
        (("", "r", abs), {}, ValueError, "source_map must be a non-empty map name"),
        (("s", "s", abs), {}, ValueError, "result_map must differ"),
        (("s", "r", None), {}, TypeError, "func must be callable"),
        (("s", "r", 5), {}, TypeError, "func must be callable"),
        (("s", "r", abs), {"key_func": 1}, TypeError, "key_func must be callable"),
        (("s", "r", abs), {"start": "middle"}, ValueError, "start must be 'oldest' or 'newest'"),
        (("s", "r", abs), {"batch_size": 0}, ValueError, "batch_size must be a positive int"),
        (("s", "r", abs), {"max_in_flight": 1.5}, ValueError, "max_in_flight must be a positive int"),
        (("s", "r", abs), {"lease": -1}, ValueError, "lease must be a positive number"),
        (("s", "r", abs), {"checkpoint_interval": True}, ValueError, "checkpoint_interval must be a positive"),
    ],
)
def test_bad_arguments_fail_before_anything_is_sent(args, options, error, message):
    with pytest.raises(error, match=message):
        Transform(_client(), *args, **options)
