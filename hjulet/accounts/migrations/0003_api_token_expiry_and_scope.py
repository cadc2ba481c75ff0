"""API tokens get an expiry and a scope (issue #15, point 11).

Tokens that exist when this runs never expired and could write: they keep working for 90 days
from the migration (then they must be made anew) with the scope ``read_write`` they had."""

import datetime

from django.db import migrations, models
from django.utils import timezone

EXISTING_TOKENS_LIFETIME = datetime.timedelta(days=90)


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.update(expires_at=timezone.now() + EXISTING_TOKENS_LIFETIME)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")],
                default="read_write",
                max_length=10,
                verbose_name="scope",
            ),
            preserve_default=False,
        ),
        # The default fills the existing rows (the time of the migration); the data migration
        # at the end moves it 90 days on. No ALTER TABLE follows an UPDATE (PostgreSQL refuses
        # that in one transaction while the foreign key's trigger events are pending).
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=timezone.now, verbose_name="expires"),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("scope__in", ["read", "read_write"])),
                name="api_token_scope_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("expires_at__gt", models.F("created_at"))),
                name="api_token_expires_after_creation",
            ),
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
    ]
