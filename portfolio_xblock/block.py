"""
The Portfolio XBlock.

A thin presentation layer: the block holds its configuration in fields, renders views and
answers handlers (``handlers.py``); every read and write of evidence goes through
``competency_plugin.api``.
"""
import math

from django.utils.formats import number_format
from web_fragments.fragment import Fragment
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from portfolio_xblock.file_handlers import FileHandlersMixin
from portfolio_xblock.handlers import EvidenceHandlersMixin, number_error, number_fields, studio_edits
from portfolio_xblock.peer import PEER_FIELDS, PeerFeedbackMixin
from portfolio_xblock.presentation import (
    block_limits,
    competence_choices,
    every_competence_choice,
    framework_choices,
    learner_context,
    megabytes,
    render,
    studio_competences,
)
from portfolio_xblock.review_handlers import ReviewHandlersMixin
from portfolio_xblock.review_presentation import review_context, review_js_config
from portfolio_xblock.runtime_context import block_language
from portfolio_xblock.scoring import ScoringMixin
from portfolio_xblock.templating import static_text

loader = ResourceLoader(__name__)


def _(text):
    """Mark a string for extraction; it is translated when shown, through the runtime's i18n service."""
    return text


SITUATION_TYPE_VALUES = [
    {"display_name": _("Authentic professional situation"), "value": "authentic"},
    {"display_name": _("Training situation"), "value": "training"},
]
FILE_KIND_VALUES = [
    {"display_name": _("PDF documents"), "value": "pdf"},
    {"display_name": _("Images"), "value": "image"},
    {"display_name": _("Office documents"), "value": "office"},
    {"display_name": _("Plain text"), "value": "text"},
    {"display_name": _("Audio"), "value": "audio"},
    {"display_name": _("Video"), "value": "video"},
]


