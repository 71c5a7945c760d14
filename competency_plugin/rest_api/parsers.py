"""
The request parsers of the REST API.

DRF's ``JSONParser`` reads a body of any size (``DATA_UPLOAD_MAX_MEMORY_SIZE`` is checked only
by Django's ``request.body``) and lets ``RecursionError`` through on JSON nested too deep: a
server error. This one refuses both with the API's error body.
"""
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser


class LimitedJSONParser(JSONParser):
    """JSON of at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes, in UTF-8, nested as deep as Python parses."""

    def parse(self, stream, media_type=None, parser_context=None):
        """Return the decoded body; raise ``RequestDataTooBig`` or ``ParseError`` (a 413 or a 400)."""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestDataTooBig(_("The request is too large."))
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise ParseError(_("The request is not valid JSON.")) from error


def _no_constant(name):
    """``NaN`` and ``Infinity`` are not JSON (DRF's parser refuses them too)."""
    raise ValueError(f"{name} is not JSON")


PARSER_CLASSES = (LimitedJSONParser, FormParser, MultiPartParser)
