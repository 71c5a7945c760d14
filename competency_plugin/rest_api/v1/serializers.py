"""
Serializers of the v1 REST API, kept apart for input and for output.

Input serializers validate what callers send; output serializers turn the dataclasses of
``competency_plugin.data`` into JSON. None touches a model.
"""
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
