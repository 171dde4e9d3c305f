"""Connection options of the commands that talk to a cluster, and the client they make.

Every option has an environment variable, read when the parser is built, so that a
shell can set the cluster once (``export HZGREEN_MEMBERS=...``).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from typing import Any, Dict, Iterator, List, Mapping

from hzgreen.cli.errors import CliError, UsageError
from hzgreen.exceptions import HzError, HzTimeoutError

DEFAULT_MEMBERS = "127.0.0.1:5701"
DEFAULT_CLUSTER = "dev"
DEFAULT_TIMEOUT = 10.0
HANDLERS = ("threading", "gevent")

#: Help epilog listing the environment variables (shown by ``hzgreen --help``).
ENVIRONMENT_HELP = """\
environment variables (the matching option wins):
  HZGREEN_MEMBERS              --members (default %s)
  HZGREEN_CLUSTER              --cluster (default %s; HZGREEN_CLUSTER_NAME works too)
  HZGREEN_HANDLER              --handler (threading or gevent)
  HZGREEN_TIMEOUT              --timeout (seconds to connect, default %g)
  HZGREEN_SSL                  --ssl (1/true/yes to use TLS)
  HZGREEN_SSL_CAFILE           --ssl-cafile
  HZGREEN_SSL_CERTFILE         --ssl-certfile
  HZGREEN_SSL_KEYFILE          --ssl-keyfile
  HZGREEN_SSL_PASSWORD         --ssl-password
  HZGREEN_SSL_CHECK_HOSTNAME   --ssl-check-hostname (1/true/yes)

