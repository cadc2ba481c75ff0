"""Notifications move from arenas to core (issue 19): the tables are renamed, so every
notification and e-mail choice made before the move is still there after it, and going back
returns them to arenas."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hjulet.accounts.tests.factories import UserFactory

BEFORE = [("arenas", "0001_initial"), ("core", "0007_search_compound_parts_language")]
AFTER = [("core", "0008_notifications_from_arenas")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_notifications_and_preferences_survive_the_move_to_core_and_back():
    user = UserFactory(email="flytt@exempel.se")
    old_apps = migrate(BEFORE)
    try:
        old_apps.get_model("arenas", "Notification").objects.create(
            user_id=user.pk, text="Ny idé i Ersboda", url="/idéer/1/"
        )
        old_apps.get_model("arenas", "NotificationPreference").objects.create(
            user_id=user.pk, frequency="weekly"
        )
        new_apps = migrate(AFTER)
        notification = new_apps.get_model("core", "Notification").objects.get(user_id=user.pk)
        assert (notification.text, notification.url, notification.read_at) == (
            "Ny idé i Ersboda",
            "/idéer/1/",
            None,
        )
        preference = new_apps.get_model("core", "NotificationPreference").objects.get()
        assert preference.frequency == "weekly"
        back_apps = migrate(BEFORE)
        assert back_apps.get_model("arenas", "Notification").objects.get().text == (
            "Ny idé i Ersboda"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
