"""The managed server points Browser at its own Bolt port and keeps its files to its owner."""

from __future__ import annotations

import json
import os
import stat
import urllib.request

from coordgraph import runtime


def test_discovery_document_names_the_configured_bolt_port(managed_test_server):
    # Browser pre-fills its connection from this document: another port would log the user into another server
    url = f"http://127.0.0.1:{managed_test_server.http_port}/"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        document = json.loads(response.read())
    assert document["bolt_direct"] == f"bolt://127.0.0.1:{managed_test_server.bolt_port}", document
    assert f":{managed_test_server.bolt_port}" in document.get("bolt_routing", f":{managed_test_server.bolt_port}")


def test_rendered_config_advertises_the_configured_bolt_port(managed_test_server):
    conf = runtime.render_config(managed_test_server)
    assert f"server.bolt.advertised_address=127.0.0.1:{managed_test_server.bolt_port}" in conf
    assert f"server.http.advertised_address=127.0.0.1:{managed_test_server.http_port}" in conf


def test_server_home_is_owner_only(managed_test_server):
    home = managed_test_server.home
    auth = list(home.rglob("auth.ini"))
    assert auth, "the server's auth.ini was not found"
    open_to_others = []
    for path in [home, *home.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        if path.is_dir() and mode & 0o077:
            open_to_others.append((str(path), oct(mode)))
        elif not path.is_dir() and mode & 0o077:
            open_to_others.append((str(path), oct(mode)))
    assert not open_to_others, open_to_others[:20]
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
