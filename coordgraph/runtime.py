"""The managed local Neo4j 5.26 + Graph Data Science + Browser server.

No Docker engine and no package registry ships a Neo4j server here, so the server is assembled from Maven
Central jars by ``server/pom.xml`` into a home folder and run with ``java`` directly.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import ServerLayout, read_password, server_recipe
from .errors import ServerError

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.server.startup.Neo4jAdminCommand"  # neo4j-admin's launcher
ADMIN_TOOL_CLASS = "org.neo4j.cli.AdminTool"  # the admin commands themselves
INSTALLED_MARKER = "coordgraph-installed.txt"
# GDS's jars that declare no procedure or function (most of them, and its third-party libraries) sit here, on the
# classpath but out of plugins/: the server loads every class of every jar in plugins/ to look for procedures
# (9,200 classes in 129 jars, against 340 in the 12 that declare some)
PLUGIN_LIBS = "plugin-libs"
_PROCEDURE_MARKS = (b"Lorg/neo4j/procedure/Procedure;", b"Lorg/neo4j/procedure/UserFunction;",
                    b"Lorg/neo4j/procedure/UserAggregationFunction;")

# The server's JVM keeps the classes it loaded in a class-data archive (AppCDS) written when it stops, and maps
# them from there at the next start instead of loading and verifying them from the jars again (Neo4j and GDS
# load about 20,000 classes): a start took 12-22 s instead of 22-34 s, 11-13 instead of 18-22 CPU seconds.
CLASS_ARCHIVE_ENV = "COORDGRAPH_CLASS_ARCHIVE"  # "off": neither use nor write one

# JVM flags Neo4j's own launcher passes on Java 17 (from its default neo4j.conf).
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
]


@dataclass
class ServerStatus:
    """What ``coordgraph server status`` reports."""

    state: str  # "running", "stopped", "not installed", "starting"
    pid: int | None
    neo4j_version: str | None
    gds_version: str | None
    bolt_uri: str
    browser_url: str
    home: Path
    data_bytes: int


def _pom_property(name: str) -> str:
    text = server_recipe().read_text(encoding="utf-8")
    match = re.search(rf"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", text)
    if not match:
        raise ServerError(f"server/pom.xml has no <{name}> property")
    return match.group(1).strip()


def pinned_versions() -> dict[str, str]:
    """Neo4j, GDS and Browser versions pinned in ``server/pom.xml``."""
    return {k: _pom_property(f"{k}.version") for k in ("neo4j", "gds", "browser")}


def is_installed(layout: ServerLayout) -> bool:
    """True when every jar and the configuration are in place and the password is set."""
    return (layout.home / INSTALLED_MARKER).exists() and layout.password_file.exists()


def _classpath(home: Path) -> str:
    return f"{home}/plugins/*:{home}/conf/*:{home}/lib/*:{home}/{PLUGIN_LIBS}/*"


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java:
        raise ServerError("Java 17 was not found", "Install a Java 17 runtime or set JAVA_HOME.")
    return str(java)


def _mvn(args: list[str], log: Path) -> None:
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerError("Maven (mvn) was not found", "Install Maven 3.8+; it fetches the server from Maven Central.")
    with log.open("ab") as out:
        proc = subprocess.run([mvn, "-B", "-ntp", "-f", str(server_recipe()), *args], stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise ServerError("Maven could not fetch the server jars:\n" + "\n".join(tail), f"Full log: {log}")


def render_config(layout: ServerLayout) -> str:
    """The neo4j.conf of a managed server: loopback only, auth on, explicit memory, GDS unrestricted."""
    return "\n".join(
        [
            "# Written by coordgraph; edits are overwritten by `coordgraph server install`.",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{layout.bolt_port}",
            f"server.http.listen_address=127.0.0.1:{layout.http_port}",
            # Browser connects to the Bolt address the server advertises: without the port it is 7687, another server's
            f"server.bolt.advertised_address=127.0.0.1:{layout.bolt_port}",
            f"server.http.advertised_address=127.0.0.1:{layout.http_port}",
            "server.https.enabled=false",
            "server.bolt.enabled=true",
            "server.http.enabled=true",
            "dbms.security.auth_enabled=true",
            "dbms.security.procedures.unrestricted=gds.*",
            "dbms.security.procedures.allowlist=gds.*",
            f"server.memory.heap.initial_size={layout.heap}",
            f"server.memory.heap.max_size={layout.heap}",
            f"server.memory.pagecache.size={layout.pagecache}",
            "dbms.memory.transaction.total.max=0",
            "db.tx_log.rotation.retention_policy=2 days 1G",
            "db.tx_log.rotation.size=64M",
            "db.tx_log.preallocate=false",
            "dbms.usage_report.enabled=false",
            # Bolt's network threads otherwise wait 5 s for quiet on each of its two connectors before a stop
            # completes (10 of a stop's 11 s); a stop comes in every bulk load and every `server reset`
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
            "",
        ]
    )


def install(layout: ServerLayout, log=print) -> bool:
    """Fetch Neo4j, GDS and Browser jars into the home and set a random initial password.

    Idempotent and resumable: Maven caches what it downloaded, jars already present are kept, and the
    marker file is written only when every step succeeded. Returns False when it was already installed.
    """
    home = layout.home
    if is_installed(layout):
        _write_config(layout)
        make_owner_only(layout)
        return False
    for sub in ("lib", "plugins", "conf", "data", "logs", "import", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
    make_owner_only(layout)
    mvn_log = home / "logs" / "install-maven.log"
    versions = pinned_versions()
    log(f"Fetching Neo4j {versions['neo4j']} + Browser {versions['browser']} from Maven Central ...")
    _mvn(["dependency:copy-dependencies", f"-DoutputDirectory={home / 'lib'}", "-DincludeScope=runtime"], mvn_log)
    log(f"Fetching Graph Data Science {versions['gds']} ...")
    _mvn(
        ["-Pgds", "dependency:copy-dependencies", f"-DoutputDirectory={home / 'plugins'}",
         "-DincludeScope=runtime", "-DincludeGroupIds=org.neo4j.gds"],
        mvn_log,
    )
    # GDS's third-party libraries: staged apart, then only those the server itself lacks are added.
    staging = home / "run" / "gds-deps"
    _mvn(
        ["-Pgds", "dependency:copy-dependencies", f"-DoutputDirectory={staging}",
         "-DincludeScope=runtime", "-DexcludeGroupIds=org.neo4j"],
        mvn_log,
    )
    _add_missing_libraries(staging, home)
    separate_plugin_libraries(home)
    _write_config(layout)
    if not layout.password_file.exists():
        _set_initial_password(layout)
    (home / INSTALLED_MARKER).write_text(
        "".join(f"{k}={v}\n" for k, v in versions.items()), encoding="utf-8"
    )
    make_owner_only(layout)
    return True


def make_owner_only(layout: ServerLayout) -> None:
    """Take group and other permissions off the server home and everything in it.

    The database files and ``auth.ini`` hold the investigation and the password hash. The server and the admin
    tool also run with umask 077 (:func:`_owner_only_umask`), so the files they create later stay private.
    """
    layout.home.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in [layout.home, *layout.home.rglob("*")]:
        try:
            mode = path.lstat().st_mode
            if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
                os.chmod(path, stat.S_IMODE(mode) & 0o700)
        except FileNotFoundError:  # a file the running server just removed
            continue


def _owner_only_umask() -> None:
    """preexec_fn of the server and admin processes: files they create are readable by their owner only."""
    os.umask(0o077)


def _add_missing_libraries(staging: Path, home: Path) -> None:
    """Move third-party jars from ``staging`` into plugins/ unless lib/ already has that library."""
    lib_names = {_artifact_name(p.name) for p in (home / "lib").glob("*.jar")}
    for jar in staging.glob("*.jar"):
        if _artifact_name(jar.name) in lib_names:
            jar.unlink()
        else:
            jar.replace(home / "plugins" / jar.name)
    shutil.rmtree(staging, ignore_errors=True)


def separate_plugin_libraries(home: Path) -> int:
    """Move the jars of ``plugins/`` that declare no procedure or function into ``plugin-libs/`` (also on the
    classpath), so the server's search for procedures at start reads only the jars that have some; the jars
    moved. Idempotent; a home installed before this layout is sorted at its next start."""
    target = home / PLUGIN_LIBS
    target.mkdir(exist_ok=True, mode=0o700)
    moved = 0
    for jar in sorted((home / "plugins").glob("*.jar")):
        if not _declares_procedures(jar):
            jar.replace(target / jar.name)
            moved += 1
    return moved


def _declares_procedures(jar: Path) -> bool:
    with zipfile.ZipFile(jar) as archive:
        return any(mark in archive.read(name) for name in archive.namelist() if name.endswith(".class")
                   for mark in _PROCEDURE_MARKS)


def _artifact_name(filename: str) -> str:
    return re.sub(r"-\d[\w.\-]*\.jar$", "", filename)


def _write_config(layout: ServerLayout) -> None:
    conf = layout.home / "conf"
    conf.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(conf / "neo4j.conf", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(render_config(layout))


def _set_initial_password(layout: ServerLayout) -> None:
    # hex only: a password starting with "-" would be read as an option by neo4j-admin
    password = secrets.token_hex(16)
    env = {**os.environ, "NEO4J_HOME": str(layout.home), "NEO4J_CONF": str(layout.home / "conf")}
    proc = subprocess.run(
        [_java(), "-cp", _classpath(layout.home), ADMIN_CLASS, "dbms", "set-initial-password", password],
        env=env,
        capture_output=True,
        preexec_fn=_owner_only_umask,
        text=True,
    )
    if proc.returncode != 0:
        raise ServerError("Setting the initial password failed:\n" + (proc.stderr or proc.stdout)[-2000:])
    layout.password_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(layout.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(password + "\n")
    os.chmod(layout.password_file, 0o600)


def read_pid(layout: ServerLayout) -> int | None:
    """The pid of the running server, or None (a stale pid file is removed)."""
    try:
        pid = int(layout.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    if _alive(pid):
        return pid
    layout.pid_file.unlink(missing_ok=True)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child still answers kill(0)
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def start(layout: ServerLayout, timeout: float = 180.0, log=print) -> bool:
    """Start the server and wait until Bolt answers and GDS is loaded. Returns False if already running."""
    if not is_installed(layout):
        raise ServerError("The local server is not installed", "Run `coordgraph server install` first.")
    _write_config(layout)
    if not (layout.home / PLUGIN_LIBS).is_dir():
        separate_plugin_libraries(layout.home)
    make_owner_only(layout)
    if read_pid(layout):
        wait_ready(layout, timeout=timeout)
        return False
    busy = [port for port in (layout.bolt_port, layout.http_port) if _port_in_use(port)]
    if busy:
        raise ServerError(
            f"Port(s) {', '.join(map(str, busy))} on 127.0.0.1 are already in use by another process",
            "Stop the other server, or choose other ports with COORDGRAPH_BOLT_PORT / COORDGRAPH_HTTP_PORT.",
        )
    proc = launch(layout)
    log(f"Starting Neo4j (pid {proc.pid}), waiting for Bolt and GDS ...")
    try:
        wait_ready(layout, timeout=timeout, process=proc)
    except ServerError:
        stop(layout)
        raise
    return True


def launch(layout: ServerLayout) -> subprocess.Popen:
    """Spawn the server process in its own session and record its pid; returns without waiting for it."""
    (layout.home / "run").mkdir(exist_ok=True, mode=0o700)
    (layout.home / "logs").mkdir(exist_ok=True, mode=0o700)
    env = {**os.environ, "NEO4J_HOME": str(layout.home), "NEO4J_CONF": str(layout.home / "conf")}
    cmd = [
        _java(),
        f"-Xms{layout.heap}",
        f"-Xmx{layout.heap}",
        *JVM_FLAGS,
        *class_archive_flags(layout.home),
        "-cp",
        _classpath(layout.home),
        MAIN_CLASS,
        f"--home-dir={layout.home}",
        f"--config-dir={layout.home / 'conf'}",
    ]
    with os.fdopen(os.open(layout.console_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as out:
        proc = subprocess.Popen(
            cmd, cwd=layout.home, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=_owner_only_umask,
        )
    with os.fdopen(os.open(layout.pid_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as pid_file:
        pid_file.write(f"{proc.pid}\n")
    return proc


def class_archive(home: Path) -> Path:
    """The class-data archive of ``home``'s classpath. Its name carries a fingerprint of the Java runtime and the
    jars (names, sizes, times), so another Java or a changed set of jars gets a new archive rather than one the JVM
    would refuse."""
    digest = hashlib.sha256()
    try:
        java = Path(_java()).resolve()
        digest.update(f"{java}:{java.stat().st_mtime_ns}\n".encode())
    except (ServerError, OSError):
        pass  # no Java here: nothing will start with the archive either
    for sub in ("plugins", "lib", PLUGIN_LIBS):
        for jar in sorted((home / sub).glob("*.jar")):
            info = jar.stat()
            digest.update(f"{sub}/{jar.name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return home / "run" / f"classes-{digest.hexdigest()[:16]}.jsa"


def class_archive_flags(home: Path) -> list[str]:
    """The JVM flags for the server's class-data archive: use it when it exists, else write it when this run
    stops (to a ``.part`` file that :func:`stop` keeps only after a clean exit). No flags when
    ``COORDGRAPH_CLASS_ARCHIVE=off``. A JVM that cannot use the archive (another JVM build) starts without it."""
    if os.environ.get(CLASS_ARCHIVE_ENV, "").lower() == "off":
        return []
    archive = class_archive(home)
    if archive.exists():
        return [f"-XX:SharedArchiveFile={archive}"]
    for old in archive.parent.glob("classes-*.jsa*"):
        old.unlink()
    return [f"-XX:ArchiveClassesAtExit={archive}.part"]


def _keep_class_archive(home: Path, clean_exit: bool) -> None:
    for part in (home / "run").glob("classes-*.jsa.part"):
        if clean_exit and part.stat().st_size:
            part.replace(part.with_suffix(""))
        else:
            part.unlink()


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_ready(layout: ServerLayout, timeout: float = 180.0, process: subprocess.Popen | None = None) -> str:
    """Poll Bolt until the server answers and ``gds.version()`` returns; return the GDS version."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, SessionExpired

    password = read_password(layout.password_file) or ""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServerError(
                f"Neo4j exited with code {process.returncode} while starting",
                f"See {layout.console_log} and {layout.home / 'logs'}.",
            )
        try:
            with GraphDatabase.driver(layout.uri, auth=("neo4j", password), connection_timeout=2) as driver:
                with driver.session() as session:
                    return session.run("RETURN gds.version() AS v").single()["v"]
        except AuthError as exc:
            raise ServerError(f"The server refused the stored password: {exc.message}",
                              f"The password file is {layout.password_file}.") from exc
        except ClientError as exc:
            if "gds.version" not in (exc.message or ""):
                last_error = exc
                time.sleep(0.5)
                continue
            # the server answers queries, so waiting longer cannot bring the plugin in
            raise ServerError(
                "Neo4j started, but the Graph Data Science plugin is not loaded",
                f"Its jars belong in {layout.home / 'plugins'}: remove {layout.home / INSTALLED_MARKER} and run "
                f"`coordgraph server install` again. Details: {layout.home / 'logs' / 'neo4j.log'}.",
            ) from exc
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            last_error = exc
            time.sleep(0.5)
    raise ServerError(f"Neo4j did not become ready within {timeout:.0f} s ({last_error})",
                      f"See {layout.console_log}.")


