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
    assert router.averages("g")[0][0] is leader
    # After the warm-up only one call in EXPLORE_EVERY takes the round robin.
    assert counts[a] + counts[b] <= 1600 // EXPLORE_EVERY + WARMUP
    assert counts[leader] >= 1600 * 0.9


def test_a_new_leader_takes_over_once_its_samples_are_quicker():
    old, new, third = FakeLink("old"), FakeLink("new"), FakeLink("third")
    router = LeaderRouter()
    drive(router, "g", [old, new, third], {old: 0.0004, new: 0.0007, third: 0.0007}, 400)
    assert router.averages("g")[0][0] is old
    # The leader moves: the old one now forwards, the new one answers directly.
    counts = drive(router, "g", [old, new, third], {old: 0.0008, new: 0.0004, third: 0.0008}, 800)
    assert router.averages("g")[0][0] is new
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
    assert [link for link, _ in router.averages("g")] == [slow]
    assert router.pick("g") in (slow, None)


def test_groups_are_learnt_apart_and_forgotten():
    a, b = FakeLink("a"), FakeLink("b")
    router = LeaderRouter()
    drive(router, "one", [a, b], {a: 0.0001, b: 0.001}, 100)
    drive(router, "two", [a, b], {a: 0.001, b: 0.0001}, 100)
    assert router.averages("one")[0][0] is a and router.averages("two")[0][0] is b
    router.forget("one")
    assert router.averages("one") == [] and router.pick("one") is None
    router.observe("x", None, 1.0)  # a call that was never sent (no link): nothing to learn
    assert router.averages("x") == []


def test_the_average_moves_by_its_weight():
    link = FakeLink("l")
    router = LeaderRouter()
    router.observe("g", link, 1.0)
    router.observe("g", link, 2.0)
    assert router.averages("g") == [(link, 1.0 + routing.WEIGHT)]
