"""The same module as :mod:`hzgreen.query.projection`, under the name older imports use."""

import sys
from typing import TYPE_CHECKING

from hzgreen.query import projection as _module

if TYPE_CHECKING:  # what type checkers see under this name; at run time it is the module itself
    from hzgreen.query.projection import *  # noqa: F403
else:
    sys.modules[__name__] = _module
