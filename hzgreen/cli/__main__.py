"""``python -m hzgreen.cli``: the ``hzgreen`` command (see :mod:`hzgreen.cli.main`)."""

import sys

from hzgreen.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
