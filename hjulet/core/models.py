from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .model_fields import person_field, version_field


def in_english() -> bool:
    return (get_language() or "sv").startswith("en")


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class County(models.Model):
    """A län, identified by its two-digit SCB code."""

    code = models.CharField(
        _("SCB code"), max_length=2, primary_key=True, validators=[RegexValidator(r"^\d{2}$")]
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=100)
    svg_path = models.TextField(_("boundary as SVG path"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A kommun, identified by its four-digit SCB code (the first two are its län).

    ``name`` is the short form ("Kalix"), which is what people say and search for; the
    long forms in the source data have spelling errors ("Kalixs kommun")."""

    code = models.CharField(
        _("SCB code"), max_length=4, primary_key=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    name = models.CharField(_("name"), max_length=100, db_index=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    svg_path = models.TextField(_("boundary as SVG path"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Vocabulary(models.Model):
    """A controlled vocabulary (societal challenges, target groups, sectors, stages, goals)."""

    CHALLENGE = "challenge"
    TARGET_GROUP = "target-group"
    SECTOR = "sector"
    STAGE = "stage"
    SDG = "sdg"

    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if in_english() else self.name_sv

    @property
    def description(self) -> str:
        return (self.description_en if in_english() else self.description_sv) or ""


class TermQuerySet(models.QuerySet):
    def in_vocabulary(self, slug: str) -> "TermQuerySet":
        return self.filter(vocabulary__slug=slug)

    def active(self) -> "TermQuerySet":
        return self.filter(is_active=True)


class Term(TimeStamped):
    """One entry of a vocabulary, with Swedish and English labels.

    Terms are never deleted once used; a coordinator retires one by marking it inactive.
    """

    vocabulary = models.ForeignKey(
        Vocabulary, on_delete=models.PROTECT, related_name="terms", verbose_name=_("vocabulary")
    )
    code = models.SlugField(_("code"), max_length=60)
    label_sv = models.CharField(_("label (Swedish)"), max_length=150)
    label_en = models.CharField(_("label (English)"), max_length=150)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    version = version_field()

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary__position", "position", "label_sv"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_unique"),
            models.UniqueConstraint(fields=["vocabulary", "label_sv"], name="term_label_sv_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if in_english() else self.label_sv

    @property
    def description(self) -> str:
        return (self.description_en if in_english() else self.description_sv) or ""


class AuditEntry(models.Model):
    """Who did what, when, to which object, and what changed. Written only by services."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = person_field(_("who"))
    actor_label = models.CharField(_("who (as recorded)"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class FormSubmission(models.Model):
    """A form that was sent: the same form sent again (a double click, a reload, a second
    tab) gets the first sending's result instead of making a second object. Technical
    bookkeeping for ``core.forms.submit_form``, not content: not audited."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return str(self.token)


class TemporaryUpload(models.Model):
    """An uploaded file kept between a preview and its confirmation (core/temporary_uploads.py), out
    of the session, which is read on every request. Bound to the person who uploaded it and
    to what it is for; it expires, and expired ones are removed on use and by
    ``manage.py purge_temporary_uploads``. Technical bookkeeping, not content: not audited."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=50)
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField()
    meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.filename}"


class SearchSynonym(TimeStamped):
    """A group of words that search treats as near-synonyms ("äldre, seniorer,
    pensionärer"): a search for one also finds the others, ranked below the word itself.
    Kept by coordinators; see hjulet.core.search.synonyms."""

    words = models.TextField(
        _("words"), help_text=_("Words that mean about the same, separated by commas.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = version_field()

    class Meta:
        ordering = ["words"]
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return self.words

    @property
    def word_list(self) -> list[str]:
        from .search.synonyms import split_words

        return split_words(self.words)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class NotificationPreference(models.Model):
    """How often a person wants their notifications by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(
        _("e-mail"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class Notification(models.Model):
    """Something a person should know of (any app tells them through ``services.notify``);
    shown under the bell and e-mailed at once or in a digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text


class Picture(models.Model):
    """A picture of an initiative, a method, a challenge or an idea (hjulet/core/pictures.py).

    Only re-encoded copies are kept, one per width in ``renditions`` (``[{"width", "height",
    "name"}]``, ``name`` in the default storage); the uploaded file, with its metadata, is not.
    ``token`` names the picture in its address and changes when the picture is replaced, so a
    browser may keep a public picture for as long as it likes."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    token = models.CharField(max_length=32, unique=True)
    alt_text = models.CharField(
        _("description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("What the picture shows, for those who cannot see it."),
    )
    is_decorative = models.BooleanField(_("decorative only"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    renditions = models.JSONField(default=list)
    created_by = person_field()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "position"], name="picture_target_idx"
            )
        ]

    def __str__(self) -> str:
        return self.alt_text or str(_("decorative picture"))

    @property
    def alt(self) -> str:
        """What an ``<img>`` says: nothing for a decorative picture."""
        return "" if self.is_decorative else self.alt_text

    def url(self, width: int) -> str:
        from django.urls import reverse

        return reverse("core:picture-file", args=[self.token, width])

    @property
    def largest(self) -> dict:
        return self.renditions[-1]

    @property
    def smallest(self) -> dict:
        return self.renditions[0]

    @property
    def src(self) -> str:
        """The fallback ``src``: the middle width (800 px when there is one)."""
        return self.url(self.renditions[len(self.renditions) // 2]["width"])

    @property
    def largest_url(self) -> str:
        return self.url(self.largest["width"])

    @property
    def srcset(self) -> str:
        return ", ".join(f"{self.url(r['width'])} {r['width']}w" for r in self.renditions)


class ExportFile(models.Model):
    """A large export built by the task worker into a file in the default storage, offered
    for download to the person who asked for it when it is ready (``export_jobs.py``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=40)
    format = models.CharField(_("format"), max_length=4)
    query = models.TextField(_("filters"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    failure = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export file")
        verbose_name_plural = _("export files")

    def __str__(self) -> str:
        return self.filename


class ContentGeneration(models.Model):
    """One row whose ``value`` moves on after every committed write that goes through a
    service (``core.freshness``): what the worker processes cached before it is stale.
    Technical bookkeeping, not content: not audited."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
