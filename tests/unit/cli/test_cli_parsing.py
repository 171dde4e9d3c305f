"""Argument parsing, environment variables and bad input of the hzgreen command line (no member needed)."""

import pytest

from hzgreen.cli.connection import client_options
from hzgreen.cli.main import build_parser, main


def parse(*argv, env=None):
    return build_parser(env or {}).parse_args(list(argv))


def test_map_get_defaults_to_localhost_dev_threading():
    args = parse("map", "users", "get", "alice")
    assert (args.name, args.action, args.key, args.json_key) == ("users", "get", "alice", False)
    assert client_options(args) == {"cluster_members": ["127.0.0.1:5701"], "cluster_name": "dev"}
    assert args.handler == "threading"
    assert args.timeout == 10.0


def test_environment_gives_the_connection_defaults():
    env = {
        "HZGREEN_MEMBERS": "10.0.0.1:5701, 10.0.0.2:5702",
        "HZGREEN_CLUSTER": "prod",
        "HZGREEN_HANDLER": "gevent",
        "HZGREEN_TIMEOUT": "2.5",
        "HZGREEN_SSL_CAFILE": "/etc/ca.pem",
        "HZGREEN_SSL_CHECK_HOSTNAME": "yes",
    }
    args = parse("info", env=env)
    assert args.handler == "gevent"
    assert args.timeout == 2.5
    assert client_options(args) == {
        "cluster_members": ["10.0.0.1:5701", "10.0.0.2:5702"],
        "cluster_name": "prod",
        "ssl_enabled": True,
        "ssl_cafile": "/etc/ca.pem",
        "ssl_check_hostname": True,
    }


def test_options_win_over_the_environment():
    env = {"HZGREEN_MEMBERS": "10.0.0.1:5701", "HZGREEN_CLUSTER": "prod"}
    args = parse("lock", "l1", "status", "--members", "h:1", "--cluster", "qa", "--handler", "threading", env=env)
    assert client_options(args) == {"cluster_members": ["h:1"], "cluster_name": "qa"}


def test_cluster_name_variable_of_the_test_harness_is_read_too():
    args = parse("info", env={"HZGREEN_CLUSTER_NAME": "hzgreen-abc"})
    assert args.cluster == "hzgreen-abc"


def test_ssl_flag_alone_enables_tls_with_system_cas():
    args = parse("info", "--ssl", "--ssl-password", "secret")
    assert client_options(args)["ssl_enabled"] is True
    assert client_options(args)["ssl_password"] == "secret"
    assert "ssl_cafile" not in client_options(args)


def test_member_options():
    args = parse("member", "--port", "5801", "--cluster-name", "c", "--cp-members", "3", "--hz-version", "5.3.6")
    assert (args.port, args.cluster_name, args.cp_members, args.hz_version) == (5801, "c", 3, "5.3.6")


def test_sql_params_and_map_put_flags():
    args = parse("sql", "SELECT ?", "--param", "1", "--param", '"x"')
    assert args.statement == "SELECT ?" and args.param == ["1", '"x"']
    args = parse("map", "m", "put", "42", '{"a": 1}', "--json-key", "--native")
    assert (args.key, args.value, args.json_key, args.native) == ("42", '{"a": 1}', True, True)


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "the following arguments are required: COMMAND"),
        (["frob"], "invalid choice: 'frob'"),
        (["map"], "map: the following arguments are required: NAME, ACTION"),
        (["map", "m", "frob"], "map: argument ACTION: invalid choice: 'frob'"),
        (["map", "m", "put", "k"], "the following arguments are required: VALUE"),
        (["map", "m", "put", "k", "{oops"], "VALUE is not valid JSON"),
        (["map", "m", "get", "[1]", "--json-key"], "KEY must be a JSON string, number or boolean"),
        (["map", "m", "watch", "--count", "0"], "expected a number >= 1"),
        (["map", "m", "load", "/no/such/file.jsonl"], "cannot read /no/such/file.jsonl"),
        (["lock", "l", "grab"], "invalid choice: 'grab'"),
        (["info", "--timeout", "soon"], "expected a number of seconds, got 'soon'"),
        (["info", "--handler", "asyncio"], "invalid choice: 'asyncio'"),
        (["info", "--members", " , "], "--members: no member address given"),
        (["member", "--port", "70000"], "a port is between 1 and 65535"),
        (["member", "--cp-members", "2"], "expected 0 (unsafe mode) or 3 to 7"),
        (["sql", "SELECT ?", "--param", "{"], "--param is not valid JSON"),
    ],
)
def test_bad_input_exits_2_with_one_error_line(argv, message, capsys):
    assert main(argv, env={}) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("hzgreen: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "env, message",
    [
        ({"HZGREEN_TIMEOUT": "-1"}, "HZGREEN_TIMEOUT"),
        ({"HZGREEN_SSL": "maybe"}, "HZGREEN_SSL must be 1/true/yes or 0/false/no"),
        ({"HZGREEN_HANDLER": "trio"}, "HZGREEN_HANDLER must be threading or gevent"),
    ],
)
def test_bad_environment_exits_2(env, message, capsys):
    assert main(["info"], env=env) == 2
    assert message in capsys.readouterr().err


def test_bad_line_in_a_load_file_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "data.jsonl"
    path.write_text('{"key": "a", "value": 1}\n\n{"key": "b"}\n')
    assert main(["map", "m", "load", str(path)], env={}) == 2
    assert "%s:3: expected an object" % path in capsys.readouterr().err


def test_unreachable_cluster_exits_1(capsys):
    # Port 1 on loopback refuses connections at once.
    assert main(["map", "m", "size", "--members", "127.0.0.1:1", "--timeout", "0.5"], env={}) == 1
    err = capsys.readouterr().err
    assert err == "hzgreen: error: could not connect to cluster 'dev' at 127.0.0.1:1 within 0.5s\n"


def test_help_lists_commands_and_environment(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"], env={})
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for word in ("member", "info", "map", "lock", "sql", "HZGREEN_MEMBERS", "HZGREEN_SSL_CAFILE", "exit status"):
        assert word in out


def test_multi_line_errors_print_their_first_line(capsys):
    from hzgreen.cli.main import _fail

    assert _fail('Encountered "-" at line 1.\nWas expecting one of:\n    "AS" ...', 1) == 1
    assert capsys.readouterr().err == 'hzgreen: error: Encountered "-" at line 1.\n'


def test_unexpected_errors_exit_1_without_traceback(monkeypatch, capsys):
    import hzgreen.cli.maps

    def explode(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(hzgreen.cli.maps, "run_size", explode)
    assert main(["map", "m", "size"], env={}) == 1
    err = capsys.readouterr().err
    assert err.startswith("hzgreen: error: unexpected RuntimeError: boom")
    assert "Traceback" not in err


def test_member_on_a_taken_port_exits_2_before_starting_java(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["member", "--port", str(port)], env={}) == 2
    assert "cannot use port %d on 127.0.0.1" % port in capsys.readouterr().err
