"""Transactions: ``client.new_transaction(timeout=120, durability=1, type=TWO_PHASE)``.

See :mod:`hzgreen.transaction.transaction` for the Transaction's rules (one connection,
one owning thread or greenlet, timeout) and the modules of the transactional structures.
"""

from hzgreen.transaction.collections import TransactionalList, TransactionalSet
from hzgreen.transaction.map import TransactionalMap
from hzgreen.transaction.multi_map import TransactionalMultiMap
from hzgreen.transaction.queue import TransactionalQueue
from hzgreen.transaction.transaction import ONE_PHASE, TWO_PHASE, Transaction, TransactionState

__all__ = [
    "ONE_PHASE",
    "TWO_PHASE",
    "Transaction",
    "TransactionState",
    "TransactionalList",
    "TransactionalMap",
    "TransactionalMultiMap",
    "TransactionalQueue",
    "TransactionalSet",
]
