"""
Validation of caller input, turned into ``CompetencyRequestError`` naming the field at fault.

``text_problem`` is the one check of text people send (learners' fields and justifications,
links, staff feedback, policies, imported frameworks): text only, no null character and no
lone surrogate (neither SQLite nor MariaDB can store one: the database driver fails on it),
within a length. ``check_text`` raises it as a field error; ``TextField`` applies it in the
serializers.
"""
import datetime
import json
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.models import SituationType

MAX_TEXT_LENGTH = 20000
# What no text field may hold: the null character and UTF-16 surrogates (a lone "\\ud800" from a JSON escape).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value, max_length=None):
    """
    Return why ``value`` cannot be stored as a text field (a translated message), or None.

    Args:
        value: what the caller sent.
        max_length: the field's limit in characters; None for no limit.
    """
    if not isinstance(value, str):
        return _("Enter text.")
    found = _UNSTORABLE.search(value)
    if found:
        return _("The text contains a character that cannot be stored (U+{code:04X}).").format(
            code=ord(found.group())
        )
    if max_length is not None and len(value) > max_length:
        return _("Enter at most {count} characters.").format(count=max_length)
    return None


def check_text(value, field, max_length=None):
    """Return ``value`` when ``text_problem`` finds nothing, else raise ``CompetencyRequestError`` on ``field``."""
    problem = text_problem(value, max_length)
    if problem:
        raise CompetencyRequestError(_("Some fields are not valid."), {field: [problem]})
    return value


def unstorable_text(value):
    """Whether ``value`` (text, or JSON-like data holding text) contains a character no database stores."""
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    # Imported frameworks' extra data: dumped without escapes, the JSON text shows every string and key.
    return bool(_UNSTORABLE.search(json.dumps(value, ensure_ascii=False, default=str)))


class TextField(serializers.CharField):
    """A ``CharField`` taking only text (not numbers), checked by ``text_problem``."""

    def to_internal_value(self, data):
        """Refuse what ``text_problem`` refuses, with its message; then as ``CharField``."""
        problem = text_problem(data, self.max_length)
        if problem:
            raise serializers.ValidationError(problem, code="invalid")
        return super().to_internal_value(data)


class URLTextField(TextField, serializers.URLField):
    """A ``URLField`` checked by ``text_problem`` first."""


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
