"""The pg_dump kind: the engine's own tools, connection settings through the environment."""

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections

from ._common import (
    BackupError,
    _backed_up_models,
    _check_counts,
)


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's environment for the database: the password never goes on a command line."""
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS", {})
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(key):
            environment[variable] = str(options[key])
    return environment


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client tools (Debian: "
            "postgresql-client), or make a portable backup with --portable."
        )
    return found


def _run(command: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, check=False)
    if completed.returncode != 0:
        error = completed.stderr.decode("utf-8", "replace").strip()
        raise BackupError(f"{Path(command[0]).name} failed: {error}")


def _pg_dump(destination: Path) -> dict[str, int]:
    """Dump the database in the snapshot in which the rows are counted: a connection of its
    own opens a repeatable-read transaction, exports its snapshot and counts every table;
    ``pg_dump --snapshot`` reads exactly those rows."""
    dump = _tool("pg_dump")
    snapshot_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    snapshot_connection.settings_dict = dict(connection.settings_dict)
    try:
        with snapshot_connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = {}
            for model in _backed_up_models():
                table = snapshot_connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT count(*) FROM {table}")
                counts[model._meta.label_lower] = cursor.fetchone()[0]
            _run(
                [
                    dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--exclude-table-data=django_session",
                    f"--file={destination}",
                ],
                _pg_environment(connection.settings_dict),
            )
            cursor.execute("COMMIT")
    finally:
        snapshot_connection.close()
    return counts


def _pg_restore(archive: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    """Replace the database with the dump in one transaction (``--single-transaction``): a
    failure leaves it as it was. Other connections must not hold locks (stop the site
    first); after ``lock_timeout`` the restore gives up instead of waiting for them."""
    if connection.vendor != "postgresql":
        raise BackupError("This backup was made with pg_dump and restores into PostgreSQL only.")
    if connection.in_atomic_block:
        raise BackupError("A pg_dump backup cannot be restored inside a transaction.")
    restore_tool = _tool("pg_restore")
    try:
        member = archive.getmember("database.dump")
    except KeyError as error:
        raise BackupError("The backup has no database.dump.") from error
    dump = folder / "database.dump"
    with dump.open("wb") as out:
        shutil.copyfileobj(archive.extractfile(member), out)
    settings_dict = dict(connection.settings_dict)
    connection.close()  # our own connection must not hold the tables either
    environment = _pg_environment(settings_dict)
    environment["PGOPTIONS"] = "-c lock_timeout=60s"
    _run(
        [
            restore_tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        environment,
    )
    _check_counts(manifest["rows"])


# --- restoring --------------------------------------------------------------------------
