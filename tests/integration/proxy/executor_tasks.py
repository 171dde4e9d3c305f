"""Python twins of the Java tasks in tests/java/hzgreen/executor (same ids, same field order)."""

import os

from hzgreen.serialization.api import IdentifiedDataSerializable

JAVA_SOURCES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "java", "hzgreen", "executor")
FACTORY_ID = 66
JAVA_FACTORIES = {FACTORY_ID: "hzgreen.executor.ExecutorTaskFactory"}


class _Task(IdentifiedDataSerializable):
    class_id = 0

    def get_factory_id(self):
        return FACTORY_ID

    def get_class_id(self):
        return self.class_id


class MemberAddressTask(_Task):
    """Returns "host:port" of the member that runs it."""

    class_id = 1

    def write_data(self, out):
        pass

    def read_data(self, inp):
        pass


class MultiplyTask(_Task):
    """Returns left * right, computed by the member."""

    class_id = 2

    def __init__(self, left=0, right=0):
        self.left = left
        self.right = right

    def write_data(self, out):
        out.write_long(self.left)
        out.write_long(self.right)

    def read_data(self, inp):
        self.left = inp.read_long()
        self.right = inp.read_long()


class FailingTask(_Task):
    """Throws an IllegalStateException carrying ``message`` on the member."""

    class_id = 3

    def __init__(self, message=""):
        self.message = message

    def write_data(self, out):
        out.write_string(self.message)

    def read_data(self, inp):
        self.message = inp.read_string()


FACTORIES = {FACTORY_ID: {1: MemberAddressTask, 2: MultiplyTask, 3: FailingTask}}
