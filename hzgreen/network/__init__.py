"""Network options of the client: TLS (:mod:`hzgreen.network.tls`) and the other connection settings."""
