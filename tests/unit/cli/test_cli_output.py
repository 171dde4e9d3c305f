"""JSON handling, tables and the progress bar of the hzgreen command line."""

import datetime
import decimal
import io
import uuid

import pytest

from hzgreen.cli.errors import UsageError
from hzgreen.cli.info import render as render_info
from hzgreen.cli.lock import render as render_lock
from hzgreen.cli.maps import event_line, read_entries
from hzgreen.cli.member import client_line
from hzgreen.cli.output import dumps, format_table, parse_key, store_value, to_jsonable
from hzgreen.cli.progress import Progress
from hzgreen.proxy.map_listeners import EntryEvent
from hzgreen.serialization.json_value import HazelcastJsonValue


def test_values_are_stored_as_json_documents_unless_native():
    stored = store_value({"age": 31, "tags": ["a"]}, native=False)
    assert isinstance(stored, HazelcastJsonValue)
    assert stored.loads() == {"age": 31, "tags": ["a"]}
    assert store_value({"age": 31}, native=True) == {"age": 31}


def test_keys_are_strings_unless_json():
    assert parse_key("42", as_json=False) == "42"
    assert parse_key("42", as_json=True) == 42
    assert parse_key('"x"', as_json=True) == "x"
    with pytest.raises(UsageError, match="KEY must be a JSON string"):
        parse_key("null", as_json=True)
    with pytest.raises(UsageError, match="KEY is not valid JSON"):
        parse_key("{", as_json=True)


def test_values_read_from_the_cluster_become_json():
    some_uuid = uuid.UUID(int=5)
    value = {
        "doc": HazelcastJsonValue('{"a": [1, 2]}'),
        1: b"\x00\x01",
        "when": datetime.date(2024, 2, 29),
        "amount": decimal.Decimal("1.50"),
        "id": some_uuid,
        "set": frozenset([3]),
        "obj": object,
    }
    assert to_jsonable(value) == {
        "doc": {"a": [1, 2]},
        "1": "AAE=",
        "when": "2024-02-29",
        "amount": "1.50",
        "id": str(some_uuid),
        "set": [3],
        "obj": repr(object),
    }
    assert dumps({"b": 1, "a": None}) == '{"a": null, "b": 1}'


def test_table_aligns_columns_and_right_aligns_numbers():
    table = format_table(["id", "name", "score"], [[1, "alice", 2.5], [10, None, 12.25], [3, "line\nbreak", None]])
    assert table.splitlines() == [
        "id | name        | score",
        "---+-------------+------",
        " 1 | alice       |   2.5",
        "10 | NULL        | 12.25",
        " 3 | line\\nbreak |  NULL",
        "(3 rows)",
    ]


def test_empty_table_still_shows_the_header():
    assert format_table(["a"], []).splitlines() == ["a", "-", "(0 rows)"]
    with pytest.raises(ValueError):
        format_table(["a", "b"], [[1]])


def test_entry_lines_are_read_in_order_and_blank_lines_skipped():
    lines = ['{"key": "a", "value": {"x": 1}}\n', "\n", '{"key": 2, "value": [true]}\n']
    assert read_entries(iter(lines), "f.jsonl") == [("a", {"x": 1}), (2, [True])]
    with pytest.raises(UsageError, match=r"f.jsonl:1: the key must be a JSON string"):
        read_entries(iter(['{"key": {"no": 1}, "value": 1}']), "f.jsonl")
    with pytest.raises(UsageError, match=r"f.jsonl:2: not valid JSON"):
        read_entries(iter(["", "{"]), "f.jsonl")


def test_event_lines():
    added = EntryEvent("m", "k", HazelcastJsonValue('{"v": 1}'), None, None, 1, None, 1)
    assert event_line(added) == '{"event": "ADDED", "key": "k", "old_value": null, "value": {"v": 1}}'
    cleared = EntryEvent("m", None, None, None, None, 64, None, 7)
    assert event_line(cleared) == '{"entries": 7, "event": "CLEAR_ALL"}'


def test_progress_draws_only_when_asked_or_on_a_tty():
    quiet = io.StringIO()
    with Progress(10, "load", quiet) as progress:
        progress.update(10)
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    with Progress(4, "load", shown, force=True) as progress:
        progress.update(2)
        assert progress.render() == "load [###############---------------]  50% 2/4"
        progress.update(5)
    assert shown.getvalue().endswith("\rload [" + "#" * 30 + "] 100% 4/4\n")


def test_client_line_is_python_that_names_members_and_cluster():
    line = client_line(["127.0.0.1:5701"], "dev")
    assert line == "HzClient(cluster_members=['127.0.0.1:5701'], cluster_name='dev')"


def test_lock_status_text():
    assert render_lock({"name": "l", "group": "default", "held": False}) == "lock l: free"
    held = {"name": "l", "group": "g", "held": True, "fence": 3, "count": 2, "session_id": 7, "thread_id": 1}
    assert render_lock(held) == "lock l: held (fence 3, count 2, session 7, thread 1)"


def test_info_text_with_and_without_cp():
    report = {
        "cluster": {"name": "dev", "state": "ACTIVE", "version": "5.4.0", "id": "c1"},
        "partition_count": 271,
        "members": [{"address": "h:1", "uuid": "u1", "version": "5.4.0", "lite": False, "partitions": 271}],
        "clients": 2,
        "cp": {"enabled": False},
    }
    text = render_info(report)
    assert "members: 1\n  h:1  u1  5.4.0  partitions 271\nclients: 2\nCP: disabled" in text
    report["cp"] = {
        "enabled": True,
        "members": [{"address": "h:1", "cp_uuid": "cp1"}],
        "groups": [
            {"name": "METADATA", "id": 0, "sessions": None},
            {"name": "default", "id": 4, "sessions": [{"id": 7, "type": "CLIENT", "name": "c1", "endpoint": "[h]:9"}]},
            {"name": "other", "id": 5, "sessions": None},
        ],
    }
    text = render_info(report)
    assert "CP members: 1\n  h:1  cp1\nCP groups: 3\n" in text
    assert "  METADATA (id 0)  sessions: -\n" in text
    assert "  default (id 4)  sessions: 1\n    session 7  CLIENT c1 at [h]:9\n" in text
    assert text.endswith("  other (id 5)  sessions: unknown (needs the member's REST CP endpoint)")
