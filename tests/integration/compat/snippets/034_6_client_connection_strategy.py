from hazelcast.config import ReconnectMode
...

client = hazelcast.HazelcastClient(
    async_start=False,
    reconnect_mode=ReconnectMode.ON
)
