"""Notifications are told by every app now, so they move to core (core 0008 takes them
over). The tables are renamed, not copied: no row is lost and ids stay the same."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("arenas", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("notification", "core_notification"),
                migrations.AlterModelTable("notificationpreference", "core_notificationpreference"),
            ],
            state_operations=[
                migrations.DeleteModel("Notification"),
                migrations.DeleteModel("NotificationPreference"),
            ],
        ),
    ]
