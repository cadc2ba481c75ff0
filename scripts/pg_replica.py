"""A PostgreSQL streaming replica of the local cluster, on this machine's loopback.

    .venv/bin/python scripts/pg_replica.py start    # make it (first time) and start it
    .venv/bin/python scripts/pg_replica.py status
    .venv/bin/python scripts/pg_replica.py stop     # stop it, keep its folder
    .venv/bin/python scripts/pg_replica.py clean    # stop it and remove its folder

For the replica tests (hjulet/core/tests/test_replica.py), ``benchmarks/replica_two_servers.py``
and trying the two-server set-up of docs/deploy.md by hand. Runs as root (as CI and the
development machines do) and runs PostgreSQL's own programs as the ``postgres`` user.

``start`` is idempotent and quick when the replica exists:

1. checks that the primary (``PG_PRIMARY_HOST``/``PG_PRIMARY_PORT``, 127.0.0.1:5432, user
   ``postgres``) accepts a replication connection from 127.0.0.1. If not, it appends
   ``host replication postgres 127.0.0.1/32 trust`` to the primary's ``pg_hba.conf`` (once,
   marked with a comment) and reloads the primary's configuration: the only change made to
   the primary. ``wal_level`` must be ``replica`` or ``logical`` and ``max_wal_senders`` > 0
   (PostgreSQL's defaults); they need a restart of the primary, so the script only says so;
2. if the replica already runs and streams, does nothing more;
3. if its folder (``PG_REPLICA_DIR``, ``/var/tmp/hjulet-pg-replica``) holds a standby,
   starts it and waits until it streams; a standby that cannot catch up (the primary no
   longer has the WAL it needs) is removed and made again;
4. otherwise copies the whole cluster with ``pg_basebackup -R -X stream --checkpoint=fast``
   (``-R`` writes ``standby.signal`` and the connection to the primary), writes a small
   ``postgresql.conf`` and ``pg_hba.conf`` of its own (Debian keeps the primary's in /etc,
   outside the copy) and starts it on ``PG_REPLICA_PORT`` (5433), listening on 127.0.0.1
   only, with its socket in its own folder.

No replication slot is made, so a replica that is gone never holds WAL back on the primary.
Every database of the primary is on the replica, including the ones made after it started
(a test database, say).
"""

import argparse
import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HBA_LINE = "host replication postgres 127.0.0.1/32 trust"
HBA_MARK = "# hjulet: streaming replica on loopback (scripts/pg_replica.py)"
START_TIMEOUT = int(os.environ.get("PG_REPLICA_TIMEOUT", "90"))  # seconds until it streams
WAL_GONE = "has already been removed"  # the primary no longer has the WAL the replica needs


class ReplicaError(RuntimeError):
    """The replica could not be made or started; the message says why."""


