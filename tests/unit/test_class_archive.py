"""The managed server's class-data archive: named by its jars, used when present, written (and kept) otherwise."""

from __future__ import annotations

import os

from coordgraph import runtime


def _home(tmp_path):
    for sub in ("lib", "plugins", runtime.PLUGIN_LIBS, "run"):
        (tmp_path / sub).mkdir()
    (tmp_path / "lib" / "neo4j-kernel-5.26.24.jar").write_bytes(b"kernel")
    (tmp_path / "plugins" / "proc-community-2.13.9.jar").write_bytes(b"procedures")
    (tmp_path / runtime.PLUGIN_LIBS / "fastutil-8.5.jar").write_bytes(b"library")
    return tmp_path


def test_archive_name_follows_the_jars(tmp_path):
    home = _home(tmp_path)
    first = runtime.class_archive(home)
    assert first.parent == home / "run" and first.name.startswith("classes-") and first.suffix == ".jsa"
    assert runtime.class_archive(home) == first
    (home / runtime.PLUGIN_LIBS / "fastutil-8.5.jar").write_bytes(b"another build")
    changed = runtime.class_archive(home)
    assert changed != first
    (home / "lib" / "extra-1.0.jar").write_bytes(b"x")
    assert runtime.class_archive(home) not in (first, changed)


def test_flags_write_the_archive_then_use_it(tmp_path, monkeypatch):
    monkeypatch.delenv(runtime.CLASS_ARCHIVE_ENV, raising=False)
    home = _home(tmp_path)
    archive = runtime.class_archive(home)
    stale = home / "run" / "classes-0123456789abcdef.jsa"
    stale.write_bytes(b"for other jars")
    assert runtime.class_archive_flags(home) == [f"-XX:ArchiveClassesAtExit={archive}.part"]
    assert not stale.exists()  # an archive of other jars is removed when a new one is to be written
    archive.write_bytes(b"archive")
    assert runtime.class_archive_flags(home) == [f"-XX:SharedArchiveFile={archive}"]
    monkeypatch.setenv(runtime.CLASS_ARCHIVE_ENV, "off")
    assert runtime.class_archive_flags(home) == []


def test_written_archive_kept_only_after_a_clean_exit(tmp_path):
    home = _home(tmp_path)
    archive = runtime.class_archive(home)
    part = archive.with_name(archive.name + ".part")
    part.write_bytes(b"dumped")
    runtime._keep_class_archive(home, clean_exit=False)  # killed: the file may be cut short
    assert not part.exists() and not archive.exists()
    part.write_bytes(b"")
    runtime._keep_class_archive(home, clean_exit=True)  # exited before writing anything
    assert not part.exists() and not archive.exists()
    part.write_bytes(b"dumped")
    runtime._keep_class_archive(home, clean_exit=True)
    assert archive.read_bytes() == b"dumped" and not part.exists()
    assert os.listdir(home / "run") == [archive.name]
