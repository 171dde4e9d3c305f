"""hzgreen as a contender, with its threading or its gevent handler."""

from benchmarks.contender import Contender
from benchmarks.matrix import Absent


class HzgreenContender(Contender):
    def __init__(self, args, kind):
        super().__init__(args)
        self.kind = kind
        self.greenlets = kind == "gevent"

    def new_handler(self):
        if self.kind == "gevent":
            from hzgreen.handlers.gevent import SequentialGeventHandler

            return SequentialGeventHandler()
        from hzgreen.handlers.threading import SequentialThreadingHandler

        return SequentialThreadingHandler()

    def new_client(self):
        from hzgreen import HzClient

        client = HzClient(
            cluster_members=self.args.members,
            cluster_name=self.args.cluster,
            handler=self.new_handler(),
            **self.client_options(),
        )
        client.start(60)
        return client

    def close_client(self, client):
        client.stop()
        client.close()

    def map_ops(self, client, name):
        m = client.get_map(name)
        return m.put, m.get, m.put_async, m.put_all, m.clear

    def near_cache_counts(self, client, name):
        m = client.get_map(name)

        def counts():
            stats = m.get_near_cache_stats()
            return stats.hits, stats.misses

        return counts

    def transform_ops(self, client, source, result, func):
        """``(start, accounted, close)`` of a ``client.Transform`` (one worker, this process):
        ``start()`` waits until it holds every partition; ``accounted()`` is ``(processed,
        lost)`` so far."""
        transform = client.Transform(source, result, func, time_boundary=0.1, max_in_flight=5000)

        def start():
            transform.start()
            if not transform.wait_for_acquire(60):
                raise RuntimeError("the transform never acquired its partitions")

        def accounted():
            metrics = transform.metrics()
            return metrics.processed, metrics.lost

        return start, accounted, transform.close

    def topic_ops(self, client, name):
        topic = client.get_topic(name)
        return topic.publish, topic.add_listener, topic.remove_listener

    def ringbuffer_ops(self, client, name):
        rb = client.get_ringbuffer(name)
        return rb.add_all, rb.read_many, rb.head_sequence

    @staticmethod
    def error_of(future):
        return future.exception

    def cp(self, client):
        try:
            return client.cp
        except (ImportError, AttributeError, NotImplementedError) as error:
            raise Absent(
                "hzgreen has no CP subsystem yet (client.cp: %s: %s)" % (type(error).__name__, error)
            ) from error

    def lock_ops(self, client, name):
        try:
            lock = self.cp(client).get_lock(name)
        except (ImportError, AttributeError, NotImplementedError) as error:
            raise Absent("client.cp.get_lock is not available (%s: %s)" % (type(error).__name__, error)) from error
        for pair in (("lock", "unlock"), ("acquire", "release")):
            if hasattr(lock, pair[0]) and hasattr(lock, pair[1]):
                return getattr(lock, pair[0]), getattr(lock, pair[1])
        raise Absent("the hzgreen CP lock has neither lock/unlock nor acquire/release")

    def atomic_ops(self, client, name):
        try:
            return self.cp(client).get_atomic_long(name).increment_and_get
        except (ImportError, AttributeError, NotImplementedError) as error:
            raise Absent(
                "client.cp.get_atomic_long is not available (%s: %s)" % (type(error).__name__, error)
            ) from error

    def semaphore(self, n):
        if self.greenlets:
            import gevent.lock

            return gevent.lock.Semaphore(n)
        return super().semaphore(n)

    def run_concurrently(self, count, target):
        if self.greenlets:
            import gevent

            gevent.joinall([gevent.spawn(target, i) for i in range(count)], raise_error=True)
        else:
            super().run_concurrently(count, target)

    def event(self):
        if self.greenlets:
            import gevent.event

            return gevent.event.Event()
        return super().event()
