"""Map queries and member-side computation (mixed into Map).

* ``key_set`` / ``values`` / ``entry_set`` with a :mod:`hzgreen.query.predicate` (Map's own
  methods delegate here when given one), including paging predicates;
* ``aggregate`` with an :mod:`hzgreen.query.aggregator`, ``project`` with a
  :mod:`hzgreen.query.projection`, optionally filtered by a predicate;
* entry processors: ``execute_on_key``, ``submit_to_key``, ``execute_on_keys``,
  ``execute_on_entries`` (optionally with a predicate). An entry processor is any
  object the member can deserialize into a Java ``EntryProcessor`` — typically an
  IdentifiedDataSerializable whose Java class is on the member's classpath.

Everything runs on the members; only the results travel. Each method has an
``_async`` twin returning an :class:`~hzgreen.interfaces.IAsyncResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, Tuple, TypeVar

from hzgreen.protocol.codecs import map as codec
from hzgreen.protocol.custom import AnchorDataListHolder, PagingPredicateHolder
from hzgreen.proxy.base import Hint, Proxy
from hzgreen.query.aggregator import Aggregator
from hzgreen.query.predicate import IterationType, PagingPredicate, Predicate
from hzgreen.query.projection import Projection
from hzgreen.serialization.hints import typed

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage

T = TypeVar("T")

_ITERATION_TYPE_IDS = {IterationType.KEY: 0, IterationType.VALUE: 1, IterationType.ENTRY: 2}


def _check_predicate(predicate: object, allow_paging: bool = True) -> None:
    """Returns None; raises TypeError for anything but a predicate (or a paging one where not allowed)."""
    if not isinstance(predicate, Predicate):
        raise TypeError("predicate must be a hzgreen.query.predicate predicate, got %r" % (predicate,))
    if not allow_paging and isinstance(predicate, PagingPredicate):
        raise TypeError("a paging predicate only works with key_set, values and entry_set")


class MapQueryMixin(Proxy):
    """Predicate-based reads, aggregations, projections and entry processors on a Map."""

    _thread_id: Callable[[], int]

    # -- predicates ------------------------------------------------------------------

    def _predicate_data(self, predicate: Predicate) -> bytes:
        """``predicate`` serialized; raises TypeError for a paging predicate or a non-predicate."""
        _check_predicate(predicate, allow_paging=False)
        return self._to_data(predicate)

    def _paging_holder(self, predicate: PagingPredicate, iteration_type: str) -> PagingPredicateHolder:
        """The wire form of ``predicate`` asking for ``iteration_type`` results."""
        to_data = self._to_data
        to_nullable_data = self._serialization.to_data
        predicate.iteration_type = iteration_type
        pages = [page for page, _ in predicate.anchor_list]
        anchors = [(to_data(key), to_data(value)) for _, (key, value) in predicate.anchor_list]
        return PagingPredicateHolder(
            AnchorDataListHolder(pages, anchors),
            to_nullable_data(predicate.predicate),
            to_nullable_data(predicate.comparator),
            predicate.page_size,
            predicate.page,
            _ITERATION_TYPE_IDS[iteration_type],
            None,
            None,
        )

    def _remember_anchors(self, predicate: PagingPredicate, holder: AnchorDataListHolder) -> None:
        """Store the anchors the member sent with a page in ``predicate``; returns None."""
        to_object = self._to_object
        predicate.anchor_list = [
            (page, (to_object(k), to_object(v)))
            for page, (k, v) in zip(holder.anchor_page_list, holder.anchor_data_list)
        ]

    def _key_set_with_predicate_async(self, predicate: Predicate) -> AsyncResult[List[Any]]:
        _check_predicate(predicate)
        to_object = self._to_object
        name = self.name
        if isinstance(predicate, PagingPredicate):
            request = codec.encode_key_set_with_paging_predicate_request(
                name, self._paging_holder(predicate, IterationType.KEY)
            )

            def page_of_keys(message: ClientMessage) -> List[Any]:
                response = codec.decode_key_set_with_paging_predicate_response(message)
                self._remember_anchors(predicate, response["anchor_data_list"])
                return [to_object(d) for d in response["response"]]

            return self._invoke(request, page_of_keys)
        request = codec.encode_key_set_with_predicate_request(name, self._predicate_data(predicate))
        return self._invoke(request, lambda m: [to_object(d) for d in codec.decode_key_set_with_predicate_response(m)])

    def _values_with_predicate_async(self, predicate: Predicate) -> AsyncResult[List[Any]]:
        _check_predicate(predicate)
        to_object = self._to_object
        name = self.name
        if isinstance(predicate, PagingPredicate):
            request = codec.encode_values_with_paging_predicate_request(
                name, self._paging_holder(predicate, IterationType.VALUE)
            )

            def page_of_values(message: ClientMessage) -> List[Any]:
                response = codec.decode_values_with_paging_predicate_response(message)
                self._remember_anchors(predicate, response["anchor_data_list"])
                return [to_object(d) for d in response["response"]]

            return self._invoke(request, page_of_values)
        request = codec.encode_values_with_predicate_request(name, self._predicate_data(predicate))
        return self._invoke(request, lambda m: [to_object(d) for d in codec.decode_values_with_predicate_response(m)])

    def _entry_set_with_predicate_async(self, predicate: Predicate) -> AsyncResult[List[Tuple[Any, Any]]]:
        _check_predicate(predicate)
        to_object = self._to_object
        name = self.name
        if isinstance(predicate, PagingPredicate):
            request = codec.encode_entries_with_paging_predicate_request(
                name, self._paging_holder(predicate, IterationType.ENTRY)
            )

            def page_of_entries(message: ClientMessage) -> List[Tuple[Any, Any]]:
                response = codec.decode_entries_with_paging_predicate_response(message)
                self._remember_anchors(predicate, response["anchor_data_list"])
                return [(to_object(k), to_object(v)) for k, v in response["response"]]

            return self._invoke(request, page_of_entries)
        request = codec.encode_entries_with_predicate_request(name, self._predicate_data(predicate))
        return self._invoke(
            request,
            lambda m: [(to_object(k), to_object(v)) for k, v in codec.decode_entries_with_predicate_response(m)],
        )

    # -- aggregations and projections ------------------------------------------------------

    def aggregate_async(self, aggregator: Aggregator[T], predicate: Optional[Predicate] = None) -> AsyncResult[T]:
        """Run ``aggregator`` over every entry (or those matching ``predicate``) on the members."""
        if not isinstance(aggregator, Aggregator):
            raise TypeError("aggregator must be a hzgreen.query.aggregator aggregator, got %r" % (aggregator,))
        to_object = self._to_object
        aggregator_data = self._to_data(aggregator)
        if predicate is None:
            request = codec.encode_aggregate_request(self.name, aggregator_data)
            return self._invoke(request, lambda m: to_object(codec.decode_aggregate_response(m)))
        request = codec.encode_aggregate_with_predicate_request(
            self.name, aggregator_data, self._predicate_data(predicate)
        )
        return self._invoke(request, lambda m: to_object(codec.decode_aggregate_with_predicate_response(m)))

    def aggregate(self, aggregator: Aggregator[T], predicate: Optional[Predicate] = None) -> T:
        """The aggregated value, e.g. ``m.aggregate(agg.int_avg("age"), p.greater("age", 18))``."""
        return self.aggregate_async(aggregator, predicate).get()

    def project_async(self, projection: Projection[T], predicate: Optional[Predicate] = None) -> AsyncResult[List[T]]:
        """Apply ``projection`` to every entry (or those matching ``predicate``) on the members."""
        if not isinstance(projection, Projection):
            raise TypeError("projection must be a hzgreen.query.projection projection, got %r" % (projection,))
        to_object = self._to_object
        projection_data = self._to_data(projection)
        if predicate is None:
            request = codec.encode_project_request(self.name, projection_data)
            return self._invoke(request, lambda m: [to_object(d) for d in codec.decode_project_response(m)])
        request = codec.encode_project_with_predicate_request(
            self.name, projection_data, self._predicate_data(predicate)
        )
        return self._invoke(request, lambda m: [to_object(d) for d in codec.decode_project_with_predicate_response(m)])

    def project(self, projection: Projection[T], predicate: Optional[Predicate] = None) -> List[T]:
        """The projected values (a list; order is not defined)."""
        return self.project_async(projection, predicate).get()

    # -- entry processors ------------------------------------------------------------------

    def _processor_data(self, entry_processor: Any) -> bytes:
        """``entry_processor`` serialized; raises ValueError for None."""
        if entry_processor is None:
            raise ValueError("entry_processor must not be None")
        return self._to_data(entry_processor)

    def execute_on_key_async(self, key: Any, entry_processor: Any, key_hint: Hint = None) -> AsyncResult[Any]:
        """Run ``entry_processor`` on the entry of ``key`` (on its owner); the result is its return value."""
        key_data = self._key_data(key if key_hint is None else typed(key, key_hint))
        request = codec.encode_execute_on_key_request(
            self.name, self._processor_data(entry_processor), key_data, self._thread_id()
        )
        to_object = self._to_object
        return self._invoke_on_key(request, key_data, lambda m: to_object(codec.decode_execute_on_key_response(m)))

    def execute_on_key(self, key: Any, entry_processor: Any, key_hint: Hint = None) -> Any:
        """Runs ``entry_processor`` on the entry of ``key`` (on its owner) and waits; returns the
        processor's result. Raises ValueError for None, HzSerializationError, HzTimeoutError past
        ``invocation_timeout``, or the member's error."""
        return self.execute_on_key_async(key, entry_processor, key_hint).get()

    def submit_to_key(self, key: Any, entry_processor: Any, key_hint: Hint = None) -> AsyncResult[Any]:
        """Same as :meth:`execute_on_key_async` (the official client's name; it returns a future there too)."""
        return self.execute_on_key_async(key, entry_processor, key_hint)

    def submit_to_key_async(self, key: Any, entry_processor: Any, key_hint: Hint = None) -> AsyncResult[Any]:
        """Same as :meth:`submit_to_key`: the result is the entry processor's return value."""
        return self.execute_on_key_async(key, entry_processor, key_hint)

    def execute_on_keys_async(
        self, keys: Iterable[Any], entry_processor: Any, key_hint: Hint = None
    ) -> AsyncResult[List[Tuple[Any, Any]]]:
        """Run ``entry_processor`` on the entries of ``keys``; the result is ``[(key, result), ...]``."""
        if keys is None or isinstance(keys, (str, bytes)):
            raise TypeError("keys must be a collection of keys, got %r" % (keys,))
        keys_data = [self._key_data(k if key_hint is None else typed(k, key_hint)) for k in keys]
        processor = self._processor_data(entry_processor)
        if not keys_data:
            result: AsyncResult[List[Tuple[Any, Any]]] = self._handler.async_result()
            result.set([])
            return result
        request = codec.encode_execute_on_keys_request(self.name, processor, keys_data)
        return self._invoke(request, self._entries_of(codec.decode_execute_on_keys_response))

    def execute_on_keys(
        self, keys: Iterable[Any], entry_processor: Any, key_hint: Hint = None
    ) -> List[Tuple[Any, Any]]:
        """Runs ``entry_processor`` on the entries of ``keys`` and waits; returns ``[(key, result), ...]``.
        Raises ValueError/TypeError for bad ``keys``, HzSerializationError, HzTimeoutError past
        ``invocation_timeout``, or the member's error."""
        return self.execute_on_keys_async(keys, entry_processor, key_hint).get()

    def execute_on_entries_async(
        self, entry_processor: Any, predicate: Optional[Predicate] = None
    ) -> AsyncResult[List[Tuple[Any, Any]]]:
        """Run ``entry_processor`` on every entry (or those matching ``predicate``): ``[(key, result), ...]``."""
        processor = self._processor_data(entry_processor)
        if predicate is None:
            request = codec.encode_execute_on_all_keys_request(self.name, processor)
            return self._invoke(request, self._entries_of(codec.decode_execute_on_all_keys_response))
        request = codec.encode_execute_with_predicate_request(self.name, processor, self._predicate_data(predicate))
        return self._invoke(request, self._entries_of(codec.decode_execute_with_predicate_response))

    def execute_on_entries(self, entry_processor: Any, predicate: Optional[Predicate] = None) -> List[Tuple[Any, Any]]:
        """Runs ``entry_processor`` on every entry (or those matching ``predicate``) and waits; returns
        ``[(key, result), ...]``. Raises HzSerializationError, HzTimeoutError past
        ``invocation_timeout``, or the member's error."""
        return self.execute_on_entries_async(entry_processor, predicate).get()

    def _entries_of(
        self, decode: Callable[[ClientMessage], List[Tuple[bytes, bytes]]]
    ) -> Callable[[ClientMessage], List[Tuple[Any, Any]]]:
        """A response handler: the ``(key, value)`` pairs ``decode`` returns, deserialized."""
        to_object = self._to_object
        return lambda m: [(to_object(k), to_object(v)) for k, v in decode(m)]
