"""Election recipe: one leader, contenders, cancel, takeover, loss (both handlers)."""

WAIT = 30


def _spawn(client, func, *args):
    result = client.handler.async_result()

    def run():
        try:
            result.set(func(*args))
        except BaseException as error:
            result.set_exception(error)

    client.handler.spawn(run)
    return result


def test_leader_then_next_contender(hz_client, hz_client_factory, unique_name):
    handler = hz_client.handler
    a = hz_client.Election(unique_name, "a")
    other = hz_client_factory()
    b = other.Election(unique_name, "b")
    leading, finish = handler.event_object(), handler.event_object()
    b_leading = other.handler.event_object()

    def lead_a():
        leading.set()
        assert finish.wait(WAIT)
        return "done-a"

    ra = _spawn(hz_client, a.run, lead_a)
    assert leading.wait(WAIT)
    assert a.is_leader and a.fence > 0
    rb = _spawn(other, b.run, lambda: (b_leading.set(), b.fence)[1])
    # b registers as a contender while a leads
    deadline = handler.monotonic() + WAIT
    while a.contenders() != ["a", "b"]:
        assert handler.monotonic() < deadline, a.contenders()
        handler.event_object().wait(0.1)
    assert a.leader() == "a" and b.leader() == "a"
    assert not b_leading.is_set()
    finish.set()
    assert ra.get(timeout=WAIT) == "done-a"
    assert not a.is_leader
    assert rb.get(timeout=WAIT) > a.fence  # b led next, with a larger fence
    assert b_leading.is_set() and not b.is_leader
    assert a.contenders() == [] and a.leader() is None


def test_cancel_waiting_and_leading(hz_client, hz_client_factory, unique_name):
    handler = hz_client.handler
    a = hz_client.Election(unique_name, "a")
    leading, never = handler.event_object(), handler.event_object()

    def lead():
        leading.set()
        never.wait(WAIT)

    ra = _spawn(hz_client, a.run, lead)
    assert leading.wait(WAIT)
    other = hz_client_factory()
    b = other.Election(unique_name, "b")
    rb = _spawn(other, b.run, lambda: "b-led")
    b.cancel()  # while waiting: run returns None
    assert rb.get(timeout=WAIT) is None
    start = handler.monotonic()
    a.cancel()  # while leading: leadership ends at once
    assert ra.get(timeout=WAIT) is None
    assert not a.is_leader
    c = other.Election(unique_name, "c")
    assert c.run(lambda: c.fence) > 0
    assert handler.monotonic() - start < 5
    never.set()


def test_leader_losing_session_is_told(hz_client, hz_client_factory, unique_name):
    handler = hz_client.handler
    lost_events = []
    told = handler.event_object()
    a = hz_client.Election(unique_name, "a", on_lost=lambda e: (lost_events.append(e), told.set()))
    leading, finish = handler.event_object(), handler.event_object()
    ra = _spawn(hz_client, a.run, lambda: (leading.set(), finish.wait(WAIT)))
    assert leading.wait(WAIT)
    sessions = hz_client.cp.session_manager
    sessions.pause_heartbeats()
    other = hz_client_factory()
    b = other.Election(unique_name, "b")
    assert b.run(lambda: b.fence) > a.fence  # took over once the session expired
    sessions.resume_heartbeats()
    assert told.wait(WAIT) and a.lost.is_set() and not a.is_leader
    assert ra.get(timeout=WAIT) is None  # run returned: leadership ended
    finish.set()
