"""Transactions: a map, a queue and a set changed together, committed or rolled back as one.

    python -m hzgreen.testing run -- python examples/transactions.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client

from hzgreen.exceptions import TransactionError
from hzgreen.transaction import ONE_PHASE, TWO_PHASE


def main():
    with example_client() as client:
        orders = client.get_queue("transactional-queue")
        orders.clear()
        orders.offer("order-1")
        client.get_map("transactional-map").clear()
        client.get_set("transactional-set").clear()

        # The official client's "Using Transactions" snippet: begin, work, commit or roll back.
        transaction = client.new_transaction(timeout=10)
        transaction.begin()
        txn_map = transaction.get_map("transactional-map")
        txn_queue = transaction.get_queue("transactional-queue")
        txn_set = transaction.get_set("transactional-set")
        try:
            obj = txn_queue.poll()
            print("polled in the transaction:", obj)
            txn_map.put("1", "value1")
            txn_set.add("value")
            print("seen outside before the commit:", client.get_map("transactional-map").get("1"))
            transaction.commit()
        except TransactionError as ex:
            transaction.rollback()
            print("Transaction failed! {}".format(ex.args))
        print("after the commit: map", client.get_map("transactional-map").get("1"), end="; ")
        print("set", client.get_set("transactional-set").get_all(), end="; ")
        print("queue", client.get_queue("transactional-queue").size())

        # As a context manager: commit on a clean exit...
        with client.new_transaction(timeout=10, durability=1, type=TWO_PHASE) as transaction:
            transaction.get_map("transactional-map").put("2", "value2")
            transaction.get_list("transactional-list").add("entry")
            transaction.get_multi_map("transactional-multimap").put("colors", "red")
        print("committed keys:", sorted(client.get_map("transactional-map").key_set()))

        # ... and a rollback when the block raises: nothing of it is left behind.
        try:
            with client.new_transaction(timeout=10, type=ONE_PHASE) as transaction:
                transaction.get_map("transactional-map").put("3", "value3")
                raise RuntimeError("changed my mind")
        except RuntimeError as error:
            print("rolled back (%s): key 3 is %s" % (error, client.get_map("transactional-map").get("3")))

        # get_for_update locks a key until the transaction ends: a safe read-modify-write.
        counters = client.get_map("transactional-map")
        counters.put("visits", 0)
        for _ in range(3):
            with client.new_transaction() as transaction:
                txn_counters = transaction.get_map("transactional-map")
                txn_counters.put("visits", txn_counters.get_for_update("visits") + 1)
        print("visits:", counters.get("visits"))

        client.get_list("transactional-list").clear()
        client.get_multi_map("transactional-multimap").clear()


if __name__ == "__main__":
    main()
