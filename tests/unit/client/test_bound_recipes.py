"""Recipes bound on the client (``client.Lock(...)``): declared methods with the recipes' parameters."""

import importlib
import inspect
import subprocess
import sys
import types

import pytest

from hzgreen import HzClient
from hzgreen.recipes import RECIPES


def recipe_class(name):
    module_name, _, class_name = RECIPES[name].partition(":")
    return importlib.import_module(module_name), class_name


@pytest.fixture
def client():
    client = HzClient(cluster_members=["192.0.2.1:5701"])  # never started: nothing is sent
    yield client
    client.close()


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_recipe_is_a_method_with_the_recipe_parameters(name):
    module, class_name = recipe_class(name)
    method = inspect.getattr_static(HzClient, name)
    assert inspect.isfunction(method), "%s is not declared on HzClient" % name
    expected = list(inspect.signature(getattr(module, class_name)).parameters.values())[1:]  # without client
    got = list(inspect.signature(method).parameters.values())[1:]  # without self
    assert [(p.name, p.kind, p.default) for p in got] == [(p.name, p.kind, p.default) for p in expected]
    assert method.__doc__


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_method_passes_every_argument_to_the_recipe(name, client, monkeypatch):
    module, class_name = recipe_class(name)
    real = inspect.signature(getattr(module, class_name))
    calls = []
    monkeypatch.setattr(module, class_name, lambda *args, **kwargs: calls.append((args, kwargs)) or "built")
    values = {p.name: object() for p in list(real.parameters.values())[1:]}

    assert getattr(client, name)(**values) == "built"
    args, kwargs = calls[0]
    bound = real.bind(*args, **kwargs)
    assert bound.arguments.pop("client") is client
    assert bound.arguments == values


def test_a_registered_recipe_is_served_at_run_time(client, monkeypatch):
    module = types.ModuleType("h4_probe_recipes")

    class Probe:
        def __init__(self, client, name, size=1):
            self.client, self.name, self.size = client, name, size

    module.Probe = Probe
    monkeypatch.setitem(sys.modules, "h4_probe_recipes", module)
    monkeypatch.setitem(RECIPES, "Probe", "h4_probe_recipes:Probe")
    probe = client.Probe("p", size=3)
    assert isinstance(probe, Probe) and (probe.client, probe.name, probe.size) == (client, "p", 3)


def test_an_unknown_attribute_is_an_attribute_error(client):
    with pytest.raises(AttributeError, match="'HzClient' object has no attribute 'get_mapp'"):
        client.get_mapp("users")
    with pytest.raises(AttributeError, match="_Lock"):
        client._Lock  # noqa: B018


def test_importing_the_client_imports_no_recipe():
    code = "import sys, hzgreen.client; print(sorted(m for m in sys.modules if m.startswith('hzgreen.recipes.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['hzgreen.recipes.bound']"
