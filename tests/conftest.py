"""Test-suite configuration shared by tests/unit and tests/integration.

The fixtures (hz_cluster, hz_client, ...) come from the hzgreen pytest plugin, which is
opt-in (installing hzgreen changes no other project's test runs): this suite asks for it
here, as a user's ``conftest.py`` would.
"""

pytest_plugins = ["hzgreen.testing.plugin"]
