"""Party recipe: join, leave, len, iteration; a dead client's member expires (both handlers)."""

WAIT = 30


def wait_until(handler, predicate, what, timeout=WAIT):
    # polls a cluster-side condition with a deadline (the map is the only source of truth)
    deadline = handler.monotonic() + timeout
    pause = handler.event_object()
    while not predicate():
        assert handler.monotonic() < deadline, what
        pause.wait(0.2)


def test_join_leave_len_iter(hz_client, hz_client_factory, unique_name):
    a = hz_client.Party(unique_name, "a")
    b = hz_client_factory().Party(unique_name, "b")
    assert len(a) == 0 and list(a) == []
    a.join()
    b.join()
    a.join()  # idempotent
    assert len(a) == 2 and sorted(a) == ["a", "b"]
    b.leave()
    assert sorted(a) == ["a"] and len(b) == 1
    a.leave()
    assert len(a) == 0


def test_refreshed_beyond_ttl_and_dead_member_expires(hz_client, hz_client_factory, unique_name):
    handler = hz_client.handler
    keeper = hz_client.Party(unique_name, "keeper", ttl=3)
    keeper.join()
    doomed_client = hz_client_factory()
    doomed = doomed_client.Party(unique_name, "doomed", ttl=3)
    doomed.join()
    assert sorted(keeper) == ["doomed", "keeper"]
    start = handler.monotonic()
    doomed_client.stop()  # its refresher stops: nobody deletes its entry
    wait_until(handler, lambda: sorted(keeper) == ["keeper"], "doomed never expired", timeout=10)
    assert handler.monotonic() - start <= 3 + 5.5  # TTL + expiry sweep slack
    assert handler.monotonic() - start >= 1  # it did not vanish at once
    keeper.leave()
