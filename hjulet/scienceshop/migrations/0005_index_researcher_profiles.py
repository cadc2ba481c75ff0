"""Index the researcher profiles that exist (kind "researcher" in the search index), for the
researcher suggestions; from now on researcher_profile_save keeps the index."""

from django.db import migrations


def index_profiles(apps, schema_editor) -> None:
    from hjulet.scienceshop.indexing import rebuild_researcher_index

    profiles = apps.get_model("scienceshop", "ResearcherProfile").objects.all()
    rebuild_researcher_index(profiles.iterator(chunk_size=1000))


def remove_profiles(apps, schema_editor) -> None:
    from hjulet.core import search

    search.rebuild("researcher", [])


class Migration(migrations.Migration):
    dependencies = [
        ("scienceshop", "0004_researcherprofile_version"),
        ("core", "0007_search_compound_parts_language"),
    ]

    operations = [migrations.RunPython(index_profiles, remove_profiles)]
