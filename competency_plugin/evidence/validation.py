"""
Validation of learners' input, turned into ``CompetencyRequestError`` naming the field at fault.

Text fields are checked by ``platform.text`` (``TextField``), the one check of text people send.
"""
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from competency_plugin.evidence.models import SituationType
from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.platform.text import MAX_TEXT_LENGTH, TextField, URLTextField


class EvidenceInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The fields a learner writes on an evidence item."""

    situation_type = serializers.ChoiceField(choices=SituationType.choices, required=False, allow_blank=True)
    title = TextField(max_length=200)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    school_level = TextField(max_length=120, required=False, allow_blank=True)
    subject = TextField(max_length=120, required=False, allow_blank=True)
    description = TextField(max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True)
    analysis = TextField(max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True)

    def validate_occurred_on(self, value):
        """Situations are recorded after they happen."""
        if value and value > timezone.localdate() + datetime.timedelta(days=1):
            raise serializers.ValidationError(_("The date cannot be in the future."))
        return value


class LinkInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A link a learner attaches to an evidence item."""

    url = URLTextField(max_length=2000)
    title = TextField(max_length=200, required=False, allow_blank=True)

    def validate_url(self, value):
        """Only web links: no ``javascript:`` or ``data:`` URLs."""
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("Enter a web address starting with http:// or https://."))
        return value


def validate(serializer_class, data, *, partial=False):
    """Return the validated data, or raise ``CompetencyRequestError`` naming each field at fault."""
    if not isinstance(data, dict):
        raise CompetencyRequestError(_("The request must be a JSON object."))
    serializer = serializer_class(data=data, partial=partial)
    errors = {}
    if not serializer.is_valid():
        errors.update({field: [str(message) for message in messages] for field, messages in serializer.errors.items()})
    unknown = set(data) - set(serializer.fields)
    errors.update({field: [_("Unknown field.")] for field in sorted(unknown)})
    if errors:
        raise CompetencyRequestError(_("Some fields are not valid."), field_errors=errors)
    return serializer.validated_data
