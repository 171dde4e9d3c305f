"""Executor: runs tasks on the members (``IExecutorService`` on the member).

Method names are the official Hazelcast Python client's; every method has an ``_async``
twin returning an :class:`~hzgreen.interfaces.IAsyncResult`.

A task is a user object the members can deserialize and run: typically an
:class:`~hzgreen.serialization.api.IdentifiedDataSerializable` (or Portable, or Compact)
whose Java twin, on the members' classpath with its factory registered, implements
``java.util.concurrent.Callable``. The result is what ``call()`` returns, deserialized; an
exception thrown by the task fails the result with the member's error.

Members are :class:`~hzgreen.protocol.custom.MemberInfo` objects, as
``client.cluster.members`` lists them.
"""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple

from hzgreen.exceptions import NoDataMemberInClusterError
from hzgreen.protocol.codecs import executor_service as codec
from hzgreen.protocol.custom import MemberInfo
from hzgreen.proxy.base import Proxy, _PartsCollector
from hzgreen.runtime.invocation import Invocation
from hzgreen.runtime.member_connections import wait_for_member_connections

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage


def _check_member(member: object, what: str = "member") -> MemberInfo:
    """``member`` itself; raises ValueError for None, TypeError for anything but a MemberInfo."""
    if member is None:
        raise ValueError("%s must not be None" % what)
    if not isinstance(member, MemberInfo):
        raise TypeError("%s must be a MemberInfo (see client.cluster.members), got %r" % (what, member))
    return member


def _nothing(parts: List[None]) -> None:
    return None


def _in_order(parts: List[Tuple[int, Any]]) -> List[Any]:
    return [value for _, value in sorted(parts, key=lambda part: part[0])]


