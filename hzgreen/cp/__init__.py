"""CP subsystem: sessions, group ids, raw CP proxies."""
