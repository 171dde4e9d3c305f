"""Predicates, aggregators and projections: argument checks, equality, paging navigation."""

import pytest

from hzgreen import aggregator as agg
from hzgreen import predicate as p
from hzgreen import projection as proj
from hzgreen.serialization import SerializationService, typed

H = bytes.fromhex


def test_predicate_wire_format_with_a_typed_value():
    data = SerializationService().to_data(p.equal("age", typed(30, "short")))
    # IDS header, factory -20, class 3 (equal), "age", short 30
    assert data == H("00000000fffffffe01ffffffec0000000300000003616765fffffffa001e")


def test_between_writes_to_before_from():
    data = SerializationService().to_data(p.between("a", 1, 9))
    assert data.endswith(H("fffffff900000009fffffff900000001"))


def test_equality_and_repr():
    assert p.and_(p.equal("a", 1), p.true()) == p.and_(p.equal("a", 1), p.true())
    assert p.equal("a", 1) != p.not_equal("a", 1)
    assert "a" in repr(p.like("a", "x%"))
    assert agg.int_avg("age") == agg.int_avg("age") and agg.int_avg("age") != agg.long_avg("age")
    assert repr(agg.count()) == "count()" and repr(proj.single_attribute("x")) == "single_attribute('x')"


@pytest.mark.parametrize(
    "make",
    [
        lambda: p.sql(""),
        lambda: p.equal("", 1),
        lambda: p.equal(None, 1),
        lambda: p.instance_of(""),
        lambda: p.paging(p.true(), 0),
        lambda: p.paging(p.true(), True),
        lambda: proj.single_attribute("people[any].name"),
        lambda: proj.multi_attribute(),
        lambda: agg.max_by(None),
        lambda: agg.count(""),
    ],
)
def test_bad_arguments_raise_value_error(make):
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize(
    "make",
    [
        lambda: p.and_(p.true(), "x"),
        lambda: p.not_(p.paging(None, 2)),
        lambda: p.paging(p.paging(None, 2), 2),
        lambda: p.like("a", 3),
        lambda: p.paging("x", 2),
    ],
)
def test_bad_types_raise_type_error(make):
    with pytest.raises(TypeError):
        make()


def test_paging_navigation():
    paging = p.paging(p.greater("a", 1), 10)
    assert paging.page == 0
    assert paging.previous_page() == 0
    assert paging.next_page() == 1 and paging.next_page() == 2
    assert paging.previous_page() == 1
    paging.page = 5
    assert paging.page == 5
    with pytest.raises(ValueError):
        paging.page = -1
    paging.anchor_list.append((0, ("k", "v")))
    paging.reset()
    assert paging.page == 0 and paging.anchor_list == []
