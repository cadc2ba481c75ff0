"""Imports of initiatives: the uploaded batches and the mappings saved for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hjulet.accounts.models import Organisation
from hjulet.core.model_fields import choices_constraint, person_field
from hjulet.core.models import Term, TimeStamped, Vocabulary


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
            choices_constraint(
                "status", ["previewed", "imported", "failed"], name="importbatch_status_valid"
            ),
            choices_constraint(
                "format", ["hjulet", "participedia", "pmethods"], name="importbatch_format_valid"
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
            choices_constraint(
                "source", ["participedia", "hjulet"], name="importvaluemapping_source_valid"
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
    created_by = person_field(_("created by"), blank=False)

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
