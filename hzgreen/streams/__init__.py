"""Python transforms over streamed (journaled) maps: :class:`~hzgreen.streams.transform.Transform`,
also bound on the client as ``client.Transform(...)``."""

from hzgreen.streams.lanes import TransformMetrics
from hzgreen.streams.transform import Transform

__all__ = ["Transform", "TransformMetrics"]
