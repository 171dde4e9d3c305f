import logging

from hazelcast.version import CLIENT_VERSION

class VersionMessageFilter(logging.Filter):
    def filter(self, record):
        record.version_message = "[" + CLIENT_VERSION + "]"
        return True
        
class HazelcastFormatter(logging.Formatter):
    def format(self, record):
        client_name = getattr(record, "client_name", None)
        cluster_name = getattr(record, "cluster_name", None)
        if client_name and cluster_name:
            record.msg = "[" + cluster_name + "] [" + client_name + "] " + record.msg
        return super(HazelcastFormatter, self).format(record)
