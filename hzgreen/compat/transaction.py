"""``hazelcast.transaction`` for hzgreen: transaction types and hzgreen's Transaction.

``client.new_transaction()`` returns hzgreen's own :class:`~hzgreen.transaction.Transaction`:
``begin``/``commit``/``rollback``, ``with`` blocks and ``get_map``/``get_queue``/... as in the
official client; its transactional proxies wait for the answer, as the official ones do.
"""

from hzgreen.transaction import ONE_PHASE, TWO_PHASE, Transaction

__all__ = ["ONE_PHASE", "TWO_PHASE", "Transaction"]
