"""LeaderRouter: which member a CP group's calls go to, learnt from answer times (no member)."""

from hzgreen.cp import routing
from hzgreen.cp.routing import EXPLORE_EVERY, WARMUP, LeaderRouter


class FakeLink:
    def __init__(self, name):
        self.name = name
        self.alive = True

    def __repr__(self):
        return self.name


def drive(router, group, links, answer_time, calls):
    """``calls`` calls: each goes where the router says, or round robin over ``links`` (the
    normal route); its answer time is ``answer_time[link]``. Returns how many went to each."""
    counts = {link: 0 for link in links}
    turn = 0
    for _ in range(calls):
        link = router.pick(group)
        if link is None:
            link = links[turn % len(links)]
            turn += 1
        counts[link] += 1
        router.observe(group, link, answer_time[link])
    return counts


def test_warm_up_then_the_quickest_member_gets_nearly_every_call():
    leader, a, b = FakeLink("leader"), FakeLink("a"), FakeLink("b")
    times = {leader: 0.0004, a: 0.0007, b: 0.0007}  # the others forward: one hop more
    router = LeaderRouter()
    assert [router.pick("g") for _ in range(WARMUP)] == [None] * WARMUP  # nothing learnt yet
    counts = drive(router, "g", [leader, a, b], times, 1600)
    assert router.answer_times("g")[0][0] is leader
    # After the warm-up only one call in EXPLORE_EVERY takes the round robin.
    assert counts[a] + counts[b] <= 1600 // EXPLORE_EVERY + WARMUP
    assert counts[leader] >= 1600 * 0.9


def test_a_new_leader_takes_over_once_its_samples_are_quicker():
    old, new, third = FakeLink("old"), FakeLink("new"), FakeLink("third")
    router = LeaderRouter()
    drive(router, "g", [old, new, third], {old: 0.0004, new: 0.0007, third: 0.0007}, 400)
    assert router.answer_times("g")[0][0] is old
    # The leader moves: the old one now forwards, the new one answers directly.
    counts = drive(router, "g", [old, new, third], {old: 0.0008, new: 0.0004, third: 0.0008}, 800)
    assert router.answer_times("g")[0][0] is new
    tail = drive(router, "g", [old, new, third], {old: 0.0008, new: 0.0004, third: 0.0008}, 320)
    assert tail[new] >= 320 * 0.9, (counts, tail)


def test_a_dead_favourite_is_never_picked_and_is_forgotten():
    fast, slow = FakeLink("fast"), FakeLink("slow")
    router = LeaderRouter()
    drive(router, "g", [fast, slow], {fast: 0.0001, slow: 0.001}, 100)
    fast.alive = False
    picks = {router.pick("g") for _ in range(50)}
    assert fast not in picks  # the normal route (None) until a live one is known
    router.observe("g", slow, 0.001)
    assert [link for link, _ in router.answer_times("g")] == [slow]
    assert router.pick("g") in (slow, None)


def test_groups_are_learnt_apart_and_forgotten():
    a, b = FakeLink("a"), FakeLink("b")
    router = LeaderRouter()
    drive(router, "one", [a, b], {a: 0.0001, b: 0.001}, 100)
    drive(router, "two", [a, b], {a: 0.001, b: 0.0001}, 100)
    assert router.answer_times("one")[0][0] is a and router.answer_times("two")[0][0] is b
    router.forget("one")
    assert router.answer_times("one") == [] and router.pick("one") is None
    router.observe("x", None, 1.0)  # a call that was never sent (no link): nothing to learn
    assert router.answer_times("x") == []


def test_a_connection_ranks_by_the_quickest_of_its_last_answers():
    link = FakeLink("l")
    router = LeaderRouter()
    for seconds in (3.0, 1.0, 2.0):
        router.observe("g", link, seconds)
    assert router.answer_times("g") == [(link, 1.0)]
    for _ in range(routing.WINDOW - 1):
        router.observe("g", link, 5.0)
    assert router.answer_times("g") == [(link, 2.0)]  # 3.0 and 1.0 left the window
    router.observe("g", link, 5.0)
    assert router.answer_times("g") == [(link, 5.0)]


def test_one_slow_answer_of_the_leader_does_not_send_its_calls_elsewhere():
    leader, a, b = FakeLink("leader"), FakeLink("a"), FakeLink("b")
    router = LeaderRouter()
    times = {leader: 0.0004, a: 0.0007, b: 0.0007}
    drive(router, "g", [leader, a, b], times, 400)
    assert router.pick("g") in (leader, None)
    router.observe("g", leader, 0.05)  # a 50 ms pause: with an average, a follower would win
    counts = drive(router, "g", [leader, a, b], times, 320)
    assert counts[leader] >= 320 * 0.9, counts
