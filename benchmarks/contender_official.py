"""hazelcast-python-client (the official client) as a contender."""

from benchmarks.contender import Contender


class OfficialContender(Contender):
    """hazelcast-python-client; monkey-patched (so its threads are greenlets) for mixed_greenlets."""

    def __init__(self, args):
        super().__init__(args)
        self.greenlets = args.scenario == "mixed_greenlets"

    def new_client(self):
        import hazelcast

        return hazelcast.HazelcastClient(
            cluster_members=self.args.members, cluster_name=self.args.cluster, **self.client_options()
        )

    def close_client(self, client):
        client.shutdown()

    def map_ops(self, client, name):
        m = client.get_map(name)
        b = m.blocking()
        return b.put, b.get, m.put, b.put_all, b.clear

    def near_cache_counts(self, client, name):
        # No public accessor: the map proxy's near cache (a private attribute) has
        # get_statistics(), the figures the client reports to Management Center.
        near_cache = client.get_map(name)._near_cache

        def counts():
            stats = near_cache.get_statistics()
            return stats["hits"], stats["misses"]

        return counts

    def topic_ops(self, client, name):
        topic = client.get_topic(name).blocking()
        return topic.publish, topic.add_listener, topic.remove_listener

    def ringbuffer_ops(self, client, name):
        rb = client.get_ringbuffer(name).blocking()
        return rb.add_all, rb.read_many, rb.head_sequence

    @staticmethod
    def error_of(future):
        return future.exception()

    @staticmethod
    def blob(data):
        # The official client maps bytearray to byte[]; bytes would go through pickle.
        return bytearray(data)

    def lock_ops(self, client, name):
        lock = client.cp_subsystem.get_lock(name).blocking()
        return lock.lock, lock.unlock

    def atomic_ops(self, client, name):
        return client.cp_subsystem.get_atomic_long(name).blocking().increment_and_get

    def run_concurrently(self, count, target):
        if self.greenlets:
            import gevent

            gevent.joinall([gevent.spawn(target, i) for i in range(count)], raise_error=True)
        else:
            super().run_concurrently(count, target)
