"""The sans-IO runtime core: the client's decisions, without sockets, threads or clocks.

Each module here is a state machine fed with events (a message read, a connection
authenticated or closed, the time now) that returns what must be done (write these bytes,
open this address, report this state, complete or fail this invocation). Time is always
an argument. The drivers in :mod:`hzgreen.runtime` (``connection_manager``,
``invocation``, ``listeners``) own the handler: they feed the events, run the returned
actions, and do every piece of I/O and waiting. Nothing here imports a handler, a socket,
a thread, gevent, ``time`` or ``os``; ``tests/unit/runtime/core/test_core_imports.py``
checks that.
"""
