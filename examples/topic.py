"""Topic and ReliableTopic: the official client's "Using Topic" snippet, then a reliable topic
whose listener reads messages published before it subscribed.

    python -m hzgreen.testing run -- python examples/topic.py

(or against a running member named by the environment: see example_client.py).
"""

from example_client import example_client

from hzgreen.proxy.reliable_topic import ReliableMessageListener

WAIT = 30


def official_snippet(client):
    received = client.handler.event_object()

    # Function to be called when a message is published
    def print_on_message(topic_message):
        print("Got message:", topic_message.message)
        received.set()

    # Get a Topic called "my-distributed-topic"
    topic = client.get_topic("my-distributed-topic")

    # Add a Listener to the Topic
    registration_id = topic.add_listener(print_on_message)

    # Publish a message to the Topic
    topic.publish("Hello to distributed world")  # Outputs 'Got message: Hello to distributed world'
    received.wait(WAIT)  # listeners run on the client's callback worker
    topic.remove_listener(registration_id)


class FromTheStart(ReliableMessageListener):
    """Reads every stored message (from sequence 0) and remembers where it got to."""

    def __init__(self, client, expected):
        self.done = client.handler.event_object()
        self.expected = expected
        self.seen = []
        self.last_sequence = None

    def retrieve_initial_sequence(self):
        return 0

    def store_sequence(self, sequence):
        self.last_sequence = sequence

    def on_message(self, message):
        self.seen.append(message.message)
        if len(self.seen) == self.expected:
            self.done.set()


def reliable(client):
    orders = client.get_reliable_topic("orders")
    orders.destroy()  # start empty when the example runs again
    orders.publish_all(["order-1", "order-2"])  # published before anyone listens
    listener = FromTheStart(client, expected=3)
    registration_id = orders.add_listener(listener)
    orders.publish("order-3")
    listener.done.wait(WAIT)
    print("reliable listener got:", listener.seen, "last sequence:", listener.last_sequence)
    orders.remove_listener(registration_id)


def main():
    with example_client() as client:
        official_snippet(client)
        reliable(client)


if __name__ == "__main__":
    main()
