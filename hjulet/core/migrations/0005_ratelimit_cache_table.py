"""The table in which rate-limited attempts are counted when no Redis is configured
(``CACHES["ratelimit"]``, hjulet.core.cache.RateLimitCache). A migration rather than
``manage.py createcachetable`` so that every installation and test database has it."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "hjulet_ratelimit"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0  # set by handle(), which a migration does not call
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_temporary_upload"),
    ]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
