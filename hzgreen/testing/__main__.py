"""``python -m hzgreen.testing`` (see :mod:`hzgreen.testing.cli`)."""

import sys

from hzgreen.testing.cli import main

if __name__ == "__main__":
    sys.exit(main())
