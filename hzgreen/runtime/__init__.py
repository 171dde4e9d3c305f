"""The runtime: connections, invocations, listener registrations, the cluster view.

It sits between the sans-IO protocol and serialization layers below and the client,
proxies, CP and recipes above. It drives sockets and timers only through the handler
interface (:mod:`hzgreen.interfaces`), never through threading, socket or gevent directly.
"""