def stop(layout: ServerLayout, timeout: float = 90.0) -> bool:
    """Shut the server down with SIGTERM and wait for it; SIGKILL only after ``timeout``. A class-data archive
    the JVM wrote on its way out is kept only after a clean exit (see :func:`class_archive_flags`).

    Returns False when it was not running.
    """
    pid = read_pid(layout)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    clean_exit = True
    while time.monotonic() < deadline:
        _reap(pid)
        if not _alive(pid):
            break
        time.sleep(0.25)
    else:
        clean_exit = False
        os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            _reap(pid)
            time.sleep(0.1)
    layout.pid_file.unlink(missing_ok=True)
    _keep_class_archive(layout.home, clean_exit)
    return True


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def status(layout: ServerLayout) -> ServerStatus:
    """Running / stopped / not installed, with versions, addresses and data size."""
    installed = is_installed(layout)
    pid = read_pid(layout) if installed else None
    versions = pinned_versions()
    gds_version = None
    state = "not installed" if not installed else ("running" if pid else "stopped")
    if pid:
        try:
            gds_version = wait_ready(layout, timeout=3)
        except ServerError:
            state = "starting"
    data = layout.home / "data"
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) if data.exists() else 0
    return ServerStatus(
        state=state,
        pid=pid,
        neo4j_version=versions["neo4j"] if installed else None,
        gds_version=gds_version or (versions["gds"] if installed else None),
        bolt_uri=layout.uri,
        browser_url=layout.browser_url,
        home=layout.home,
        data_bytes=size,
    )


