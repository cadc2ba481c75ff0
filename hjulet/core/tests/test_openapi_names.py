"""The OpenAPI document names each schema by its class name, so two different schemas with
one name make one of them vanish: the document then shows the wrong body for an operation
(the science shop's question was documented with the surveys' question)."""

from collections import defaultdict

from ninja import Schema


def hjulet_schemas() -> list[type[Schema]]:
    import config.urls  # noqa: F401  (loads every app's API and its schemas)

    found, todo = [], list(Schema.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("hjulet."):
            found.append(cls)
    return found


def test_schemas_that_share_a_name_are_the_same_schema():
    by_name = defaultdict(list)
    for cls in hjulet_schemas():
        by_name[cls.__name__].append(cls)
    clashes = {
        name: [cls.__module__ for cls in classes]
        for name, classes in by_name.items()
        if len({str(cls.model_json_schema()) for cls in classes}) > 1
    }
    assert clashes == {}


def test_the_science_shops_question_is_documented_with_its_own_fields(client):
    document = client.get("/api/openapi.json").json()
    body = document["paths"]["/api/v1/questions"]["post"]["requestBody"]["content"]
    reference = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = document["components"]["schemas"][reference]["properties"]
    assert {"organisation", "background", "wanted_knowledge"} <= set(fields)
