"""gunicorn with the project's configuration (``config/gunicorn.conf.py``) on a free loopback
port, in a process group of its own: started, waited for and stopped the same way by the
tests of the set-up past one machine (``hjulet/core/tests/app_servers.py``) and by the load
benchmarks (``benchmarks/load_test.py``, ``benchmarks/replica_two_servers.py``).

Standard library only: the benchmarks import it before Django is set up."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """gunicorn with ``workers`` sync workers on 127.0.0.1:``port``, its output in ``log``."""
    with log.open("w") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--config",
                str(ROOT / "config" / "gunicorn.conf.py"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_ready(
    process: subprocess.Popen,
    ready: Callable[[], bool],
    *,
    name: str,
    timeout: float,
    interval: float,
    log_tail: Callable[[], str],
) -> None:
    """Poll ``ready`` until it holds; raise with the log's end when the server stops first
    or does not get ready within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped:\n{log_tail()}")
        if ready():
            return
        time.sleep(interval)
    raise RuntimeError(f"{name} did not answer in {timeout} s:\n{log_tail()}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, SIGKILL when it has not stopped in 20 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