def import_full(layout: ServerLayout, nodes: dict[str, Path], relationships: dict[str, Path], database: str = "neo4j",
                threads: int | None = None, extra_args: Sequence[str] = (), jvm_args: Sequence[str] = ()) -> str:
    """Replace ``database`` of the stopped server with the graph in the CSV files (``neo4j-admin database import
    full --overwrite-destination``): label -> node file, type -> relationship file. Returns the importer's output.
    ``extra_args`` (importer options; one replaces an option of the same name above) and ``jvm_args`` are for
    measuring variants (``benchmarks/bulk_server.py``)."""
    if read_pid(layout):
        raise ServerError("The server must be stopped before an offline import")
    report = layout.home / "logs" / "import-report.txt"
    args = [
        "database", "import", "full", database, "--overwrite-destination=true", "--multiline-fields=true",
        "--id-type=string", "--skip-duplicate-nodes=false", "--skip-bad-relationships=false", "--bad-tolerance=0",
        "--read-buffer-size=64m", f"--report-file={report}", f"--threads={threads or max(1, os.cpu_count() or 1)}",
        *(f"--nodes={label}={path}" for label, path in nodes.items()),
        *(f"--relationships={rel}={path}" for rel, path in relationships.items()),
    ]
    for extra in extra_args:  # another value for one of the options above replaces it
        name = extra.split("=", 1)[0] + "="
        args = [a for a in args if not a.startswith(name)] + [extra]
    # The admin tool's class itself, in one JVM: neo4j-admin's launcher (ADMIN_CLASS) would start a JVM only to
    # start the importer's in a second one (2.6 s and 3 CPU seconds more per import at 1M events, alternated at load 6-18)
    env = {**os.environ, "NEO4J_HOME": str(layout.home), "NEO4J_CONF": str(layout.home / "conf")}
    command = [_java(), f"-Xmx{importer_heap(layout.heap)}", *JVM_FLAGS, *jvm_args,
               "-cp", f"{layout.home}/conf/*:{layout.home}/lib/*", ADMIN_TOOL_CLASS, *args]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, preexec_fn=_owner_only_umask)
    output = (proc.stdout or "") + (proc.stderr or "")
    if proc.returncode != 0:
        raise ServerError("The offline import failed:\n" + output[-3000:], f"Report: {report}")
    return output