def plain_number(value):
    """
    ``value`` as the text an ``<input type="number">`` reads (a point for decimals, never a
    locale's comma or grouping), or None when there is no finite number to show.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return repr(value)


def translated_choices(block, choices):
    """
    Return fresh, translated copies of ``choices`` for Studio's editor.

    The editor rewrites each choice's value in place (as JSON): handing it the module's own
    lists would corrupt them for every later request of the process.
    """
    return [{"display_name": block.ugettext(choice["display_name"]), "value": choice["value"]} for choice in choices]


@XBlock.needs("user")
@XBlock.needs("i18n")
@XBlock.wants("studio_user_permissions")  # Studio's rule on who may change the settings (handlers.may_change_settings)
class PortfolioXBlock(  # pylint: disable=too-many-ancestors
    EvidenceHandlersMixin, FileHandlersMixin, ReviewHandlersMixin, PeerFeedbackMixin, ScoringMixin,
    StudioEditableXBlockMixin,
    CompletableXBlockMixin, XBlock,
):
    """Collects a learner's evidence of professional situations; staff review it."""

    display_name = String(
        display_name=_("Display name"),
        help=_("The title learners see above the component."),
        default="Portfolio",
        scope=Scope.settings,
    )
    prompt = String(
        display_name=_("Instructions"),
        help=_("What learners should record: the situation expected, the analysis, the evidence to attach."),
        default="",
        multiline_editor=True,
        scope=Scope.settings,
    )
    situation_types = List(
        display_name=_("Accepted situations"),
        help=_("The kinds of professional situation learners may record here."),
        default=["authentic", "training"],
        list_values_provider=lambda block: translated_choices(block, SITUATION_TYPE_VALUES),
        list_style="set",
        scope=Scope.settings,
    )
    min_evidence = Integer(
        display_name=_("Minimum number of situations"),
        help=_("How many submitted situations complete this component."),
        default=1,
        scope=Scope.settings,
    )
    max_evidence = Integer(
        display_name=_("Maximum number of situations"),
        help=_("How many situations a learner may record here."),
        default=10,
        scope=Scope.settings,
    )
    max_file_size_mb = Integer(
        display_name=_("Maximum file size (MB)"),
        help=_(
            "The largest file a learner may attach; 0: the largest the platform accepts. "
            "The platform's limit applies if lower."
        ),
        default=0,
        scope=Scope.settings,
    )
    max_files = Integer(
        display_name=_("Maximum files per situation"),
        help=_("How many files a learner may attach to one situation; the platform's limit applies if lower."),
        default=5,
        scope=Scope.settings,
    )
    shrink_photos = Boolean(
        display_name=_("Shrink photos before upload"),
        help=_(
            "Photos larger than the size below are made smaller in the learner's browser before they are sent: "
            "faster on a slow connection."
        ),
        default=True,
        scope=Scope.settings,
    )
    shrink_photos_above_kb = Integer(
        display_name=_("Shrink photos larger than (KB)"),
        help=_("Photos larger than this are shrunk before upload when the setting above is on."),
        default=1000,
        scope=Scope.settings,
    )
    framework = String(
        display_name=_("Competence framework"),
        help=_("The framework whose competences learners show with their situations; none: no competences asked."),
        default="",
        values_provider=framework_choices,
        scope=Scope.settings,
    )
    competences = List(
        display_name=_("Competences"),
        help=_(
            "The competences, or whole domains, of the chosen framework this component collects evidence for; "
            "none selected offers the whole framework."
        ),
        default=[],
        list_values_provider=every_competence_choice,
        list_style="set",
        scope=Scope.settings,
    )
    file_kinds = List(
        display_name=_("Accepted file types"),
        help=_("The kinds of file learners may attach; none selected accepts every kind the platform allows."),
        default=[],
        list_values_provider=lambda block: translated_choices(block, FILE_KIND_VALUES),
        list_style="set",
        scope=Scope.settings,
    )
    weight = Float(
        display_name=_("Weight"),
        help=_(
            "The points this component is worth in the course grade: the share of its minimum number of "
            "situations accepted by the staff. 0: not graded."
        ),
        default=0.0,
        # Studio's editor: any decimal is a valid step (the number input's default step is 1).
        values={"step": "any"},
        scope=Scope.settings,
    )

    editable_fields = (
        "display_name",
        "prompt",
        "situation_types",
        "framework",
        "competences",
        "min_evidence",
        "max_evidence",
        "max_file_size_mb",
        "max_files",
        "file_kinds",
        "shrink_photos",
        "shrink_photos_above_kb",
        "weight",
        *PEER_FIELDS,
    )
    has_author_view = True
    show_in_read_only_mode = True

    def ugettext(self, text):
        """Translate ``text`` with the runtime's i18n service (the block's own catalog in the LMS)."""
        return self.runtime.service(self, "i18n").gettext(text)

    def ngettext(self, singular, plural, count):
        """Translate a message with a count, with the runtime's i18n service."""
        return self.runtime.service(self, "i18n").ngettext(singular, plural, count)

    @XBlock.handler
    def submit_studio_edits(self, request, suffix=""):  # pylint: disable=arguments-renamed
        """
        Studio's editor saves the settings: only an author in Studio, or course staff elsewhere
        (403 for anyone else); malformed requests get a 400 (see ``handlers.studio_edits``).
        """
        return studio_edits(self, request, suffix, super().submit_studio_edits)

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """
        Show the learner's portfolio for this activity: their situations, and a form to record one.

        Course staff also get the review of the situations submitted here.
        """
        ctx = learner_context(self)
        html = render(self, "templates/student.html", ctx)
        learner = ctx["learner"]
        html += self.peer_section(learner)
        if learner is not None and learner.is_staff and not ctx["read_only"]:
            html += render(self, "templates/review.html", review_context(self))
            ctx["js_config"]["review"] = review_js_config(self)
        if learner is not None and (self.peer_feedback or "review" in ctx["js_config"]):
            ctx["js_config"]["peer"] = self.peer_js_config()
        fragment = Fragment(html)
        fragment.add_css(static_text(__name__, "static/css/portfolio.css"))
        # The helpers the block's scripts share first; portfolio.js's PortfolioXBlock drives the others.
        fragment.add_javascript(static_text(__name__, "static/js/handler_client.js"))
        fragment.add_javascript(static_text(__name__, "static/js/drafts.js"))
        fragment.add_javascript(static_text(__name__, "static/js/uploads.js"))
        fragment.add_javascript(static_text(__name__, "static/js/portfolio_form.js"))
        fragment.add_javascript(static_text(__name__, "static/js/portfolio_files.js"))
        fragment.add_javascript(static_text(__name__, "static/js/portfolio.js"))
        if "review" in ctx["js_config"]:
            fragment.add_javascript(static_text(__name__, "static/js/review.js"))
        if "peer" in ctx["js_config"]:
            fragment.add_css(static_text(__name__, "static/css/peer.css"))
            fragment.add_javascript(static_text(__name__, "static/js/peer.js"))
        fragment.initialize_js("PortfolioXBlock", ctx["js_config"])
        return fragment

    def studio_view(self, context=None):
        """Studio's settings editor, whose competence list follows the framework chosen (``studio.js``)."""
        fragment = super().studio_view(context)
        fragment.add_javascript(static_text(__name__, "static/js/studio.js"))
        frameworks = {choice["value"]: framework for framework, choice in studio_competences()}
        refusals = {name: number_error(self, name, None) for name in number_fields(self)}
        language, direction = block_language(self)
        fragment.initialize_js("PortfolioStudioEdit", {"frameworkOf": frameworks, "numberErrors": refusals,
                                                       "lang": language, "dir": direction})
        return fragment

    def _make_field_info(self, field_name, field):
        """
        What Studio's editor template shows of a field, numbers written as a number input reads them.

        The mixin's template (``xblock/utils/templates/studio_edit.html``) writes a number field's
        value and default with ``{{ }}``, which Django localizes (always on Django 5, and
        ``USE_L10N`` defaults to True on 4.2): in French, a weight of 1.0 became ``value="1,0"``,
        which an ``<input type="number">`` cannot read, so it showed an empty field, and the next
        save sent the weight as null. Texts are not localized: the numbers go as plain text.
        """
        info = super()._make_field_info(field_name, field)
        if info is not None and info.get("type") in ("integer", "float"):
            info["value"] = plain_number(info["value"])
            info["default"] = plain_number(info["default"])
        return info

    def author_view(self, context=None):  # pylint: disable=unused-argument
        """A summary of the configuration for Studio's unit page."""
        fragment = Fragment(render(self, "templates/author.html", {"block": self, "summary": self.config_summary()}))
        fragment.add_css(static_text(__name__, "static/css/portfolio.css"))
        return fragment

    def config_summary(self):
        """Return translated (label, value) pairs describing the block's configuration."""
        labels = {item["value"]: self.ugettext(item["display_name"]) for item in SITUATION_TYPE_VALUES}
        kinds = {item["value"]: self.ugettext(item["display_name"]) for item in FILE_KIND_VALUES}
        return [
            (self.ugettext("Accepted situations"), ", ".join(labels.get(v, v) for v in self.situation_types)),
            (self.ugettext("Competence framework"), self.framework_title() or self.ugettext("None")),
            (self.ugettext("Minimum number of situations"), str(self.min_evidence)),
            (self.ugettext("Maximum number of situations"), str(self.max_evidence)),
            (self.ugettext("Maximum file size (MB)"), megabytes(block_limits(self).max_file_size)),
            (self.ugettext("Maximum files per situation"), str(self.max_files)),
            (
                self.ugettext("Accepted file types"),
                ", ".join(kinds.get(v, v) for v in self.file_kinds) or self.ugettext("All allowed by the platform"),
            ),
            (
                self.ugettext("Weight"),
                number_format(self.weight if self.weight % 1 else int(self.weight))
                if self.has_score else self.ugettext("Not graded"),
            ),
            *self.peer_summary_lines(),
        ]

    def framework_title(self):
        """The title of the block's framework, or '' when it has none."""
        titles = {choice["value"]: choice["display_name"] for choice in framework_choices(self)}
        return titles.get(self.framework, self.framework) if self.framework else ""

    def validate_field_data(self, validation, data):
        """Refuse configurations that cannot work (Studio shows the messages)."""
        from xblock.validation import ValidationMessage  # pylint: disable=import-outside-toplevel

        def error(text):
            validation.add(ValidationMessage(ValidationMessage.ERROR, text))

        # A number field without a number (null stored by an older editor, NaN from a crafted
        # request) is reported, and kept out of the range checks below.
        unusable = set()
        for name in number_fields(self):
            message = number_error(self, name, getattr(data, name))
            if message:
                unusable.add(name)
                error(message)
        if "min_evidence" not in unusable and data.min_evidence < 0:
            error(self.ugettext("The minimum number of situations cannot be negative."))
        if not {"min_evidence", "max_evidence"} & unusable and (
            data.max_evidence < 1 or data.max_evidence < data.min_evidence
        ):
            error(self.ugettext("The maximum number of situations must be at least 1 and at least the minimum."))
        if "max_file_size_mb" not in unusable and data.max_file_size_mb < 0:
            error(self.ugettext("The maximum file size cannot be negative."))
        if "weight" not in unusable and data.weight < 0:
            error(self.ugettext("The weight cannot be negative."))
        if "shrink_photos_above_kb" not in unusable and data.shrink_photos_above_kb < 0:
            error(self.ugettext("The size above which photos are shrunk cannot be negative."))
        if "max_files" not in unusable and data.max_files < 0:
            error(self.ugettext("The maximum number of files cannot be negative."))
        if not data.situation_types or set(data.situation_types) - {v["value"] for v in SITUATION_TYPE_VALUES}:
            error(self.ugettext("Choose at least one kind of situation."))
        for message in self.peer_validation_errors(data):
            error(message)
        if set(data.file_kinds) - {v["value"] for v in FILE_KIND_VALUES}:
            error(self.ugettext("Unknown file type."))
        if data.competences and not data.framework:
            error(self.ugettext("Choose the framework of the competences."))
        elif data.competences:
            offered = {choice["value"] for choice in competence_choices(self, data.framework)}
            if set(data.competences) - offered:
                error(self.ugettext("Some competences chosen do not belong to the framework."))

    @staticmethod
    def workbench_scenarios():
        """Scenarios for the xblock-sdk workbench, shipped as package data."""
        return loader.load_scenarios_from_path("scenarios")
