"""Regional hubs: a regional support structure's own place on the one national platform.

A hub has a name, a logo (its first picture, hjulet/core/pictures.py), two colours, an area
(län and/or kommuner) and its people: coordinators and advisers, who have coordinator rights
within the area only (``hjulet.regions.permissions``)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.core.model_fields import choices_constraint
from hjulet.core.models import County, Municipality, TimeStamped
from hjulet.lib import contrast

from .area import Area

HEX_COLOUR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", gettext_lazy("Write the colour as # and six hex digits, e.g. #1d5c3f.")
)
HOST_NAME = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$",
    gettext_lazy("Write a host name in lower case, e.g. skane.hjulet.se, without https://."),
)


def colour_problems(brand_colour: str, tint_colour: str) -> dict[str, str]:
    """Swedish (translated) messages for colours that do not keep WCAG AA: white text goes on
    the main colour (the hub's banner), black text on the tint (its panels)."""
    problems = {}
    if contrast.is_hex_colour(brand_colour):
        ratio = contrast.contrast(brand_colour, contrast.WHITE)
        if ratio < contrast.AA_TEXT:
            problems["brand_colour"] = _(
                "White text on the main colour has a contrast of only %(ratio)s:1; WCAG AA "
                "needs at least 4.5:1. Choose a darker main colour."
            ) % {"ratio": f"{ratio:.1f}".replace(".", ",")}
    if contrast.is_hex_colour(tint_colour):
        ratio = contrast.contrast(tint_colour, contrast.BLACK)
        if ratio < contrast.AA_TEXT:
            problems["tint_colour"] = _(
                "Black text on the light colour has a contrast of only %(ratio)s:1; WCAG AA "
                "needs at least 4.5:1. Choose a lighter colour."
            ) % {"ratio": f"{ratio:.1f}".replace(".", ",")}
    return problems


class Hub(TimeStamped):
    name = models.CharField(gettext_lazy("name"), max_length=200, unique=True)
    slug = models.SlugField(gettext_lazy("address name"), max_length=80, unique=True)
    description = models.TextField(gettext_lazy("description"), blank=True)
    brand_colour = models.CharField(
        gettext_lazy("main colour"),
        max_length=7,
        default="#1d5c3f",
        validators=[HEX_COLOUR],
        help_text=gettext_lazy("The banner's colour; white text goes on it."),
    )
    tint_colour = models.CharField(
        gettext_lazy("light colour"),
        max_length=7,
        default="#e8f3ed",
        validators=[HEX_COLOUR],
        help_text=gettext_lazy("The colour of the hub's panels; black text goes on it."),
    )
    counties = models.ManyToManyField(
        County, blank=True, related_name="hubs", verbose_name=gettext_lazy("counties")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="hubs", verbose_name=gettext_lazy("municipalities")
    )
    host = models.CharField(
        gettext_lazy("host name"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        validators=[HOST_NAME],
        help_text=gettext_lazy(
            "Optional. The hub's start page is shown at / on this host; the host must also be "
            "in ALLOWED_HOSTS."
        ),
    )
    pictures = GenericRelation("core.Picture")

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("regional hub")
        verbose_name_plural = gettext_lazy("regional hubs")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.host == "":
            self.host = None
        problems = colour_problems(self.brand_colour, self.tint_colour)
        if problems:
            raise ValidationError(problems)

    def area(self) -> Area:
        county_codes = list(self.counties.values_list("code", flat=True))
        codes = Municipality.objects.filter(
            Q(county__in=county_codes) | Q(pk__in=self.municipalities.values("pk"))
        ).values_list("code", flat=True)
        return Area(name=self.name, counties=frozenset(county_codes), codes=frozenset(codes))


class HubRole(models.TextChoices):
    COORDINATOR = "coordinator", gettext_lazy("Hub coordinator")
    ADVISER = "adviser", gettext_lazy("Hub adviser")


class HubPerson(models.Model):
    """A hub's coordinator or adviser: coordinator rights within the hub's area."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_roles"
    )
    role = models.CharField(gettext_lazy("role"), max_length=20, choices=HubRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub", "role", "pk"]
        verbose_name = gettext_lazy("hub role")
        verbose_name_plural = gettext_lazy("hub roles")
        constraints = [
            models.UniqueConstraint(fields=["hub", "user"], name="hub_person_unique"),
            choices_constraint("role", HubRole, name="hub_person_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.hub}"
