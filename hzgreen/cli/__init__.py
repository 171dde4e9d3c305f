"""The ``hzgreen`` command line: run a local member, look at a cluster, read and write maps.

``hzgreen --help`` lists the commands; docs/cli.rst describes them. Entry point:
:func:`hzgreen.cli.main.main`.
"""
