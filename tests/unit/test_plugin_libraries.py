"""The managed server's jar layout: only jars that declare procedures or functions stay in plugins/."""

import zipfile

from coordgraph import runtime


def _jar(path, classes: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in classes.items():
            archive.writestr(name, body)


def test_jars_without_procedures_move_to_plugin_libs(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    _jar(plugins / "proc-a.jar", {"a/P.class": b"\xca\xfe...Lorg/neo4j/procedure/Procedure;...", "a/Q.class": b"plain"})
    _jar(plugins / "func-b.jar", {"b/F.class": b"...Lorg/neo4j/procedure/UserFunction;..."})
    _jar(plugins / "agg-c.jar", {"c/G.class": b"...Lorg/neo4j/procedure/UserAggregationFunction;..."})
    _jar(plugins / "algo-d.jar", {"d/A.class": b"uses Lorg/neo4j/procedure/Context; only"})
    # the mark outside a class file (a resource) does not count
    _jar(plugins / "lib-e.jar", {"e/notes.txt": b"Lorg/neo4j/procedure/Procedure;", "e/E.class": b"code"})

    assert runtime.separate_plugin_libraries(tmp_path) == 2

    assert sorted(p.name for p in plugins.iterdir()) == ["agg-c.jar", "func-b.jar", "proc-a.jar"]
    assert sorted(p.name for p in (tmp_path / runtime.PLUGIN_LIBS).iterdir()) == ["algo-d.jar", "lib-e.jar"]
    assert runtime.separate_plugin_libraries(tmp_path) == 0  # idempotent


def test_plugin_libs_are_on_the_servers_classpath(tmp_path):
    entries = runtime._classpath(tmp_path).split(":")
    assert f"{tmp_path}/plugins/*" in entries and f"{tmp_path}/{runtime.PLUGIN_LIBS}/*" in entries
    assert "internal.dbms.bolt.netty_server_shutdown_quiet_period=0" in runtime.render_config(
        runtime.ServerLayout(home=tmp_path, password_file=tmp_path / "p", bolt_port=1, http_port=2, heap="1g", pagecache="1g"))
