"""The harness options for user Java classes: member configuration and source discovery."""

import xml.etree.ElementTree as ET

import pytest

from hzgreen.testing import Cluster
from hzgreen.testing.config import HZ_NAMESPACE, member_config_xml
from hzgreen.testing.java import JavaCompileError, find_java_sources

NS = {"hz": HZ_NAMESPACE}


def config(**kwargs):
    return ET.fromstring(member_config_xml(cluster_name="c", port=5701, member_addresses=["127.0.0.1:5701"], **kwargs))


def test_factories_are_registered_in_the_serialization_element():
    root = config(data_serializable_factories={1: "a.DsFactory", 3: "a.Other"}, portable_factories={2: "a.PFactory"})
    ds = root.findall("hz:serialization/hz:data-serializable-factories/hz:data-serializable-factory", NS)
    assert [(f.get("factory-id"), f.text) for f in ds] == [("1", "a.DsFactory"), ("3", "a.Other")]
    portable = root.findall("hz:serialization/hz:portable-factories/hz:portable-factory", NS)
    assert [(f.get("factory-id"), f.text) for f in portable] == [("2", "a.PFactory")]


def test_no_serialization_element_without_factories():
    assert config().find("hz:serialization", NS) is None


@pytest.mark.parametrize("factories", [{0: "a.B"}, {-1: "a.B"}, {"1": "a.B"}, {1: ""}])
def test_bad_factories(factories):
    with pytest.raises(ValueError):
        config(data_serializable_factories=factories)


def test_cluster_passes_factories_and_compiles_lazily(tmp_path):
    cluster = Cluster(java_sources=[str(tmp_path)], data_serializable_factories={1: "x.F"}, workdir=str(tmp_path))
    try:
        assert "x.F" in cluster.config_xml(0)
        with pytest.raises(JavaCompileError, match="no .java file"):
            cluster.java_command(0)
    finally:
        cluster.close()


def test_find_java_sources(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "B.java").write_text("class B {}")
    (tmp_path / "C.java").write_text("class C {}")
    (tmp_path / "notes.txt").write_text("x")
    found = find_java_sources([str(tmp_path)])
    assert sorted(found) == sorted([str(tmp_path / "a" / "B.java"), str(tmp_path / "C.java")])
    with pytest.raises(JavaCompileError):
        find_java_sources([str(tmp_path / "notes.txt")])