exit status: 0 ok, 1 cluster error, 2 bad arguments or input""" % (
    DEFAULT_MEMBERS,
    DEFAULT_CLUSTER,
    DEFAULT_TIMEOUT,
)

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


def _env_flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise UsageError("environment variable %s must be 1/true/yes or 0/false/no, got %r" % (name, env[name]))


def _env_timeout(env: Mapping[str, str]) -> float:
    raw = env.get("HZGREEN_TIMEOUT")
    if raw is None:
        return DEFAULT_TIMEOUT
    try:
        return _positive(raw)
    except argparse.ArgumentTypeError as error:
        raise UsageError("environment variable HZGREEN_TIMEOUT: %s" % error) from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number of seconds, got %r" % text) from None
    if not value > 0:
        raise argparse.ArgumentTypeError("expected a number of seconds > 0, got %r" % text)
    return value


def add_connection_options(parser: argparse.ArgumentParser, env: Mapping[str, str]) -> None:
    """Add --members, --cluster, --handler, --timeout, --verbose and the TLS options to ``parser``.

    Defaults come from ``env`` (see :data:`ENVIRONMENT_HELP`). Returns None; raises UsageError
    for a malformed environment variable.
    """
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--members",
        default=env.get("HZGREEN_MEMBERS", DEFAULT_MEMBERS),
        metavar="HOST:PORT,...",
        help="member addresses, comma-separated (env HZGREEN_MEMBERS; default %(default)s)",
    )
    group.add_argument(
        "--cluster",
        default=env.get("HZGREEN_CLUSTER") or env.get("HZGREEN_CLUSTER_NAME") or DEFAULT_CLUSTER,
        metavar="NAME",
        help="cluster name (env HZGREEN_CLUSTER; default %(default)s)",
    )
    handler = env.get("HZGREEN_HANDLER", "threading")
    if handler not in HANDLERS:
        raise UsageError("environment variable HZGREEN_HANDLER must be threading or gevent, got %r" % handler)
    group.add_argument(
        "--handler",
        choices=HANDLERS,
        default=handler,
        help="concurrency handler (env HZGREEN_HANDLER; default %(default)s)",
    )
    group.add_argument(
        "--timeout",
        type=_positive,
        default=_env_timeout(env),
        metavar="SECONDS",
        help="give up connecting after this long (env HZGREEN_TIMEOUT; default %(default)g)",
    )
    group.add_argument("-v", "--verbose", action="store_true", help="log the client's warnings to stderr")
    tls = parser.add_argument_group("TLS")
    tls.add_argument(
        "--ssl", action="store_true", default=_env_flag(env, "HZGREEN_SSL"), help="connect with TLS (env HZGREEN_SSL)"
    )
    for option, meaning in (
        ("cafile", "CA certificates (PEM) that verify the members"),
        ("certfile", "client certificate (PEM) for mutual TLS"),
        ("keyfile", "client private key (PEM)"),
        ("password", "password of the client key"),
    ):
        variable = "HZGREEN_SSL_" + option.upper()
        tls.add_argument(
            "--ssl-" + option,
            default=env.get(variable) or None,
            metavar="PATH" if option != "password" else "TEXT",
            help="%s; implies --ssl (env %s)" % (meaning, variable),
        )
    tls.add_argument(
        "--ssl-check-hostname",
        action="store_true",
        default=_env_flag(env, "HZGREEN_SSL_CHECK_HOSTNAME"),
        help="match the member certificate with the host name (env HZGREEN_SSL_CHECK_HOSTNAME)",
    )


def member_list(text: str) -> List[str]:
    """The addresses in the comma-separated ``text``; raises UsageError when there are none."""
    members = [part.strip() for part in text.split(",") if part.strip()]
    if not members:
        raise UsageError("--members: no member address given")
    return members


def client_options(args: argparse.Namespace) -> Dict[str, Any]:
    """The HzClient keyword options the parsed connection options ask for.

    Returns a dict (without ``handler``); raises UsageError for an empty member list.
    """
    options: Dict[str, Any] = {
        "cluster_members": member_list(args.members),
        "cluster_name": args.cluster,
    }
    files = {"ssl_cafile": args.ssl_cafile, "ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
    if args.ssl or any(files.values()) or args.ssl_password:
        options["ssl_enabled"] = True
        options.update({name: value for name, value in files.items() if value})
        if args.ssl_password:
            options["ssl_password"] = args.ssl_password
        if args.ssl_check_hostname:
            options["ssl_check_hostname"] = True
    return options


def make_handler(name: str) -> Any:
    """A fresh handler instance named ``name`` ("threading" or "gevent").

    Raises UsageError for another name, or for gevent when it is not installed.
    """
    if name == "threading":
        from hzgreen.handlers.threading import SequentialThreadingHandler

        return SequentialThreadingHandler()
    if name == "gevent":
        try:
            from hzgreen.handlers.gevent import SequentialGeventHandler
        except ImportError:
            raise UsageError("--handler gevent needs gevent: pip install 'hzgreen[gevent]'") from None
        import gevent

        # Ctrl-C ends a command: the hub must not print it as an error before raising it.
        hub = gevent.get_hub()
        hub.NOT_ERROR = tuple(hub.NOT_ERROR) + (KeyboardInterrupt,)
        return SequentialGeventHandler()
    raise UsageError("unknown handler %r; choose threading or gevent" % (name,))


@contextlib.contextmanager
def connect(args: argparse.Namespace) -> Iterator[Any]:
    """A started HzClient for the parsed connection options, stopped and closed on exit.

    Yields the client. Raises UsageError for options HzClient refuses (a bad address, a TLS
    file that is missing, ...) and CliError when the cluster cannot be reached in
    ``args.timeout`` seconds or refuses the client.
    """

    logger = logging.getLogger("hzgreen")
    level = logger.level
    if not args.verbose:  # the command reports errors itself, in one line
        logger.setLevel(logging.CRITICAL)
    try:
        with _started(args) as client:
            yield client
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _started(args: argparse.Namespace) -> Iterator[Any]:
    """The client of :func:`connect`, started, then stopped and closed; raises as ``connect``."""
    from hzgreen.client import HzClient

    options = client_options(args)
    handler = make_handler(args.handler)
    try:
        client = HzClient(handler=handler, **options)
    except (TypeError, ValueError, OSError) as error:
        raise UsageError(str(error)) from None
    try:
        try:
            client.start(timeout=args.timeout)
        except HzTimeoutError:
            raise CliError(
                "could not connect to cluster %r at %s within %gs" % (args.cluster, args.members, args.timeout)
            ) from None
        except HzError as error:
            raise CliError("could not connect to cluster %r at %s: %s" % (args.cluster, args.members, error)) from None
        yield client
    finally:
        _close(client, handler)


def _close(client: Any, handler: Any) -> None:
    try:
        client.stop()
    except HzError:
        pass
    finally:
        client.close()
        if getattr(handler, "running", False):
            handler.stop()
