"""A throwaway PostgreSQL + PostGIS cluster for the tests, started from the Debian packages.

``initdb`` into a fresh temporary directory, ``pg_ctl start`` listening on
127.0.0.1 (a free port) and a unix socket in that directory only, trust
authentication for local connections plus one password-protected role, then
``CREATE EXTENSION postgis`` in a test database. initdb refuses to run as root,
so under root (as in CI) the server runs as the ``postgres`` user the Debian
package creates, through ``runuser``. Nothing outside the temporary directory
is touched; ``stop`` removes it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "postgresql-15-postgis-3"
DATABASE = "lzt_test"
PASSWORD_ROLE = "lzt_pw"  # authenticates with a password (scram) over TCP
PASSWORD = "s3cret-pässwörd"


def find_bindir() -> Path | None:
    """The newest PostgreSQL bin directory that has a PostGIS extension beside it."""
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        version = Path(bindir).parent.name
        if (Path(bindir) / "initdb").exists() and \
                Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return Path(bindir)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running throwaway cluster."""

    bindir: Path
    root: Path
    port: int
    run_as: str | None  # OS user the server runs as (None: the current user)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, user: str = "postgres", database: str = DATABASE, schema: str | None = None,
            password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        tail = f"?schema={schema}" if schema else ""
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}{tail}"

    def _cmd(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.run_as, "--"] if self.run_as else []) + list(args)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        r = subprocess.run(self._cmd(*args), capture_output=True, text=True, cwd=self.root, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {r.stdout[-1500:]} {r.stderr[-1500:]}")
        return r

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                                     "-w", "stop"), capture_output=True, cwd=self.root, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def start(durable: bool = False) -> Cluster:
    """Start a cluster with PostGIS in database ``lzt_test``; raises RuntimeError on failure.

    ``durable=False`` (tests) turns fsync off; benchmarks ask for a server that syncs as
    a real one does.
    """
    import psycopg

    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError(f"PostgreSQL with PostGIS not found (apt-get install {PACKAGE})")
    run_as = None
    # Under root the server runs as 'postgres', which must reach the directory: /tmp always lets it
    # ($TMPDIR may point into root's home).
    root = Path(tempfile.mkdtemp(prefix="lzt-pg-", dir="/tmp" if os.geteuid() == 0 else None))
    if os.geteuid() == 0:
        run_as = "postgres"
        try:
            pw = pwd.getpwnam(run_as)
        except KeyError:
            raise RuntimeError("running as root but there is no 'postgres' user to run the server") from None
        os.chown(root, pw.pw_uid, pw.pw_gid)
    os.chmod(root, 0o700 if run_as is None else 0o755)
    cluster = Cluster(bindir=bindir, root=root, port=_free_port(), run_as=run_as)
    try:
        cluster.run(str(bindir / "initdb"), "-D", str(cluster.data), "-U", "postgres", "-E", "UTF8",
                    "--locale=C", "--auth=trust")
        hba = (f"local all all trust\n"
               f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n"
               f"host all all 127.0.0.1/32 trust\n")
        (cluster.data / "pg_hba.conf").write_text(hba)
        if run_as:
            pw = pwd.getpwnam(run_as)
            os.chown(cluster.data / "pg_hba.conf", pw.pw_uid, pw.pw_gid)
        for attempt in range(3):
            opts = (f"-c listen_addresses=127.0.0.1 -c port={cluster.port} -c unix_socket_directories={root} "
                    "-c max_connections=60 -c shared_buffers=128MB -c max_wal_size=2GB "
                    "-c maintenance_work_mem=256MB")
            if not durable:
                opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            try:
                cluster.run(str(bindir / "pg_ctl"), "-D", str(cluster.data), "-o", opts, "-l",
                            str(root / "server.log"), "-w", "-t", "60", "start")
                break
            except RuntimeError:  # the port was taken meanwhile: try another
                if attempt == 2:
                    raise
                cluster.port = _free_port()
        with psycopg.connect(cluster.url(database="postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
            conn.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}'")
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
            conn.execute(f"GRANT CREATE ON DATABASE {DATABASE} TO {PASSWORD_ROLE}")
    except BaseException as exc:
        log = root / "server.log"
        detail = log.read_text()[-1500:] if log.exists() else ""
        cluster.stop()
        raise RuntimeError(f"could not start the test PostgreSQL cluster: {exc} {detail}") from None
    return cluster
