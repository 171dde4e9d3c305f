"""examples/transactions.py runs against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_transactions_example(hz_cluster, hz_handler_name):
    output = run_example("transactions.py", hz_cluster, hz_handler_name)
    assert "polled in the transaction: order-1" in output
    assert "seen outside before the commit: None" in output
    assert "after the commit: map value1; set ['value']; queue 0" in output
    assert "committed keys: ['1', '2']" in output
    assert "rolled back (changed my mind): key 3 is None" in output
    assert "visits: 3" in output
    assert "Transaction failed" not in output
