client = hazelcast.HazelcastClient(
    backup_ack_to_client_enabled=False,
)
