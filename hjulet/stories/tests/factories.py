from hjulet.knowledge.tests.factories import make_initiative, make_method
from hjulet.stories import services


def story_by_resident(resident, initiative, **fields):
    defaults = {
        "title": "Grannarna som lagade cyklar",
        "text": "Varje torsdag lagade vi cyklar på gården. Barnen kom först, sedan föräldrarna.",
    }
    return services.story_create(actor=resident, initiatives=[initiative], **{**defaults, **fields})


__all__ = ["make_initiative", "make_method", "story_by_resident"]
