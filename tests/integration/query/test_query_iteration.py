"""Paged iteration over a whole map (Map.iterate)."""

import pytest


def test_every_entry_exactly_once(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    expected = {"k%04d" % i: i for i in range(1500)}
    m.put_all(expected)
    seen = []
    with m.iterate(page_size=50) as cursor:
        for key, value in cursor:
            seen.append((key, value))
        assert cursor.closed
    assert len(seen) == len(expected) and dict(seen) == expected
    assert cursor.pages_fetched >= 1500 // 50


def test_keys_only_and_small_pages(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({i: str(i) for i in range(40)})
    cursor = m.iterate(page_size=1, keys_only=True)
    assert sorted(cursor) == list(range(40))


def test_closing_early_stops_fetching(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({i: i for i in range(200)})
    with m.iterate(page_size=10) as cursor:
        first = [next(cursor) for _ in range(5)]
        fetched = cursor.pages_fetched
    assert len(first) == 5 and cursor.closed
    with pytest.raises(StopIteration):
        next(cursor)
    assert cursor.pages_fetched == fetched


def test_empty_map_and_bad_page_size(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    assert list(m.iterate()) == []
    with pytest.raises(ValueError):
        m.iterate(page_size=0)