@dataclass(frozen=True)
class Replica:
    primary_host: str = os.environ.get("PG_PRIMARY_HOST", "127.0.0.1")
    primary_port: int = int(os.environ.get("PG_PRIMARY_PORT", "5432"))
    port: int = int(os.environ.get("PG_REPLICA_PORT", "5433"))
    folder: Path = Path(os.environ.get("PG_REPLICA_DIR", "/var/tmp/hjulet-pg-replica"))
    user: str = "postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "replica.log"

    def url(self, database: str) -> str:
        """The replica's address for ``DATABASE_REPLICA_URL``."""
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}"

    # --- running PostgreSQL's programs ------------------------------------------------

    def _psql(self, sql: str, *, port: int | None = None, replication: bool = False) -> str:
        host = self.primary_host if port is None else "127.0.0.1"
        target = f"host={host} port={port or self.primary_port} user={self.user} dbname=postgres"
        if replication:
            target += " replication=true"
        result = subprocess.run(
            [self.bin("psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", target, "-c", sql],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
        )
        if result.returncode != 0:
            raise ReplicaError(result.stderr.strip() or f"psql failed: {sql}")
        return result.stdout.strip()

    def bin(self, program: str) -> str:
        configured = os.environ.get("PG_BIN")
        if configured:
            return str(Path(configured) / program)
        for major in ("17", "16", "15"):
            candidate = Path(f"/usr/lib/postgresql/{major}/bin/{program}")
            if candidate.exists():
                return str(candidate)
        found = shutil.which(program)
        if not found:
            raise ReplicaError(f"{program} not found: set PG_BIN to PostgreSQL's bin folder.")
        return found

    def _as_postgres(self, *command: str, timeout: float = 300) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, cwd="/"
        )

    # --- state --------------------------------------------------------------------------

    def running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        return self._as_postgres(self.bin("pg_ctl"), "status", "-D", str(self.data)).returncode == 0

    def streaming(self) -> bool:
        try:
            return self._psql("SELECT status FROM pg_stat_wal_receiver", port=self.port) == (
                "streaming"
            )
        except ReplicaError:
            return False

    def status(self) -> str:
        if not self.running():
            return "stopped"
        return "streaming" if self.streaming() else "running, not streaming"

    # --- the primary's side -------------------------------------------------------------

    def ensure_primary_allows_replication(self) -> None:
        level = self._psql("SHOW wal_level")
        senders = int(self._psql("SHOW max_wal_senders"))
        if level not in {"replica", "logical"} or senders < 1:
            raise ReplicaError(
                f"The primary has wal_level={level}, max_wal_senders={senders}: set "
                "wal_level=replica and max_wal_senders=10 and restart it."
            )
        with contextlib.suppress(ReplicaError):
            self._psql("IDENTIFY_SYSTEM", replication=True)
            return
        hba = Path(self._psql("SHOW hba_file"))
        text = hba.read_text()
        if HBA_LINE not in text.splitlines():
            hba.write_text(text.rstrip("\n") + f"\n{HBA_MARK}\n{HBA_LINE}\n")
        self._psql("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(ReplicaError):
                self._psql("IDENTIFY_SYSTEM", replication=True)
                return
            time.sleep(0.2)
        raise ReplicaError(
            f"The primary still refuses replication from 127.0.0.1 after adding "
            f"'{HBA_LINE}' to {hba}: an earlier line there may reject it."
        )

    # --- the replica --------------------------------------------------------------------

    def _base_backup(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.folder, "postgres", "postgres")
        if self.data.exists():
            shutil.rmtree(self.data)
        result = self._as_postgres(
            self.bin("pg_basebackup"),
            "-h",
            self.primary_host,
            "-p",
            str(self.primary_port),
            "-U",
            self.user,
            "-D",
            str(self.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",  # a throw-away copy: no need to wait for the disk
        )
        if result.returncode != 0:
            raise ReplicaError(f"pg_basebackup failed: {result.stderr.strip()}")
        (self.data / "postgresql.conf").write_text(
            "# Written by scripts/pg_replica.py: a hot standby on loopback.\n"
            f"port = {self.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.folder}'\n"
            "hot_standby = on\n"
            "hot_standby_feedback = on\n"
            "max_connections = 100\n"
            "shared_buffers = 32MB\n"
            "fsync = off\n"
            "max_standby_streaming_delay = 30s\n"
            "wal_receiver_status_interval = 1s\n"
        )
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (self.data / "pg_ident.conf").write_text("")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(self.data / name, "postgres", "postgres")

    def _start_server(self) -> None:
        self.log.touch()
        shutil.chown(self.log, "postgres", "postgres")
        # A postmaster.pid left by a killed replica is checked by PostgreSQL itself.
        result = self._as_postgres(
            self.bin("pg_ctl"),
            "start",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            str(START_TIMEOUT),
        )
        if result.returncode != 0:
            raise ReplicaError(
                f"The replica did not start: {result.stderr.strip() or result.stdout.strip()}\n"
                f"{self.log_tail()}"
            )

    def _wait_streaming(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.streaming():
                return True
            if WAL_GONE in self.log_tail(5):
                return False
            time.sleep(0.2)
        return False

    def _not_ready(self) -> ReplicaError:
        """Why a running replica does not answer: usually a long transaction on the primary
        with more than 64 savepoints, after which a hot standby waits for the transaction
        to end before it takes connections."""
        long_ones = ""
        with contextlib.suppress(ReplicaError):
            long_ones = self._psql(
                "SELECT string_agg(format('pid %s in %s, %s for %s s', pid, datname, state, "
                "round(extract(epoch FROM now() - xact_start))), '; ') FROM pg_stat_activity "
                "WHERE xact_start < now() - interval '30 seconds' AND pid <> pg_backend_pid()"
            )
        return ReplicaError(
            f"The replica runs but does not stream or take connections after {START_TIMEOUT} s"
            " (PG_REPLICA_TIMEOUT). A hot standby waits for long transactions with many "
            "savepoints on the primary to end"
            + (f"; long transactions there now: {long_ones}" if long_ones else "")
            + f".\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def start(self) -> str:
        """Make and start the replica unless it streams already; returns what was done."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self.ensure_primary_allows_replication()
            if self.running() and self.streaming():
                return "already streaming"
            if (self.data / "standby.signal").exists():
                was_running = self.running()
                if not was_running:
                    with contextlib.suppress(ReplicaError):
                        self._start_server()
                if self.running():
                    if self._wait_streaming(START_TIMEOUT):
                        return "already streaming" if was_running else "started"
                    if WAL_GONE not in self.log_tail():
                        raise self._not_ready()
                self._stop_server()  # it cannot catch up: copy the primary again
            self._base_backup()
            self._start_server()
            if not self._wait_streaming(START_TIMEOUT):
                raise self._not_ready()
            return "copied and started"

    def _stop_server(self) -> None:
        if self.running():
            self._as_postgres(self.bin("pg_ctl"), "stop", "-D", str(self.data), "-m", "fast")

    def stop(self) -> None:
        self._stop_server()

    def clean(self) -> None:
        self._stop_server()
        shutil.rmtree(self.folder, ignore_errors=True)

    def wait_replayed(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary had written when
        this was called."""
        target = self._psql("SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            behind = self._psql(
                f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn()) > 0",
                port=self.port,
            )
            if behind == "f":
                return
            time.sleep(0.05)
        raise ReplicaError(f"The replica did not replay up to {target} in {timeout} s.")

    def pause_replay(self) -> None:
        self._psql("SELECT pg_wal_replay_pause()", port=self.port)

    def resume_replay(self) -> None:
        self._psql("SELECT pg_wal_replay_resume()", port=self.port)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "clean", "status"])
    arguments = parser.parse_args()
    replica = Replica()
    try:
        if arguments.command == "start":
            started = time.perf_counter()
            done = replica.start()
            print(
                f"Replica of {replica.primary_host}:{replica.primary_port} on "
                f"127.0.0.1:{replica.port} ({replica.data}): {done} in "
                f"{time.perf_counter() - started:.1f} s"
            )
        elif arguments.command == "stop":
            replica.stop()
            print("stopped")
        elif arguments.command == "clean":
            replica.clean()
            print(f"stopped and removed {replica.folder}")
        else:
            print(replica.status())
    except ReplicaError as error:
        sys.exit(f"pg_replica: {error}")


if __name__ == "__main__":
    main()
