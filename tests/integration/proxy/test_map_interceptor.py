"""Map interceptors and MapLoader-backed calls (load_all, evict with a store) against a
private member whose classpath holds tests/java/hzgreen/mapx, under each handler."""

import pytest

from tests.integration.private_cluster import keep_workdir, serve
from tests.integration.proxy.mapx_twins import UpperCaseInterceptor, mapx_cluster

LOADED_MAP_XML = (
    '<map name="loaded*"><map-store enabled="true" initial-mode="LAZY">'
    "<class-name>hzgreen.mapx.MapxLoader</class-name></map-store></map>"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mapx_member(request):
    yield from serve(mapx_cluster(extra_config_xml=LOADED_MAP_XML, keep_workdir=keep_workdir(request)))


@pytest.fixture
def client(mapx_member, hz_client_factory):
    return hz_client_factory(cluster=mapx_member)


def test_an_interceptor_changes_puts_and_gets_until_removed(client, unique_name):
    m = client.get_map(unique_name)
    registration = m.add_interceptor(UpperCaseInterceptor("seen:"))
    assert isinstance(registration, str) and registration
    m.put("k", "quiet")
    assert m.get("k") == "seen:QUIET"
    assert m.get_all(["k"]) == {"k": "seen:QUIET"}
    assert m.remove_interceptor(registration) is True
    assert m.remove_interceptor(registration) is False
    assert m.get("k") == "QUIET"  # stored upper-cased while the interceptor was there
    m.put("k", "quiet")
    assert m.get("k") == "quiet"


def test_interceptor_async_twins_and_bad_arguments(client, unique_name):
    m = client.get_map(unique_name)
    registration = m.add_interceptor_async(UpperCaseInterceptor()).result(30)
    m.put("k", "abc")
    assert m.get("k") == "ABC"
    assert m.remove_interceptor_async(registration).result(30) is True
    with pytest.raises(ValueError, match="interceptor"):
        m.add_interceptor(None)
    with pytest.raises(TypeError, match="registration_id"):
        m.remove_interceptor(42)


def test_load_all_calls_the_map_loader(client, unique_name):
    m = client.get_map("loaded-" + unique_name)
    m.load_all()
    assert sorted(m.entry_set()) == [("k1", "loaded-k1"), ("k2", "loaded-k2"), ("k3", "loaded-k3")]
    m.put("k1", "mine")
    m.load_all(replace_existing_values=False)
    assert m.get("k1") == "mine"
    m.load_all(["k1", "k9"])  # replace_existing_values defaults to True
    assert m.get("k1") == "loaded-k1" and m.get("k9") == "loaded-k9"
    m.load_all_async(["k7"], replace_existing_values=False).result(30)
    assert m.size() == 5


def test_evict_keeps_the_entry_in_the_store_and_flush_works(client, unique_name):
    m = client.get_map("loaded-" + unique_name)
    m.put_transient("k2", "not stored")
    assert m.get("k2") == "not stored"
    assert m.evict("k2") is True
    assert m.get("k2") == "loaded-k2"  # read through the loader again
    m.flush()
    m.evict_all()
    assert m.get("k3") == "loaded-k3"
