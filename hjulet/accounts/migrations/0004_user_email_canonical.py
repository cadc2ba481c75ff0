"""Every account gets the canonical form of its address (hjulet.lib.emails), unique, and is
found by it from now on.

Two existing accounts can have addresses that differ but are the same address in canonical
form (``medlem@exempel.se`` and ``medlem@exempel.ſe`` could both be registered on SQLite,
whose case-insensitive match knows only ASCII). The account that joined first keeps the
address; each later one is closed (``is_active`` False) and gets a canonical form that no
address can have, so nobody can log in to it or be sent links for it until an operator merges
or reopens it by hand. The migration prints every such account.
"""

from django.db import migrations, models

from hjulet.lib.emails import InvalidEmail, canonical_email

BATCH = 1000


def canonical_or_lower(address: str) -> str:
    try:
        return canonical_email(address)
    except InvalidEmail:
        # Not an address (an old createsuperuser typo, say): nothing will find it by a typed
        # address either, but it keeps a unique value.
        return address.strip().lower()


def fill_canonical(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    seen: dict[str, int] = {}
    pending = []
    users = User.objects.order_by("date_joined", "pk").only("pk", "email", "is_active")
    for user in users.iterator(chunk_size=BATCH):
        canonical = canonical_or_lower(user.email)
        if canonical in seen:
            print(
                f"\n  accounts: user #{user.pk} ({user.email}) has the same address as user "
                f"#{seen[canonical]}; it is closed until an operator merges the two."
            )
            # '#' cannot be in a canonical domain, so no typed address finds this account.
            canonical = f"{canonical}#duplicate-of-{seen[canonical]}-{user.pk}"
            user.is_active = False
        else:
            seen[canonical] = user.pk
        user.email_canonical = canonical
        pending.append(user)
        if len(pending) >= BATCH:
            User.objects.bulk_update(pending, ["email_canonical", "is_active"])
            pending = []
    if pending:
        User.objects.bulk_update(pending, ["email_canonical", "is_active"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_token_expiry_and_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_canonical",
            field=models.CharField(
                editable=False,
                max_length=320,
                null=True,
                verbose_name="canonical e-mail address",
            ),
        ),
        migrations.RunPython(fill_canonical, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="user",
            name="email_canonical",
            field=models.CharField(
                editable=False,
                max_length=320,
                unique=True,
                verbose_name="canonical e-mail address",
            ),
        ),
    ]
