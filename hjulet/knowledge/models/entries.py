"""Methods and initiatives: the entries of the knowledge bank."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import municipality_field, person_field, terms_field, version_field
from hjulet.core.models import Term, TimeStamped, Vocabulary
from hjulet.lib import countries


class Language(models.TextChoices):
    """The languages a text may be written in (search analyses each in its own)."""

    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class Entry(TimeStamped):
    """What methods and initiatives share: text, tags, review and concurrency control."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences: what is it, for whom?")
    )
    challenges = terms_field(Vocabulary.CHALLENGE, _("societal challenges"))
    target_groups = terms_field(Vocabulary.TARGET_GROUP, _("target groups"))
    sdgs = terms_field(Vocabulary.SDG, _("Agenda 2030 goals"))
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("What is known about the effects, and how.")
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.SWEDISH,
        help_text=_("The language the text is written in."),
    )
    links = models.TextField(_("links"), blank=True, help_text=_("One web address per line."))
    is_reviewed = models.BooleanField(_("reviewed"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = person_field()
    is_featured = models.BooleanField(_("featured"), default=False)
    created_by = person_field()
    version = version_field()
    pictures = GenericRelation("core.Picture")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Method(Entry):
    """A reusable way of working: what, how, why and what it takes."""

    what = models.TextField(_("what it is"))
    how = models.TextField(_("how it is done"), blank=True)
    why = models.TextField(_("why it works"), blank=True)
    requirements = models.TextField(
        _("what it takes"), blank=True, help_text=_("People, premises, money, time, partners.")
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="methods",
        verbose_name=_("organisations that develop the method"),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        indexes = [models.Index(fields=["-is_featured", "title"], name="method_featured_idx")]


class Initiative(Entry):
    """A concrete effort in a place, by partner organisations, possibly using methods."""

    description = models.TextField(_("description"), blank=True)
    municipality = municipality_field(
        optional=True, related_name="initiatives", help_text=_("For an initiative in Sweden.")
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        default=countries.SWEDEN,
        help_text=_("Sweden, or the country of an international example."),
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Town, city or region of an international example."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        Organisation,
        through="Partnership",
        related_name="initiatives",
        verbose_name=_("partner organisations"),
    )
    methods = models.ManyToManyField(
        Method, blank=True, related_name="initiatives", verbose_name=_("methods used")
    )
    stage = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary__slug": Vocabulary.STAGE},
        verbose_name=_("stage"),
    )
    start_date = models.DateField(_("started"), null=True, blank=True)
    end_date = models.DateField(_("ended"), null=True, blank=True)
    participants_reached = models.PositiveIntegerField(
        _("participants reached"), null=True, blank=True
    )
    results = models.TextField(_("results"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_ends_after_start",
            ),
            # A Swedish municipality, or (outside Sweden) a country and a place.
            models.CheckConstraint(
                condition=(Q(country=countries.SWEDEN) & Q(municipality__isnull=False))
                | (
                    ~Q(country=countries.SWEDEN)
                    & ~Q(country="")
                    & Q(municipality__isnull=True)
                    & ~Q(place="")
                ),
                name="initiative_swedish_or_international",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "stage"], name="initiative_place_stage_idx"),
            models.Index(fields=["-created_at"], name="initiative_created_idx"),
            # A filtered list by place, newest first, read from the index alone.
            models.Index(
                fields=["municipality", "-created_at", "-id"], name="initiative_place_created_idx"
            ),
            models.Index(fields=["title"], name="initiative_title_idx"),
            models.Index(fields=["country"], name="initiative_country_idx"),
        ]

    @property
    def is_international(self) -> bool:
        return bool(self.country) and self.country != countries.SWEDEN

    @property
    def country_name(self) -> str:
        language = "en" if (get_language() or "sv").startswith("en") else "sv"
        return countries.country_name(self.country, language)

    @property
    def place_name(self) -> str:
        """Where it is: the municipality, or "place, country" for an international example."""
        if self.is_international:
            names = {countries.country_name(self.country, lang) for lang in ("sv", "en")}
            if self.place in names:  # a case that named no town: the country says it all
                return self.country_name
            return ", ".join(part for part in (self.place, self.country_name) if part)
        return self.municipality.name if self.municipality_id else ""

    def clean(self) -> None:
        super().clean()
        self.country = (self.country or "").strip().upper()
        self.place = (self.place or "").strip()
        if not countries.is_country(self.country):
            raise ValidationError(
                {"country": _("“%(code)s” is not a country code.") % {"code": self.country}}
            )
        if self.is_international:
            errors = {}
            if not self.place:
                errors["place"] = _("Fill in the place (town, city or region) of the example.")
            if self.municipality_id is not None:
                errors["municipality"] = _(
                    "A Swedish municipality cannot be chosen for an example outside Sweden."
                )
            if errors:
                raise ValidationError(errors)
        elif self.municipality_id is None:
            raise ValidationError(
                {
                    "municipality": _(
                        "Choose the municipality, or choose another country for an "
                        "international example."
                    )
                }
            )
