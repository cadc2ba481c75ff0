"""Following up social value: theory of change, indicators with measurements, test cycles,
SROI analyses and an impact report per initiative."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjulet.core.model_fields import (
    choices_constraint,
    not_before_constraint,
    person_field,
    version_field,
)
from hjulet.core.models import TimeStamped
from hjulet.knowledge.models import Initiative
from hjulet.lib import progress
from hjulet.lib.sroi import DEFAULT_DISCOUNT_RATE, MAX_DURATION

PERCENT = [
    MinValueValidator(Decimal(0), message=_("Give a percentage between 0 and 100.")),
    MaxValueValidator(Decimal(100), message=_("Give a percentage between 0 and 100.")),
]
NOT_NEGATIVE = [MinValueValidator(Decimal(0), message=_("The value cannot be negative."))]


def _percent_field(label, help_text=""):
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, default=Decimal(0), validators=PERCENT,
        help_text=help_text,
    )  # fmt: skip


class TheoryOfChange(TimeStamped):
    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="theory_of_change"
    )
    summary = models.TextField(
        _("the change in brief"),
        blank=True,
        help_text=_("If we do this, then that changes for these people, because …"),
    )

    version = version_field()

    class Meta:
        verbose_name = _("theory of change")
        verbose_name_plural = _("theories of change")

    def __str__(self) -> str:
        return str(self.initiative)


class ElementKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    OUTPUT = "output", _("Output")
    SHORT_TERM = "short_term", _("Short-term outcome")
    LONG_TERM = "long_term", _("Long-term outcome")


ELEMENT_ORDER = [k.value for k in ElementKind]


class ChangeElement(models.Model):
    """A box in the theory of change; ``leads_to`` are the arrows to later steps."""

    theory = models.ForeignKey(TheoryOfChange, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(_("step"), max_length=12, choices=ElementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    stakeholders = models.CharField(
        _("stakeholders"),
        max_length=300,
        blank=True,
        help_text=_("Who it concerns, separated by commas, e.g. 'barn 7–12 år, föräldrar'."),
    )
    leads_to = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="comes_from", verbose_name=_("leads to")
    )
    position = models.PositiveIntegerField(default=0)
    version = version_field()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("element of the theory of change")
        verbose_name_plural = _("elements of the theory of change")
        constraints = [choices_constraint("kind", ElementKind, name="changeelement_kind_valid")]

    def __str__(self) -> str:
        return self.title

    @property
    def step(self) -> int:
        return ELEMENT_ORDER.index(self.kind)

    @property
    def stakeholder_list(self) -> list[str]:
        return [s.strip() for s in self.stakeholders.split(",") if s.strip()]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(TimeStamped):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(
        ChangeElement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("outcome it measures"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("E.g. 'personer', '%', 'kr'."))
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    data_source = models.CharField(
        _("data source"), max_length=300, help_text=_("Where the figures come from.")
    )
    breakdown = models.CharField(
        _("breakdown"),
        max_length=100,
        blank=True,
        help_text=_("Optional: what measurements may be broken down by, e.g. 'åldersgrupp'."),
    )
    iris_id = models.CharField(
        _("IRIS+ metric id"),
        max_length=20,
        blank=True,
        help_text=_("Optional reference to a standard metric, e.g. 'PI2822'."),
    )

    version = version_field()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            choices_constraint("direction", Direction, name="indicator_direction_valid"),
            models.CheckConstraint(
                condition=Q(target_date__gt=models.F("baseline_date")),
                name="indicator_target_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER

    def status_of(self, measurement: "Measurement | None") -> str | None:
        if measurement is None:
            return None
        return progress.status(
            higher_is_better=self.higher_is_better,
            baseline=float(self.baseline_value),
            baseline_date=self.baseline_date,
            target=float(self.target_value),
            target_date=self.target_date,
            value=float(measurement.value),
            on=measurement.date,
        )


STATUS_LABELS = {
    "reached": _("Reached"),
    "on_track": _("On track"),
    "behind": _("Behind"),
    None: _("No measurements yet"),
}


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    breakdown_value = models.CharField(
        _("breakdown value"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for the whole group, or e.g. '13–15 år'."),
    )
    created_by = person_field()
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date", "breakdown_value"], name="measurement_once_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.date})"


class Decision(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    ADJUST = "adjust", _("Adjust")
    STOP = "stop", _("Stop")


class TestCycle(TimeStamped):
    """ "Våga testa": a hypothesis tried in practice, what came of it and what we decided."""

    __test__ = False  # not a pytest test class, despite the name

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="test_cycles")
    title = models.CharField(_("title"), max_length=200)
    hypothesis = models.TextField(_("hypothesis"), help_text=_("We believe that … will lead to …"))
    tried = models.TextField(_("what was tried"))
    with_whom = models.CharField(_("with whom"), max_length=300)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    learned = models.TextField(_("what we learned"), blank=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="test_cycles", verbose_name=_("indicators it moved")
    )

    version = version_field()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("test cycle")
        verbose_name_plural = _("test cycles")
        constraints = [
            choices_constraint(
                "decision", ["", "continue", "adjust", "stop"], name="testcycle_decision_valid"
            ),
            not_before_constraint(
                "ended_on", "started_on", name="testcycle_ends_after_start", later_optional=True
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SroiAnalysis(TimeStamped):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="sroi_analyses"
    )
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(
        _("period analysed"), max_length=100, blank=True, help_text=_("E.g. '2025'.")
    )
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(str(DEFAULT_DISCOUNT_RATE)),
        validators=PERCENT,
        help_text=_("3.5 % unless you have a reason to choose another."),
    )
    description = models.TextField(_("scope and method"), blank=True)

    version = version_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SROI analysis")
        verbose_name_plural = _("SROI analyses")

    def __str__(self) -> str:
        return self.title


class SroiStakeholder(models.Model):
    analysis = models.ForeignKey(
        SroiAnalysis, on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(_("stakeholder"), max_length=150)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "name"], name="sroistakeholder_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SroiInput(models.Model):
    analysis = models.ForeignKey(SroiAnalysis, on_delete=models.CASCADE, related_name="inputs")
    stakeholder = models.ForeignKey(
        SroiStakeholder,
        on_delete=models.CASCADE,
        related_name="inputs",
        verbose_name=_("stakeholder"),
    )
    description = models.CharField(_("what was put in"), max_length=200)
    value = models.DecimalField(
        _("value (kr)"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")

    def __str__(self) -> str:
        return self.description


class SroiOutcome(models.Model):
    analysis = models.ForeignKey(SroiAnalysis, on_delete=models.CASCADE, related_name="outcomes")
    stakeholder = models.ForeignKey(
        SroiStakeholder,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("stakeholder"),
    )
    name = models.CharField(_("outcome"), max_length=200)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=NOT_NEGATIVE,
        help_text=_("How many people (or units) experience the change."),
    )
    duration = models.PositiveSmallIntegerField(
        _("duration (years)"),
        validators=[
            MinValueValidator(1, message=_("The duration must be at least one year.")),
            MaxValueValidator(MAX_DURATION, message=_("The duration can be at most 50 years.")),
        ],
    )
    proxy_value = models.DecimalField(
        _("financial proxy (kr per unit and year)"),
        max_digits=12,
        decimal_places=2,
        validators=NOT_NEGATIVE,
    )
    proxy_source = models.CharField(_("source of the proxy"), max_length=300)
    deadweight = _percent_field(
        _("deadweight (%)"), _("The share that would have happened anyway.")
    )
    displacement = _percent_field(
        _("displacement (%)"), _("The share that only moved the problem or value elsewhere.")
    )
    attribution = _percent_field(_("attribution (%)"), _("The share of the change due to others."))
    drop_off = _percent_field(
        _("drop-off (%)"), _("How much of the change fades each year from year two.")
    )

    version = version_field()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.name


class ImpactReport(TimeStamped):
    """The initiative's impact in the five dimensions of the Impact Management Project."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="impact_report"
    )
    what = models.TextField(
        _("what"), blank=True, help_text=_("Which outcomes occur, and how important they are.")
    )
    who = models.TextField(
        _("who"), blank=True, help_text=_("Who experiences them, and how underserved they are.")
    )
    how_much = models.TextField(
        _("how much"), blank=True, help_text=_("How many, how deep a change, for how long.")
    )
    contribution = models.TextField(
        _("contribution"),
        blank=True,
        help_text=_("What would have happened anyway, and what is due to others."),
    )
    risk = models.TextField(
        _("risk"), blank=True, help_text=_("What could make the impact differ from the plan.")
    )
    sroi = models.ForeignKey(
        SroiAnalysis,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SROI analysis shown"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = _("impact report")
        verbose_name_plural = _("impact reports")

    def __str__(self) -> str:
        return str(self.initiative)


class ImpactFigures(models.Model):
    """One initiative's figures for the totals page (``selectors.totals``), kept up to date
    by every impact service inside its own transaction (``services.refresh_figures``), so
    that the totals add up stored rows instead of computing indicator statuses and SROI
    results of every published report on every request. Title, county and societal
    challenges are joined when read, so changes to the initiative need no refresh."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, primary_key=True, related_name="impact_figures"
    )
    indicators = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    on_track = models.PositiveIntegerField(default=0)
    behind = models.PositiveIntegerField(default=0)
    test_cycles = models.PositiveIntegerField(default=0)
    # Floats as sroi.calculate gives them, so that the sums equal a computation from scratch.
    present_value = models.FloatField(default=0.0)
    inputs = models.FloatField(default=0.0)
    ratio = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("impact figures")
        verbose_name_plural = _("impact figures")

    def __str__(self) -> str:
        return f"{self.initiative_id}"
