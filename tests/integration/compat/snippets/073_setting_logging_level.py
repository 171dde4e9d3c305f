import logging

client = hazelcast.HazelcastClient(
    logging_level=logging.DEBUG
)
