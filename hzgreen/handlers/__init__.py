"""Concurrency back ends of hzgreen (see :mod:`hzgreen.interfaces`).

* :mod:`hzgreen.handlers.threading` — :class:`SequentialThreadingHandler`, OS threads
  (the default);
* :mod:`hzgreen.handlers.gevent` — :class:`SequentialGeventHandler`, greenlets, no
  monkey-patching, no OS threads.

This package's modules are the only ones in hzgreen that import ``threading``,
``socket``, ``select`` or ``gevent``.  Nothing is imported here, so using the threading
handler never imports gevent.
"""
