"""
Serializers of the v1 REST API, kept apart for input and for output.

Input serializers validate what callers send; output serializers turn the dataclasses of
``competency_plugin.data`` into JSON. None touches a model.
"""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class FrameworkLookupSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Input: the ``identifier`` path segment naming a framework (its CASE CFDocument UUID)."""

    identifier = serializers.UUIDField()


class CaseExportQuerySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    Input: the query of the CASE export.

    ``language`` ("fr" or "en") picks the language of the fields CASE holds once (titles,
    descriptions); the other language goes into the package's extensions. Default: the
    framework's own language.
    """

    language = serializers.ChoiceField(choices=("fr", "en"), required=False)


class LevelSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: one value of the proficiency scale."""

    code = serializers.CharField()
    label_fr = serializers.CharField()
    label_en = serializers.CharField()
    order = serializers.IntegerField()
    proficient = serializers.BooleanField()


class CompetenceNodeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: one competence with its sub-competences under ``children``, in reading order."""

    identifier = serializers.UUIDField()
    code = serializers.CharField()
    title_fr = serializers.CharField()
    title_en = serializers.CharField()
    description_fr = serializers.CharField()
    description_en = serializers.CharField()
    item_type = serializers.CharField()
    depth = serializers.IntegerField()
    children = serializers.SerializerMethodField()

    def get_children(self, node):
        """Serialize the children with this serializer: the tree is as deep as the framework."""
        return CompetenceNodeSerializer(node.children, many=True, context=self.context).data


class FrameworkSummarySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: a framework's metadata, in French and English, as listed."""

    identifier = serializers.UUIDField()
    uri = serializers.CharField()
    title_fr = serializers.CharField()
    title_en = serializers.CharField()
    description_fr = serializers.CharField()
    description_en = serializers.CharField()
    version = serializers.CharField()
    publisher = serializers.CharField()
    source = serializers.CharField()
    licence = serializers.CharField()
    licence_uri = serializers.CharField()
    language = serializers.CharField()
    builtin = serializers.BooleanField()
    competence_count = serializers.IntegerField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()


class FrameworkTreeSerializer(FrameworkSummarySerializer):  # pylint: disable=abstract-method
    """Output: a framework's metadata, its proficiency scale and its competence tree."""

    levels = LevelSerializer(many=True)
    competences = CompetenceNodeSerializer(many=True)


# The tree is as deep as the framework: ``children`` holds nodes of the same shape.
extend_schema_field(CompetenceNodeSerializer(many=True))(CompetenceNodeSerializer.get_children)


def page_serializer(name, item_serializer, doc):
    """
    Return an output serializer of a page of ``PageNumberPagination``: ``count``, ``next`` and
    ``previous`` (URLs, or null), ``results`` (``item_serializer`` items).
    """
    return type(name, (serializers.Serializer,), {
        "__doc__": doc,
        "__module__": __name__,
        "count": serializers.IntegerField(help_text="How many items there are, on every page."),
        "next": serializers.URLField(allow_null=True, help_text="The next page, or null."),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page, or null."),
        "results": item_serializer(many=True),
    })


FrameworkPageSerializer = page_serializer(
    "FrameworkPageSerializer", FrameworkSummarySerializer, "Output: one page of framework summaries.")
