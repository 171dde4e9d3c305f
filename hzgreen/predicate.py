"""The same module as :mod:`hzgreen.query.predicate`, under the name older imports use."""

import sys

from hzgreen.query import predicate as _module

sys.modules[__name__] = _module
