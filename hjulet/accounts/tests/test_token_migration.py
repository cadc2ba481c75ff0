"""Tokens that exist when the expiry and scope arrive keep working for 90 days from the
migration, with the read-and-write access they had (issue #15, point 11)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("accounts", "0002_initial")
AFTER = ("accounts", "0003_api_token_expiry_and_scope")


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_get_90_days_and_read_write():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old_apps = executor.loader.project_state([BEFORE]).apps
        User = old_apps.get_model("accounts", "User")
        ApiToken = old_apps.get_model("accounts", "ApiToken")
        user = User.objects.create(email="gammal@exempel.se", password="!")
        created = timezone.now() - datetime.timedelta(days=400)
        ApiToken.objects.create(
            user=user, name="Gammal", key_hash="a" * 64, hint="hjl_gammal", created_at=created
        )
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        migrated_at = timezone.now()
        new_apps = executor.loader.project_state([AFTER]).apps
        token = new_apps.get_model("accounts", "ApiToken").objects.get(name="Gammal")
        assert token.scope == "read_write"
        lifetime = token.expires_at - migrated_at
        assert datetime.timedelta(days=89, hours=23) < lifetime <= datetime.timedelta(days=90)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