IMPORTER_MIN_HEAP_MB = 1024  # below this the importer ran out of heap on the real samples (64 MB read buffers)


def importer_heap(heap: str) -> str:
    """The importer's heap: the server's (``1500m``, ``2g`` ...), but at least :data:`IMPORTER_MIN_HEAP_MB`."""
    text = heap.strip().lower()
    units = {"k": 1 / 1024, "m": 1, "g": 1024}
    try:
        mb = float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text) / (1 << 20)
    except (ValueError, IndexError):
        return heap
    return heap if mb >= IMPORTER_MIN_HEAP_MB else f"{IMPORTER_MIN_HEAP_MB}m"


def database_paths(layout: ServerLayout, database: str = "neo4j") -> list[Path]:
    """The store and transaction-log folders of ``database`` in the managed server's home."""
    return [layout.home / "data" / "databases" / database, layout.home / "data" / "transactions" / database]


def reset_database(layout: ServerLayout, database: str = "neo4j", log=print) -> list[Path]:
    """Delete ``database``'s store and transaction logs and start the server with a fresh, empty one (the system
    database, users and password are kept). Returns the folders deleted. The disk space comes back; the server is
    started again, so the next load pays for its code's compilation (see :func:`coordgraph.db.clear` for emptying
    a database while the server stays warm)."""
    if database == "system":
        raise ServerError("The system database cannot be reset")
    if not is_installed(layout):
        raise ServerError("The local server is not installed", "Run `coordgraph server install` first.")
    was_running = stop(layout)
    deleted = []
    for folder in database_paths(layout, database):
        if folder.exists():
            shutil.rmtree(folder)
            deleted.append(folder)
    if was_running:
        start(layout, log=log)
    return deleted
