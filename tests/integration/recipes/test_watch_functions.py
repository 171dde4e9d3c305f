"""Watch functions: one that raises is logged with its traceback; Kazoo's (data, stat) adapter."""

import logging

import tests.integration.recipes.test_watchers as watch_tests


def test_a_watch_function_that_raises_is_logged_and_the_watch_goes_on(hz_client, unique_name, caplog):
    calls = watch_tests.Calls(hz_client.handler)

    def flaky(value, event):
        calls(value, event)
        if value == "boom":
            raise ValueError("watch function bug")

    m = hz_client.get_map(unique_name)
    with caplog.at_level(logging.ERROR, logger="hzgreen.recipes.watchers"):
        assert hz_client.EntryWatch(unique_name, "k")(flaky) is flaky
        m.put("k", "boom")
        calls.wait_last("boom")
        m.put("k", "after")
        calls.wait_last("after", "the watch stopped after the function raised")
    records = [r for r in caplog.records if r.exc_info and r.exc_info[0] is ValueError]
    assert len(records) == 1 and "flaky" in records[0].getMessage()
    assert "watch function bug" in caplog.text and "Traceback" in caplog.text


def test_kazoo_data_stat_functions_through_the_documented_adapter(hz_client, unique_name):
    seen = watch_tests.Calls(hz_client.handler)

    def kazoo_func(data, stat):  # a DataWatch function written for Kazoo
        seen(data, stat)

    hz_client.EntryWatch(unique_name, "k")(lambda value, event: kazoo_func(value, None))
    hz_client.get_map(unique_name).put("k", "v")
    assert seen.wait_last("v") == [None, "v"]
    assert all(item[1] is None for item in seen.items)
