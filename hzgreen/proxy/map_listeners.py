"""Map entry listeners (mixed into Map)."""


class MapListenerMixin:
    """add_entry_listener / remove_entry_listener on a Map."""