class Executor(Proxy):
    """A distributed executor service; see the module docstring for what a task is."""

    service_name = "hz:impl:executorService"

    def _task_data(self, task: Any) -> bytes:
        """``task`` serialized; raises ValueError for None."""
        return self._value_data(task, "task")

    def _result_of(self, decode: Callable[[ClientMessage], Optional[bytes]]) -> Callable[[ClientMessage], Any]:
        to_object = self._to_object
        return lambda message: to_object(decode(message))

    def _indexed_result(self, index: int) -> Callable[[ClientMessage], Tuple[int, Any]]:
        """A response handler giving ``(index, the task's result)``."""
        to_object = self._to_object
        decode = codec.decode_submit_to_member_response
        return lambda message: (index, to_object(decode(message)))

    def _submit_to_member(
        self, member: MemberInfo, task_data: bytes, response_handler: Callable[[ClientMessage], Any], future: Any
    ) -> None:
        """Send ``task_data`` to run on ``member``: on its connection when there is one, else
        through any member (which forwards it). Returns None; ``future`` completes."""
        request = codec.encode_submit_to_member_request(self.name, uuid.uuid4(), task_data, member.uuid)
        connection = None
        for candidate in self._context.connections.active_connections:
            if candidate.member_uuid == member.uuid and candidate.alive:
                connection = candidate
                break
        self._invocations.invoke(Invocation(request, future, -1, connection, response_handler, None, False, self.name))

    # -- running tasks ------------------------------------------------------------------

    def execute_on_key_owner_async(self, key: Any, task: Any) -> AsyncResult[Any]:
        """Run ``task`` on the member owning ``key``'s partition; the result is the task's.

        Raises ValueError for a None ``key`` or ``task``."""
        key_data = self._key_data(key)
        task_data = self._task_data(task)
        return self._invoke_on_key(
            codec.encode_submit_to_partition_request(self.name, uuid.uuid4(), task_data),
            key_data,
            self._result_of(codec.decode_submit_to_partition_response),
        )

    def execute_on_key_owner(self, key: Any, task: Any) -> Any:
        """Runs ``task`` on the member owning ``key``'s partition and waits; returns the task's result.
        Raises ValueError for a None ``key`` or ``task``, HzTimeoutError past ``invocation_timeout``, or
        the task's or member's error."""
        return self.execute_on_key_owner_async(key, task).get()

    def execute_on_member_async(self, member: MemberInfo, task: Any) -> AsyncResult[Any]:
        """Run ``task`` on ``member``; the result is the task's.

        Raises ValueError for None, TypeError for a ``member`` that is not a MemberInfo."""
        target = _check_member(member)
        task_data = self._task_data(task)
        future: AsyncResult[Any] = self._handler.async_result()
        self._submit_to_member(target, task_data, self._result_of(codec.decode_submit_to_member_response), future)
        return future

    def execute_on_member(self, member: MemberInfo, task: Any) -> Any:
        """Runs ``task`` on ``member`` and waits; returns the task's result. Raises ValueError for None,
        TypeError for a ``member`` that is not a MemberInfo, HzTimeoutError past ``invocation_timeout``,
        or the task's or member's error."""
        return self.execute_on_member_async(member, task).get()

    def execute_on_members_async(self, members: Sequence[MemberInfo], task: Any) -> AsyncResult[List[Any]]:
        """Run ``task`` on each of ``members``; the result lists the tasks' results in the order of ``members``.

        Fails with the first error a member reports. Raises ValueError for None (or a None
        member), TypeError for a ``members`` that is not a sequence of MemberInfo."""
        if members is None:
            raise ValueError("members must not be None")
        if isinstance(members, (str, bytes, MemberInfo)) or not isinstance(members, Sequence):
            raise TypeError("members must be a list of MemberInfo, got %r" % (members,))
        targets = [_check_member(member, "an entry of members") for member in members]
        task_data = self._task_data(task)
        collector: _PartsCollector[Tuple[int, Any], List[Any]] = _PartsCollector(self._handler, len(targets), _in_order)
        for index, target in enumerate(targets):
            self._submit_to_member(target, task_data, self._indexed_result(index), collector.part())
        return collector.result

    def execute_on_members(self, members: Sequence[MemberInfo], task: Any) -> List[Any]:
        """Runs ``task`` on each of ``members`` and waits; returns their results in the order of
        ``members``. Raises ValueError/TypeError for bad arguments, HzTimeoutError past
        ``invocation_timeout``, or the first error a member reports."""
        return self.execute_on_members_async(members, task).get()

    def execute_on_all_members_async(self, task: Any) -> AsyncResult[List[Any]]:
        """Run ``task`` on every member of the member list; the result lists their results
        (in member-list order). Raises ValueError for a None ``task``."""
        return self.execute_on_members_async(self._context.cluster.members, task)

    def execute_on_all_members(self, task: Any) -> List[Any]:
        """Runs ``task`` on every member and waits; returns their results in member-list order. Raises
        ValueError for a None ``task``, HzTimeoutError past ``invocation_timeout``, or the first error a
        member reports."""
        return self.execute_on_all_members_async(task).get()

    def execute_on_members_matching_async(
        self, member_selector: Callable[[MemberInfo], bool], task: Any
    ) -> AsyncResult[List[Any]]:
        """Run ``task`` on every member of the member list for which ``member_selector(member)``
        is true (Java's ``MemberSelector``); the result lists their results in member-list
        order, empty when no member matches.

        Raises TypeError for a ``member_selector`` that is not callable, ValueError for a
        None ``task``, and what the selector raises."""
        if not callable(member_selector):
            raise TypeError("member_selector must be callable, got %r" % (member_selector,))
        chosen = [member for member in self._context.cluster.members if member_selector(member)]
        return self.execute_on_members_async(chosen, task)

    def execute_on_members_matching(self, member_selector: Callable[[MemberInfo], bool], task: Any) -> List[Any]:
        """:meth:`execute_on_members_matching_async`, waiting for the results; returns them."""
        return self.execute_on_members_matching_async(member_selector, task).get()

    def execute_async(self, task: Any) -> AsyncResult[Any]:
        """Run ``task`` on one data member chosen at random; the result is the task's.

        Raises ValueError for a None ``task``; fails with NoDataMemberInClusterError when
        the client knows no data member."""
        task_data = self._task_data(task)
        members = [member for member in self._context.cluster.members if not member.lite_member]
        if not members:
            failed: AsyncResult[Any] = self._handler.async_result()
            failed.set_exception(NoDataMemberInClusterError("executor %r: no data member to run the task" % self.name))
            return failed
        future: AsyncResult[Any] = self._handler.async_result()
        self._submit_to_member(
            random.choice(members), task_data, self._result_of(codec.decode_submit_to_member_response), future
        )
        return future

    def execute(self, task: Any) -> Any:
        """Runs ``task`` on one data member chosen at random and waits; returns the task's result. Raises
        ValueError for a None ``task``, NoDataMemberInClusterError when the client knows no data member,
        HzTimeoutError past ``invocation_timeout``, or the task's error."""
        return self.execute_async(task).get()

    # -- lifecycle ----------------------------------------------------------------------

    def shutdown_async(self) -> AsyncResult[None]:
        """Shut the executor down on every member the client knows (``is_shutdown`` then
        answers True); tasks already submitted run.

        A member shuts down only its own part of the executor when a client asks, so the
        request goes to each member over its own connection, waiting up to
        ``connection_timeout`` for connections smart routing is still opening. A member
        without one by then (always, with ``smart_routing=False``) is asked through the
        connection there is, which reaches one member only."""
        result: AsyncResult[None] = self._handler.async_result()
        self._handler.spawn(self._shut_down_on_members, result)
        return result

    def _shut_down_on_members(self, result: AsyncResult[None]) -> None:
        """Send the shutdown to each member (see :meth:`shutdown_async`); completes ``result``."""
        try:
            members = self._context.cluster.members
            by_member = wait_for_member_connections(
                self._context.connections,
                self._handler,
                [member.uuid for member in members],
                self._context.config.connection_timeout,
            )
            collector: _PartsCollector[None, None] = _PartsCollector(self._handler, len(members), _nothing)
            for member in members:
                self._invocations.invoke(
                    Invocation(
                        codec.encode_shutdown_request(self.name),
                        collector.part(),
                        -1,
                        by_member.get(member.uuid),
                        codec.decode_shutdown_response,
                        None,
                        False,
                        self.name,
                    )
                )
            collector.result.get()
        except Exception as error:
            result.set_exception(error)
        else:
            result.set(None)

    def shutdown(self) -> None:
        """Shuts the executor down on every member the client knows (tasks already submitted still run);
        returns None. Raises HzTimeoutError past ``invocation_timeout`` or a member's error."""
        self.shutdown_async().get()

    def is_shutdown_async(self) -> AsyncResult[bool]:
        """Whether the executor was shut down on the member asked (any member)."""
        return self._invoke(codec.encode_is_shutdown_request(self.name), codec.decode_is_shutdown_response)

    def is_shutdown(self) -> bool:
        """Returns whether the executor was shut down on the member asked. Raises HzTimeoutError past
        ``invocation_timeout`` or the member's error."""
        return self.is_shutdown_async().get()
