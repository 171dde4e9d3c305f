"""hzgreen.compat: Config and enums, the option translation, and the shape of the client and proxies."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict

import pytest

from hzgreen.compat import config as compat_config
from hzgreen.compat.client import HazelcastClient
from hzgreen.compat.config import Config, IntType, ReconnectMode
from hzgreen.compat.cp import CPSubsystem
from hzgreen.compat.future import Future
from hzgreen.compat.proxy.base import Proxy
from hzgreen.config import ClientConfig
from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.server_errors import InvalidConfigurationError

REFERENCE = pathlib.Path(__file__).resolve().parents[3] / ".." / "shared" / "reference" / "official-client-api.json"


def official_api() -> Dict[str, Any]:
    if not REFERENCE.exists():
        pytest.skip("official-client-api.json not found at %s" % REFERENCE)
    return dict(json.loads(REFERENCE.read_text()))


# -- Config ---------------------------------------------------------------------------


def test_config_has_every_official_option_at_a_default_hzgreen_accepts() -> None:
    config = Config()
    for name in official_api()["config_options"]:
        getattr(config, name)  # present
    assert config.to_options() == {}
    ClientConfig(**config.to_options())


def test_config_translates_enums_and_keeps_changes() -> None:
    config = Config()
    config.cluster_name = "blue"
    config.cluster_members = ["127.0.0.1:5702"]
    config.reconnect_mode = ReconnectMode.OFF
    config.default_int_type = IntType.LONG
    config.ssl_protocol = compat_config.SSLProtocol.TLSv1_3
    config.pickle_enabled = False  # hzgreen's own options may be set too
    options = config.to_options()
    assert options["cluster_name"] == "blue"
    assert options["cluster_members"] == ["127.0.0.1:5702"]
    assert options["reconnect_mode"] == "OFF"
    assert options["default_int_type"] == "LONG"
    native = ClientConfig(**options)
    assert native.reconnect_mode == "OFF"


def test_config_enum_values_are_the_official_ones() -> None:
    assert (ReconnectMode.OFF, ReconnectMode.ON, ReconnectMode.ASYNC) == (0, 1, 2)
    assert (IntType.VAR, IntType.BYTE, IntType.SHORT, IntType.INT, IntType.LONG, IntType.BIG_INT) == (0, 1, 2, 3, 4, 5)
    assert compat_config.IndexType.HASH == 1 and compat_config.InMemoryFormat.OBJECT == 1
    assert compat_config.EvictionPolicy.LFU == 2 and compat_config.TopicOverloadPolicy.ERROR == 3
    assert compat_config.SSLProtocol.TLSv1_2 == 4 and compat_config.UniqueKeyTransformation.RAW == 2
    assert compat_config.QueryConstants.KEY_ATTRIBUTE_NAME == "__key"
    official_enums = official_api()["modules"]["hazelcast/config.py"]
    for name in official_enums:
        if name != "IndexUtil":
            assert hasattr(compat_config, name), name


def test_config_plain_ints_for_enums() -> None:
    options = Config.from_dict({"reconnect_mode": 2, "default_int_type": 0}).to_options()
    assert options == {"reconnect_mode": "ASYNC", "default_int_type": "VAR"}


def test_config_rejects_unknown_names() -> None:
    with pytest.raises(InvalidConfigurationError):
        Config.from_dict({"clustr_name": "x"})
    with pytest.raises(AttributeError):
        Config().clustr_name = "x"
    with pytest.raises(InvalidConfigurationError):
        Config.from_dict({"reconnect_mode": 7}).to_options()


def test_config_unsupported_official_options() -> None:
    assert Config.from_dict({"shuffle_member_list": False, "is_big_endian": True}).to_options() == {}
    with pytest.raises(InvalidConfigurationError):
        Config.from_dict({"is_big_endian": False}).to_options()
    with pytest.raises(InvalidConfigurationError):
        Config.from_dict({"use_public_ip": True}).to_options()


def test_client_refuses_config_and_keywords_together() -> None:
    with pytest.raises(InvalidConfigurationError):
        HazelcastClient(Config(), cluster_name="x")


def test_client_checks_options_before_connecting() -> None:
    with pytest.raises(TypeError, match="cluster_name"):
        HazelcastClient(cluster_name=5)


# -- client and proxy shape -------------------------------------------------------------


def test_client_has_the_official_methods() -> None:
    official = set(official_api()["classes"]["HazelcastClient"]["methods"])
    enterprise_only = {"get_vector_collection", "create_vector_collection_config"}
    missing = sorted(name for name in official - enterprise_only if not hasattr(HazelcastClient, name))
    assert missing == []


def _resolves(native_class: type, name: str) -> bool:
    from hzgreen.compat.proxy.base import METHOD_RENAMES

    if name == "blocking":
        return True
    return hasattr(native_class, METHOD_RENAMES.get(name, name) + "_async") or hasattr(native_class, name)


@pytest.mark.parametrize(
    "official_name, native_path",
    [
        ("Map", "hzgreen.proxy.map:Map"),
        ("Queue", "hzgreen.proxy.queue:Queue"),
        ("AtomicLong", "hzgreen.cp.atomic_long:AtomicLong"),
        ("AtomicReference", "hzgreen.cp.atomic_reference:AtomicReference"),
        ("CountDownLatch", "hzgreen.cp.count_down_latch:CountDownLatch"),
        ("FencedLock", "hzgreen.cp.fenced_lock:FencedLock"),
        ("Semaphore", "hzgreen.cp.semaphore:Semaphore"),
    ],
)
def test_every_official_proxy_method_resolves(official_name: str, native_path: str) -> None:
    module_name, class_name = native_path.split(":")
    native_class = getattr(__import__(module_name, fromlist=[class_name]), class_name)
    methods = official_api()["classes"][official_name]["methods"]
    extra = {"get_group_id"} if official_name == "FencedLock" else set()
    missing = sorted(name for name in methods if name not in extra and not _resolves(native_class, name))
    assert missing == []


class _FakeNative:
    """Stands in for a native proxy: records the async calls."""

    name = "fake"
    service_name = "hz:impl:fakeService"

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.calls: list[Any] = []

    def _done(self, value: Any) -> Any:
        result = self.handler.async_result()
        result.set(value)
        return result

    def put_all_async(self, entries: Any) -> Any:
        self.calls.append(("put_all", entries))
        return self._done(None)

    def compare_and_set_async(self, expected: Any, updated: Any) -> Any:
        self.calls.append(("compare_and_set", expected, updated))
        return self._done(True)

    def is_null_async(self) -> Any:
        return self._done(True)

    def destroy(self) -> bool:
        return True

    def reset(self) -> None:
        self.calls.append(("reset",))

    def reset_async(self) -> Any:
        raise AssertionError("the official reset() is synchronous")


class _FakeReplicated(_FakeNative):
    def put_all_async(self, map: Any) -> Any:  # noqa: A002  # takes the official keyword itself
        self.calls.append(("put_all", map))
        return self._done(None)


def test_keyword_kept_when_the_native_method_takes_it() -> None:
    handler = SequentialThreadingHandler()
    native = _FakeReplicated(handler)
    Proxy(native, handler).put_all(map={"k": 1}).result()
    assert native.calls == [("put_all", {"k": 1})]


def test_proxy_maps_official_calls_to_native_async_twins() -> None:
    handler = SequentialThreadingHandler()
    native = _FakeNative(handler)
    proxy: Proxy[_FakeNative] = Proxy(native, handler)
    assert proxy.blocking() is native
    assert proxy.name == "fake" and proxy.service_name == "hz:impl:fakeService"
    future = proxy.put_all(map={"k": 1})
    assert isinstance(future, Future) and future.result() is None
    assert proxy.compare_and_set(expect=1, update=2).result() is True
    assert proxy.is_none().result() is True
    assert proxy.destroy() is True  # no async twin: the native method as is
    assert proxy.reset() is None  # synchronous in the official client too
    assert native.calls == [("put_all", {"k": 1}), ("compare_and_set", 1, 2), ("reset",)]
    assert proxy.put_all is proxy.put_all  # resolved once, then cached
    assert "compare_and_set" in dir(proxy)
    with pytest.raises(AttributeError):
        proxy.no_such_method  # noqa: B018


def test_listener_registration_returns_once_active() -> None:
    handler = SequentialThreadingHandler()
    handler.start()
    try:

        class Native:
            def add_listener_async(self, func: Any) -> Any:
                result = handler.async_result()
                handler.spawn(result.set, "registration-id")  # confirmed later, from another thread
                return result

        future = Proxy(Native(), handler).add_listener(print)
        assert future.done() and future.result() == "registration-id"
    finally:
        handler.stop()


def test_cp_subsystem_wraps_the_native_getters() -> None:
    class NativeCP:
        def get_atomic_long(self, name: str) -> Any:
            return ("AtomicLong", name)

    subsystem = CPSubsystem(NativeCP(), SequentialThreadingHandler())  # type: ignore[arg-type]  # a stand-in
    atomic = subsystem.get_atomic_long("a")
    assert atomic.blocking() == ("AtomicLong", "a")
