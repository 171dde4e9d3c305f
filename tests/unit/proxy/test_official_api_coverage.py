"""Every method of the official client's data-structure proxies exists here, with an ``_async`` twin.

The method names are facts taken from the official Hazelcast Python client's API (Map and
Queue from ../shared/reference/official-client-api.json, the others from its documentation),
kept here so the check runs on any machine.
"""

import pytest

from hzgreen.proxy.executor import Executor
from hzgreen.proxy.flake_id_generator import FlakeIdGenerator
from hzgreen.proxy.list import List
from hzgreen.proxy.map import Map
from hzgreen.proxy.multi_map import MultiMap
from hzgreen.proxy.pn_counter import PNCounter
from hzgreen.proxy.queue import Queue
from hzgreen.proxy.reliable_topic import ReliableTopic
from hzgreen.proxy.replicated_map import ReplicatedMap
from hzgreen.proxy.ringbuffer import Ringbuffer
from hzgreen.proxy.set import Set
from hzgreen.proxy.topic import Topic

OFFICIAL_METHODS = {
    Map: """add_entry_listener add_index add_interceptor aggregate clear contains_key contains_value delete
        entry_set evict evict_all execute_on_entries execute_on_key execute_on_keys flush force_unlock get get_all
        get_entry_view is_empty is_locked key_set load_all lock project put put_all put_if_absent put_transient
        remove remove_all remove_entry_listener remove_if_same remove_interceptor replace replace_if_same set
        set_ttl size try_lock try_put try_remove unlock values""",
    Queue: """add add_all add_listener clear contains contains_all drain_to is_empty iterator offer peek poll put
        remaining_capacity remove remove_all remove_listener retain_all size take""",
    MultiMap: """add_entry_listener clear contains_entry contains_key contains_value delete entry_set force_unlock
        get is_locked key_set lock put put_all remove remove_all remove_entry_listener size try_lock unlock
        value_count values""",
    ReplicatedMap: """add_entry_listener clear contains_key contains_value entry_set get is_empty key_set put
        put_all remove remove_entry_listener size values""",
    Set: """add add_all add_listener clear contains contains_all get_all is_empty remove remove_all
        remove_listener retain_all size""",
    List: """add add_all add_all_at add_at add_listener clear contains contains_all get get_all index_of
        is_empty iterator last_index_of list_iterator remove remove_all remove_at remove_listener retain_all
        set_at size sub_list""",
    Ringbuffer: "add add_all capacity head_sequence read_many read_one remaining_capacity size tail_sequence",
    Topic: "add_listener publish publish_all remove_listener",
    ReliableTopic: "add_listener publish publish_all remove_listener",
    PNCounter: """add_and_get decrement_and_get get get_and_add get_and_decrement get_and_increment
        get_and_subtract increment_and_get reset subtract_and_get""",
    FlakeIdGenerator: "new_id",
    Executor: """execute_on_all_members execute_on_key_owner execute_on_member execute_on_members is_shutdown
        shutdown""",
}


@pytest.mark.parametrize("proxy_class", list(OFFICIAL_METHODS), ids=lambda c: c.__name__)
def test_every_official_method_exists_with_an_async_twin(proxy_class):
    names = OFFICIAL_METHODS[proxy_class].split()
    assert [name for name in names if not callable(getattr(proxy_class, name, None))] == []
    assert [name for name in names if not callable(getattr(proxy_class, name + "_async", None))] == []


def test_the_check_notices_a_missing_method():
    class Partial:
        def put(self):
            pass

    assert not callable(getattr(Partial, "put_async", None))
    assert not callable(getattr(Partial, "get", None))
