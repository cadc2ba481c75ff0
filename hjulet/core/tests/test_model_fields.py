"""The shared field and constraint factories build what the models wrote out by hand: equal
constraints and fields are what keeps ``makemigrations`` quiet."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from hjulet.core import model_fields


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


def test_choices_constraint_takes_a_choices_class_or_the_values():
    by_hand = models.CheckConstraint(
        condition=Q(colour__in=["red", "blue"]), name="thing_colour_valid"
    )
    assert model_fields.choices_constraint("colour", Colour, name="thing_colour_valid") == by_hand
    assert (
        model_fields.choices_constraint("colour", ("red", "blue"), name="thing_colour_valid")
        == by_hand
    )


def test_not_before_constraint_allows_an_empty_later_date_only_when_optional():
    required = model_fields.not_before_constraint("ends_on", "starts_on", name="ends_after")
    optional = model_fields.not_before_constraint(
        "ends_on", "starts_on", name="ends_after", later_optional=True
    )
    assert required.condition == Q(ends_on__gte=F("starts_on"))
    assert optional.condition == Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on"))


def test_exactly_one_constraint():
    constraint = model_fields.exactly_one_constraint("a", "b", name="one_of_a_b")
    assert constraint.condition == (Q(a__isnull=False) & Q(b__isnull=True)) | (
        Q(a__isnull=True) & Q(b__isnull=False)
    )


def test_person_field_is_emptied_with_the_account_and_has_no_reverse_accessor():
    *_, kwargs = model_fields.person_field("decided by", blank=False).deconstruct()
    assert kwargs["to"] == settings.AUTH_USER_MODEL.lower()
    assert kwargs["on_delete"] is models.SET_NULL
    assert kwargs["null"] is True and "blank" not in kwargs
    assert kwargs["related_name"] == "+"
    assert kwargs["verbose_name"] == "decided by"


def test_each_call_gives_a_new_field():
    assert model_fields.version_field() is not model_fields.version_field()
