"""The same module as :mod:`hzgreen.query.projection`, under the name older imports use."""

import sys

from hzgreen.query import projection as _module

sys.modules[__name__] = _module
