"""
Competence frameworks: a framework, its proficiency levels, its tree of competences and their associations.

Models of the ``competency_plugin`` app (``competency_plugin.models`` re-exports them for Django).
"""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Framework",
    "ProficiencyLevel",
    "Competence",
    "CompetenceAssociation",
]


class Framework(models.Model):
    """
    A competence framework (referential): UNESCO ICT-CFT, DigCompEdu, CRCN, or one imported.

    ``identifier`` is stable across reloads and exports: it is the CASE CFDocument identifier.

    .. no_pii:
    """

    identifier = models.UUIDField(verbose_name=_("identifier"), default=uuid.uuid4, unique=True)
    uri = models.CharField(verbose_name=_("URI"), max_length=500, blank=True)
    title_fr = models.CharField(verbose_name=_("French title"), max_length=300, blank=True)
    title_en = models.CharField(verbose_name=_("English title"), max_length=300, blank=True)
    description_fr = models.TextField(verbose_name=_("French description"), blank=True)
    description_en = models.TextField(verbose_name=_("English description"), blank=True)
    version = models.CharField(verbose_name=_("version"), max_length=50, blank=True)
    publisher = models.CharField(verbose_name=_("publisher"), max_length=300, blank=True)
    source = models.TextField(
        verbose_name=_("source"), blank=True, help_text=_("Where the framework is published (citation or URL)."),
    )
    licence = models.TextField(
        verbose_name=_("licence"), blank=True, help_text=_("The licence statement under which it is reused."),
    )
    licence_uri = models.CharField(verbose_name=_("licence URI"), max_length=500, blank=True)
    language = models.CharField(verbose_name=_("language"), max_length=16, blank=True)
    builtin = models.BooleanField(verbose_name=_("built in"), default=False)
    # Exchange-format fields kept for lossless round trips (CASE subject, frameworkType, notes…).
    extra = models.JSONField(verbose_name=_("extra data"), default=dict, blank=True)
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)
    modified = models.DateTimeField(verbose_name=_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ("title_fr", "title_en", "id")

    def __str__(self):
        return self.title_fr or self.title_en or str(self.identifier)


class ProficiencyLevel(models.Model):
    """
    One value of a framework's ordered proficiency scale (e.g. DigCompEdu A1 to C2).

    .. no_pii:
    """

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="levels",
    )
    code = models.CharField(verbose_name=_("code"), max_length=50)
    label_fr = models.CharField(verbose_name=_("French label"), max_length=200, blank=True)
    label_en = models.CharField(verbose_name=_("English label"), max_length=200, blank=True)
    order = models.PositiveIntegerField(verbose_name=_("order"), default=0)
    proficient = models.BooleanField(
        verbose_name=_("proficient"), default=False, help_text=_("Whether this value counts as proficient."),
    )

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ("framework", "order", "id")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="cp_level_unique_code")]

    def __str__(self):
        return self.code


class Competence(models.Model):
    """
    A node of a framework's tree: a domain or aspect, a competence, a level or indicator.

    ``identifier`` is the CASE CFItem identifier; ``path`` orders the tree depth-first.

    .. no_pii:
    """

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="competences",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children",
    )
    identifier = models.UUIDField(verbose_name=_("identifier"), default=uuid.uuid4)
    code = models.CharField(verbose_name=_("code"), max_length=100, blank=True)
    title_fr = models.TextField(verbose_name=_("French title"), blank=True)
    title_en = models.TextField(verbose_name=_("English title"), blank=True)
    description_fr = models.TextField(verbose_name=_("French description"), blank=True)
    description_en = models.TextField(verbose_name=_("English description"), blank=True)
    item_type = models.CharField(verbose_name=_("item type"), max_length=100, blank=True)
    depth = models.PositiveSmallIntegerField(verbose_name=_("depth"), default=0)
    sort_order = models.PositiveIntegerField(verbose_name=_("sort order"), default=0)
    # Depth-first position, e.g. "0003.0002": ordering by it lists the tree as it reads.
    path = models.CharField(verbose_name=_("tree path"), max_length=255, blank=True, db_index=True)
    extra = models.JSONField(verbose_name=_("extra data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ("framework", "path", "id")
        constraints = [
            models.UniqueConstraint(fields=["framework", "identifier"], name="cp_competence_unique_identifier"),
        ]

    def __str__(self):
        return f"{self.code} {self.title_fr or self.title_en}".strip()


class CompetenceAssociation(models.Model):
    """
    A CASE association other than the tree's ``isChildOf`` (isPeerOf, exactMatchOf, precedes…),
    kept so that exports round-trip; either end may lie outside the framework.

    .. no_pii:
    """

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="associations",
    )
    identifier = models.UUIDField(verbose_name=_("identifier"), default=uuid.uuid4)
    association_type = models.CharField(verbose_name=_("association type"), max_length=100)
    origin = models.CharField(
        verbose_name=_("origin"), max_length=500, help_text=_("Identifier or URI of the origin node."),
    )
    destination = models.CharField(
        verbose_name=_("destination"), max_length=500, help_text=_("Identifier or URI of the destination node."),
    )
    sequence_number = models.IntegerField(verbose_name=_("sequence number"), null=True, blank=True)
    extra = models.JSONField(verbose_name=_("extra data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("competence association")
        verbose_name_plural = _("competence associations")
        ordering = ("framework", "sequence_number", "id")
        constraints = [
            models.UniqueConstraint(fields=["framework", "identifier"], name="cp_association_unique_identifier"),
        ]

    def __str__(self):
        return f"{self.origin} {self.association_type} {self.destination}"
