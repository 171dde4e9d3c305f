"""Coordination recipes built on the proxy and CP APIs, bound on the client as in Kazoo.

``RECIPES`` maps the attribute a user calls on the client to ``"module:Class"``;
``client.Lock("jobs")`` builds ``Lock(client, "jobs")``. A recipe module registers
itself here by name only, so importing the client does not import every recipe.
"""

RECIPES = {
}
