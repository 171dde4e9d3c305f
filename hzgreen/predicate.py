"""The same module as :mod:`hzgreen.query.predicate`, under the name older imports use."""

import sys
from typing import TYPE_CHECKING

from hzgreen.query import predicate as _module

if TYPE_CHECKING:  # what type checkers see under this name; at run time it is the module itself
    from hzgreen.query.predicate import *  # noqa: F403
else:
    sys.modules[__name__] = _module
