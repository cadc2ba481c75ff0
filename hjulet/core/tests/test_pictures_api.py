"""The pictures API: multipart upload, the list on the object's schema, replace and delete,
with the same rights and messages as the pages."""

import pytest

from hjulet.core.models import Picture
from hjulet.knowledge.tests.factories import make_initiative

from .test_pictures import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(member):
    return make_initiative(member)


def test_upload_list_replace_and_delete(as_user, member, initiative):
    api = as_user(member)
    url = f"/api/v1/pictures/initiative/{initiative.pk}"
    response = api.post(url, {"image": photo(), "alt_text": "Barn vid ett bord"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["alt_text"] == "Barn vid ett bord"
    assert [size["width"] for size in body["sizes"]] == [400, 800, 1200]
    assert as_user(None).get(body["sizes"][0]["url"]).status_code == 200

    listed = as_user(None).get(url).json()
    assert [p["id"] for p in listed] == [body["id"]]
    detail = as_user(None).get(f"/api/v1/initiatives/{initiative.pk}").json()
    assert detail["pictures"] == listed

    replaced = api.post(f"/api/v1/pictures/{body['id']}", {"alt_text": "", "is_decorative": "true"})
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["is_decorative"] is True

    assert api.delete(f"/api/v1/pictures/{body['id']}").status_code == 204
    assert not Picture.objects.exists()


def test_refusals_are_json_with_a_swedish_message(as_user, member, outsider, initiative):
    url = f"/api/v1/pictures/initiative/{initiative.pk}"
    refused = as_user(member).post(url, {"image": photo(), "alt_text": ""})
    assert refused.status_code == 400
    assert "Beskriv vad bilden visar" in refused.json()["errors"]["alt_text"][0]
    assert as_user(outsider).post(url, {"image": photo(), "alt_text": "X"}).status_code == 403
    assert as_user(None).post(url, {"image": photo(), "alt_text": "X"}).status_code == 401
    assert as_user(None).get("/api/v1/pictures/initiative/999999").status_code == 404
    assert as_user(None).get("/api/v1/pictures/planet/1").status_code == 404
    assert not Picture.objects.exists()
