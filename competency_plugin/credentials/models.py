"""
Verifiable credentials: the instance's signing keys (public halves) and the credentials it issued.

Models of the ``competency_plugin`` app (``competency_plugin.models`` re-exports them for Django).
See docs/decisions/0014-verifiable-credentials.rst.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField

__all__ = [
    "CredentialKey",
    "IssuedCredential",
]


class CredentialKey(models.Model):
    """
    An Ed25519 signing key of the instance: its name and public key only.

    The private key lives in a file of ``CREDENTIAL_KEY_DIR`` (``<name>.pem``), never in the
    database. The row stays after a rotation, so that the key stays published and the
    credentials it signed keep verifying.

    .. no_pii:
    """

    name = models.CharField(verbose_name=_("name"), max_length=64, unique=True)
    public_key_multibase = models.CharField(verbose_name=_("public key (multibase)"), max_length=64, unique=True)
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credential signing key")
        verbose_name_plural = _("credential signing keys")
        ordering = ("created", "id")

    def __str__(self):
        return self.name


class IssuedCredential(models.Model):
    """
    An Open Badges 3.0 credential the instance signed for a learner's course attestation.

    ``document`` is the signed credential as issued. ``status_index`` is its bit in the
    instance's revocation status list, drawn at random. When the learner is retired, the row
    loses its learner and its document but keeps its index, revoked, so that copies the learner
    shared read as revoked.

    .. pii: The learner's account; the signed document (their name and evidence when they chose
       to include them).
    .. pii_types: id, name, other
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(verbose_name=_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    course_key = CourseKeyField(verbose_name=_("course"), max_length=255, db_index=True)
    key = models.ForeignKey(
        CredentialKey, verbose_name=_("signing key"), on_delete=models.PROTECT, related_name="credentials",
    )
    status_index = models.PositiveIntegerField(verbose_name=_("status list index"), unique=True)
    include_name = models.BooleanField(verbose_name=_("name included"), default=False)
    include_evidence = models.BooleanField(verbose_name=_("evidence included"), default=False)
    document = models.JSONField(verbose_name=_("signed credential"), default=dict, blank=True)
    issued_at = models.DateTimeField(verbose_name=_("issued at"))
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(verbose_name=_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    erased = models.BooleanField(verbose_name=_("erased"), default=False)

    class Meta:
        verbose_name = _("issued credential")
        verbose_name_plural = _("issued credentials")
        ordering = ("-issued_at", "-id")
        indexes = [models.Index(fields=["user", "course_key"], name="cp_credential_user_course")]

    def __str__(self):
        return str(self.uuid)

    @property
    def revoked(self):
        """Whether the credential is revoked."""
        return self.revoked_at is not None
