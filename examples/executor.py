"""Executor service: run Java tasks on the members, on a key's owner, on chosen members or on all.

The tasks are IdentifiedDataSerializable objects whose Java twins (tests/java/hzgreen/executor)
must be on the members' classpath with their factory registered:

    python -m hzgreen.testing run --members 2 --java-sources tests/java/hzgreen/executor \\
        --data-serializable-factory 66=hzgreen.executor.ExecutorTaskFactory -- python examples/executor.py

(or against running members set up that way: address in HZGREEN_MEMBERS, cluster name in
HZGREEN_CLUSTER_NAME; defaults 127.0.0.1:5701 and "dev"; HZGREEN_HANDLER=gevent runs the
client under gevent).
"""

from example_client import example_client

from hzgreen.exceptions import HazelcastServerError
from hzgreen.serialization.api import IdentifiedDataSerializable

FACTORY_ID = 66


class MemberAddressTask(IdentifiedDataSerializable):
    """hzgreen.executor.MemberAddressTask: returns "host:port" of the member running it."""

    def get_factory_id(self):
        return FACTORY_ID

    def get_class_id(self):
        return 1

    def write_data(self, out):
        pass

    def read_data(self, inp):
        pass


class MultiplyTask(IdentifiedDataSerializable):
    """hzgreen.executor.MultiplyTask: returns left * right."""

    def __init__(self, left=0, right=0):
        self.left, self.right = left, right

    def get_factory_id(self):
        return FACTORY_ID

    def get_class_id(self):
        return 2

    def write_data(self, out):
        out.write_long(self.left)
        out.write_long(self.right)

    def read_data(self, inp):
        self.left, self.right = inp.read_long(), inp.read_long()


class FailingTask(IdentifiedDataSerializable):
    """hzgreen.executor.FailingTask: throws IllegalStateException(message)."""

    def __init__(self, message=""):
        self.message = message

    def get_factory_id(self):
        return FACTORY_ID

    def get_class_id(self):
        return 3

    def write_data(self, out):
        out.write_string(self.message)

    def read_data(self, inp):
        self.message = inp.read_string()


def main():
    factories = {FACTORY_ID: {1: MemberAddressTask, 2: MultiplyTask, 3: FailingTask}}
    with example_client(data_serializable_factories=factories) as client:
        executor = client.get_executor("my-executor")

        # On the member owning a key's partition (next to the key's data).
        print("key owner of 'customer-1':", executor.execute_on_key_owner("customer-1", MemberAddressTask()))

        # On one chosen member, on some, on all.
        members = client.cluster.members
        print("on the first member:", executor.execute_on_member(members[0], MemberAddressTask()))
        print("on the given members:", executor.execute_on_members(members[:1], MultiplyTask(6, 7)))
        print("on all members:", sorted(executor.execute_on_all_members(MemberAddressTask())))

        # On any member, and asynchronously.
        print("anywhere:", executor.execute(MultiplyTask(12, 12)))
        pending = executor.execute_on_key_owner_async("k", MultiplyTask(2, 21))
        print("async result:", pending.result(30))

        # A task that throws fails the call with the member's error.
        try:
            executor.execute_on_key_owner("k", FailingTask("no such account"))
        except HazelcastServerError as error:
            print("task failed:", "no such account" in str(error))

        executor.shutdown()
        print("shut down:", executor.is_shutdown())


if __name__ == "__main__":
    main()
