"""Named editors of an initiative, and partnerships that wait for the partner's consent.

Existing data: every partnership that exists now counts as accepted (the organisations were
shown as partners already, and nobody could have asked them); the person who registered each
initiative becomes a named editor of it, so that nobody who could edit their own initiative
before loses that silently. Members of the lead organisation who are neither administrators
nor the creator lose the right to edit; the lead's administrators can name them editors.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def creators_become_editors(apps, schema_editor):
    Initiative = apps.get_model("knowledge", "Initiative")
    InitiativeEditor = apps.get_model("knowledge", "InitiativeEditor")
    pairs = Initiative.objects.filter(created_by__isnull=False).values_list("pk", "created_by_id")
    batch = []
    for initiative_id, user_id in pairs.iterator(chunk_size=2000):
        batch.append(InitiativeEditor(initiative_id=initiative_id, user_id=user_id))
        if len(batch) >= 1000:
            InitiativeEditor.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    InitiativeEditor.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("knowledge", "0003_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InitiativeEditor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="named")),
            ],
            options={
                "verbose_name": "initiative editor",
                "verbose_name_plural": "initiative editors",
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="partnership",
            name="requested_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="requested"),
        ),
        migrations.AddField(
            model_name="partnership",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="requested by",
            ),
        ),
        # Rows that exist already are accepted partnerships; new rows wait for consent.
        migrations.AddField(
            model_name="partnership",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting for the organisation to accept"),
                    ("accepted", "Accepted"),
                ],
                default="accepted",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="partnership",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting for the organisation to accept"),
                    ("accepted", "Accepted"),
                ],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(
                fields=["organisation", "status"], name="partnership_org_status_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="partnership",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "accepted"])),
                name="partnership_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "lead"), _negated=True),
                    ("status", "accepted"),
                    _connector="OR",
                ),
                name="partnership_lead_accepted",
            ),
        ),
        migrations.AddField(
            model_name="initiativeeditor",
            name="added_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="named by",
            ),
        ),
        migrations.AddField(
            model_name="initiativeeditor",
            name="initiative",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="editors",
                to="knowledge.initiative",
                verbose_name="initiative",
            ),
        ),
        migrations.AddField(
            model_name="initiativeeditor",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="initiative_editor_roles",
                to=settings.AUTH_USER_MODEL,
                verbose_name="person",
            ),
        ),
        migrations.AddConstraint(
            model_name="initiativeeditor",
            constraint=models.UniqueConstraint(
                fields=("initiative", "user"), name="initiative_editor_unique"
            ),
        ),
        migrations.RunPython(creators_become_editors, migrations.RunPython.noop),
    ]
