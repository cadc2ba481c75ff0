"""The knowledge bank: methods, initiatives and how they spread (adaptations)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.models import Municipality, Term, TimeStamped, Vocabulary
from hjulet.lib import countries


def _terms(slug: str) -> dict:
    return {"vocabulary__slug": slug}


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
    challenges = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to=_terms(Vocabulary.CHALLENGE),
        verbose_name=_("societal challenges"),
    )
    target_groups = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to=_terms(Vocabulary.TARGET_GROUP),
        verbose_name=_("target groups"),
    )
    sdgs = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to=_terms(Vocabulary.SDG),
        verbose_name=_("Agenda 2030 goals"),
    )
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
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
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
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("municipality"),
        help_text=_("For an initiative in Sweden."),
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
        limit_choices_to=_terms(Vocabulary.STAGE),
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


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    RESEARCHER = "researcher", _("Research partner")


class PartnershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organisation to accept")
    ACCEPTED = "accepted", _("Accepted")


class PartnershipQuerySet(models.QuerySet):
    def accepted(self) -> "PartnershipQuerySet":
        """The partnerships anyone may see: a requested one shows once the organisation
        accepts it."""
        return self.filter(status=PartnershipStatus.ACCEPTED)

    def pending(self) -> "PartnershipQuerySet":
        return self.filter(status=PartnershipStatus.PENDING)


class Partnership(models.Model):
    """An organisation's part in an initiative. The lead is accepted from the start; any
    other organisation is asked first (``pending``) and shown only once its administrators
    accept."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="partnership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartnerRole.values), name="partnership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PartnershipStatus.values), name="partnership_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(role=PartnerRole.LEAD) | Q(status=PartnershipStatus.ACCEPTED),
                name="partnership_lead_accepted",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="partnership_org_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == PartnershipStatus.PENDING


class InitiativeEditor(models.Model):
    """A person the lead organisation's administrators (or a coordinator) named to edit an
    initiative and follow up its impact, whichever organisation they belong to."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="editors", verbose_name=_("initiative")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiative_editor_roles",
        verbose_name=_("person"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named by"),
    )
    created_at = models.DateTimeField(_("named"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("initiative editor")
        verbose_name_plural = _("initiative editors")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiative_editor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.initiative})"


class Adaptation(TimeStamped):
    """Initiative B adapted a method or an initiative A to a new place or new actors."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="adaptations_made",
        verbose_name=_("adapting initiative"),
    )
    source_method = models.ForeignKey(
        Method,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adaptations",
        verbose_name=_("adapted method"),
    )
    source_initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adapted_by",
        verbose_name=_("adapted initiative"),
    )
    what_changed = models.TextField(_("what was changed"))
    why = models.TextField(_("why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_method__isnull=False) & Q(source_initiative__isnull=True))
                | (Q(source_method__isnull=True) & Q(source_initiative__isnull=False)),
                name="adaptation_exactly_one_source",
            ),
            models.CheckConstraint(
                condition=~Q(source_initiative=models.F("initiative")),
                name="adaptation_not_of_itself",
            ),
            models.UniqueConstraint(
                fields=["initiative", "source_method"],
                condition=Q(source_method__isnull=False),
                name="adaptation_method_once",
            ),
            models.UniqueConstraint(
                fields=["initiative", "source_initiative"],
                condition=Q(source_initiative__isnull=False),
                name="adaptation_initiative_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} ← {self.source}"

    @property
    def source(self) -> Method | Initiative:
        return self.source_method or self.source_initiative


class ImportBatch(models.Model):
    """An uploaded spreadsheet of initiatives, kept between the preview and the import."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, not imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        HJULET = "hjulet", _("Hjulet's columns")
        PARTICIPEDIA = "participedia", _("Participedia cases")
        PARTICIPEDIA_METHODS = "pmethods", _("Participedia methods")

    class Phase(models.TextChoices):
        QUEUED_CHECK = "queued", _("Waiting to be checked")
        CHECKING = "checking", _("Checking")
        QUEUED_IMPORT = "waiting", _("Waiting to be imported")
        IMPORTING = "importing", _("Importing")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=4)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    content = models.BinaryField(_("file content"))
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    report = models.JSONField(_("check per row"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    imported_count = models.PositiveIntegerField(_("initiatives imported"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows with errors skipped"), default=0)
    warning_count = models.PositiveIntegerField(_("rows with warnings"), default=0)
    #: For files read through a column mapping (not Participedia's): the file's header, the
    #: field each column feeds ("" to ignore it) and defaults for empty cells; see
    #: ``import_mapping``.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    # Files over IMPORT_BACKGROUND_ROWS rows are checked and imported by a task
    # (import_jobs.py); ``phase`` says what the task is doing now, empty when nothing runs.
    in_background = models.BooleanField(_("in the background"), default=False)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done in the phase"), default=0)
    phase_started_at = models.DateTimeField(_("phase started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: The worker's heartbeat while it checks (written with the progress); while it
    #: imports, the progress file's time is the heartbeat (the batch row is locked).
    updated_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    failure = models.TextField(_("why it failed"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["previewed", "imported", "failed"]),
                name="importbatch_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(format__in=["hjulet", "participedia", "pmethods"]),
                name="importbatch_format_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.filename


class ImportValueMapping(TimeStamped):
    """What a value of an imported file means in one of Hjulet's vocabularies: a term, or
    nothing (``term`` empty: the value is skipped). Coordinators keep the table; the import
    of Participedia's issues, topics and target groups reads it, and so does the import of
    Hjulet's own columns for values that are not codes or names of a term."""

    class Source(models.TextChoices):
        PARTICIPEDIA = "participedia", _("Participedia")
        HJULET = "hjulet", _("Hjulet's columns")

    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    vocabulary = models.ForeignKey(
        Vocabulary, on_delete=models.CASCADE, related_name="+", verbose_name=_("vocabulary")
    )
    value = models.CharField(_("value in the file"), max_length=200)
    key = models.CharField(max_length=200, editable=False)
    term = models.ForeignKey(
        Term,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("term"),
        help_text=_("Empty: the value is skipped."),
    )

    class Meta:
        ordering = ["source", "vocabulary__position", "key"]
        verbose_name = _("import value mapping")
        verbose_name_plural = _("import value mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "vocabulary", "key"], name="importvaluemapping_unique"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["participedia", "hjulet"]),
                name="importvaluemapping_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} → {self.term or '–'}"


class ColumnMapping(TimeStamped):
    """A named mapping from a spreadsheet's column names to the import's fields, saved by an
    organisation for its next file of the same kind."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="column_mappings",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    #: {"fields": {column key: field name or ""}, "defaults": {field name: value}}
    mapping = models.JSONField(_("mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="columnmapping_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
