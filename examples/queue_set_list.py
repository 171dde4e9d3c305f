"""Queue, Set and List: the official client's "Using Queue/Set/List" snippets, plus item
listeners and list indexes.

    python -m hzgreen.testing run -- python examples/collections.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client

from hzgreen.exceptions import IndexOutOfBoundsError

WAIT = 30


def use_queue(client):
    queue = client.get_queue("my-distributed-queue").blocking()
    queue.clear()
    queue.offer("item")
    item = queue.poll()
    queue.offer("another-item", 0.5)  # waits up to 0.5 seconds for room
    another_item = queue.poll(5)  # waits up to 5 seconds for an item
    queue.put("yet-another-item")  # waits as long as it takes for room
    print("queue:", item, another_item, queue.take())


def use_set(client):
    my_set = client.get_set("my-distributed-set").blocking()
    my_set.clear()
    for item in ("item1", "item1", "item2", "item2", "item2", "item3"):
        my_set.add(item)
    print("set:", sorted(my_set.get_all()))  # no duplicates


def use_list(client):
    my_list = client.get_list("my-distributed-list").blocking()
    my_list.clear()
    my_list.add("item1")
    my_list.add("item2")
    print("Removed:", my_list.remove_at(0))
    print("Current size is", my_list.size())
    my_list.add_all_at(0, ["a", "b", "c"])
    my_list.set_at(1, "B")
    print("list:", my_list.get_all(), "sub_list(1, 3):", my_list.sub_list(1, 3))
    try:
        my_list.get(10)
    except IndexOutOfBoundsError:
        print("get(10): index out of bounds")
    my_list.clear()


def item_listener(client):
    jobs = client.get_queue("my-jobs-queue")
    jobs.clear()
    seen = []
    done = client.handler.event_object()

    def added(event):  # runs on the client's callback worker
        seen.append(event.item)
        if len(seen) == 2:
            done.set()

    registration = jobs.add_listener(include_value=True, item_added_func=added)
    jobs.add_all(["job-1", "job-2"])
    done.wait(WAIT)
    jobs.remove_listener(registration)
    print("listener saw:", seen)
    jobs.clear()


def main():
    with example_client() as client:
        use_queue(client)
        use_set(client)
        use_list(client)
        item_listener(client)


if __name__ == "__main__":
    main()
