"""Test-suite configuration shared by tests/unit and tests/integration.

The fixtures (hz_cluster, hz_client, ...) come from the hzgreen pytest
plugin.  An installed hzgreen registers it through its ``pytest11`` entry
point before this file is read; from a bare source checkout (or with
``-p no:hzgreen`` / PYTEST_DISABLE_PLUGIN_AUTOLOAD) it is loaded here, once.
"""

import sys

if "hzgreen.testing.plugin" not in sys.modules:
    pytest_plugins = ["hzgreen.testing.plugin"]
