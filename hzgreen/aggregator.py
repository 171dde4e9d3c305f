"""The same module as :mod:`hzgreen.query.aggregator`, under the name older imports use."""

import sys

from hzgreen.query import aggregator as _module

sys.modules[__name__] = _module
