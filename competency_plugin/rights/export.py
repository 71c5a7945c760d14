"""
A learner's copy of their portfolio: one ZIP archive, streamed.

The archive holds ``attachments/<situation>/<file name>`` (the files the learner uploaded),
``index.html`` (a self-contained, readable summary in the learner's language: situations,
analyses, competences claimed and justified, decisions and feedback, attestation status per
course), ``portfolio.json`` (the same data, machine-readable) and ``credentials/<id>.json`` (the
verifiable credentials the learner claimed, as signed). Rows are read when the
export is prepared; files are read chunk by chunk while the archive is sent, so memory does
not grow with their size. Only the learner's own data is read.
"""
import dataclasses
import json
import logging
import os
import zipfile
from urllib.parse import quote

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.text import slugify

from competency_plugin.attestation.eligibility import get_eligibility
from competency_plugin.credentials.services import export_credentials
from competency_plugin.evidence.convert import evidence_to_data
from competency_plugin.evidence.files import sanitize_filename
from competency_plugin.evidence.models import AttachmentKind, Evidence, EvidenceStatus, SituationType
from competency_plugin.frameworks.models import ProficiencyLevel
from competency_plugin.peer.services import exported_feedback
from competency_plugin.platform.keys import parse_course_key
from competency_plugin.platform.storage import get_attachment_storage
from competency_plugin.review.models import CompetenceStatus, ReviewDecision, ReviewOutcome
from competency_plugin.review.services import decision_to_data

log = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates")
INDEX_TEMPLATE = "competency_plugin/portfolio_export.html"
_FOLDER_LENGTH = 60


@dataclasses.dataclass(frozen=True)
class ExportedFile:
    """An attachment to copy into the archive: where it is stored, where it goes."""

    key: str
    path: str
    size: int
    created: object


class _Pipe:
    """A write-only file for ``zipfile``: what the archive writes waits here until the stream takes it."""

    def __init__(self):
        self._chunks = []

    def write(self, data):
        """Keep a copy of ``data`` (zipfile may reuse its buffers)."""
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self):
        """Nothing to flush: the stream takes the data."""

    def take(self):
        """Return and forget what was written since the last call."""
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


class PortfolioArchive:
    """
    A learner's portfolio export, ready to stream: ``filename`` and ``stream()``.

    ``stream()`` yields the ZIP archive's bytes; each attachment is read in chunks of
    ``CHUNK_SIZE``. A file missing from the storage is left out and marked as such in the summary.
    """

    def __init__(  # pylint: disable=too-many-arguments
        self, *, filename, language, context, files, data, credentials=()
    ):
        self.filename = filename
        self._credentials = list(credentials)
        self.language = language
        self._context = context
        self._files = files
        self._data = data

    def stream(self):
        """Yield the archive's bytes."""
        pipe = _Pipe()
        missing = set()
        with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for item in self._files:
                yield from self._copy_file(archive, pipe, item, missing)
            stamp = _zip_time(timezone.now())
            archive.writestr(_entry("index.html", stamp), self.render_index(missing))
            yield pipe.take()
            archive.writestr(_entry("portfolio.json", stamp), json.dumps(self._data, ensure_ascii=False, indent=2))
            for name, document in self._credentials:
                text = json.dumps(document, ensure_ascii=False, indent=2)
                archive.writestr(_entry(f"credentials/{name}", stamp), text)
        yield pipe.take()

    def _copy_file(self, archive, pipe, item, missing):
        """Copy one stored file into the archive, chunk by chunk, yielding what the archive wrote."""
        storage = get_attachment_storage()
        try:
            handle = storage.open(item.key, "rb")
        except Exception:  # pylint: disable=broad-except  # each storage backend raises its own errors
            log.error("Stored file %s is missing from a portfolio export", item.key)
            missing.add(item.path)
            return
        entry = _entry(item.path, _zip_time(item.created))
        entry.file_size = item.size
        with handle, archive.open(entry, "w") as target:
            for chunk in handle.chunks(CHUNK_SIZE):
                target.write(chunk)
                data = pipe.take()
                if data:
                    yield data
        yield pipe.take()

    def render_index(self, missing=frozenset()):
        """Return ``index.html`` in the learner's language, every value escaped."""
        from django.template import Context, Engine  # pylint: disable=import-outside-toplevel

        engine = Engine(dirs=[TEMPLATE_DIR], libraries={"i18n": "django.templatetags.i18n"})
        with translation.override(self.language):
            context = {**self._context, "missing": missing}
            return engine.get_template(INDEX_TEMPLATE).render(Context(context, autoescape=True))


def _entry(path, date_time):
    entry = zipfile.ZipInfo(path, date_time=date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def _zip_time(moment):
    """Return a ZIP timestamp of ``moment`` (local time, 1980 at the earliest)."""
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return max(moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))


def export_portfolio(*, user_id, course_key=None, language=None):
    """
    Prepare the export of a learner's portfolio: in one course, or in every course.

    Args:
        user_id: the learner; only their own evidence is read.
        course_key: a course key or its string; None exports every course.
        language: the language of the summary (default: the active language).

    Returns:
        PortfolioArchive

    Raises:
        CompetencyRequestError when ``course_key`` is not a course key.
    """
    language = language or translation.get_language() or "en"
    course_key = parse_course_key(course_key) if course_key else None
    evidence = Evidence.objects.filter(user_id=user_id)
    if course_key is not None:
        evidence = evidence.filter(course_key=course_key)
    evidence = list(
        evidence.order_by("course_key", "created", "id").prefetch_related(
            "attachments",
            "claims__competence",
            Prefetch(
                "decisions",
                queryset=ReviewDecision.objects.order_by("id").select_related("reviewer").prefetch_related(
                    "competence_decisions__competence"
                ),
            ),
        )
    )
    course_keys = [course_key] if course_key is not None else _distinct(item.course_key for item in evidence)
    with translation.override(language):
        reports = {key: get_eligibility(user_id, key, language=language) for key in course_keys}
    levels = _level_labels(evidence, language)
    situations, files = [], []
    for number, item in enumerate(evidence, start=1):
        situation, item_files = _situation(number, item, levels, language)
        situations.append(situation)
        files.extend(item_files)
    courses = [
        {
            "key": str(key),
            "eligibility": reports[key],
            "situations": [situation for situation in situations if situation["course_key"] == str(key)],
            "peer": dict(zip(("given", "received"), exported_feedback(user_id=user_id, course_key=key))),
        }
        for key in course_keys
    ]
    context = {"language": language, "courses": courses, "generated": timezone.now(), "course_key": course_key}
    data = {
        "generated": timezone.now().isoformat(),
        "courses": [
            {
                "course_key": course["key"],
                "attestation": course["eligibility"].to_dict(),
                "situations": [situation["data"] for situation in course["situations"]],
                # Anonymous feedback received keeps its reader unnamed ("reader": "").
                "peer_feedback": {side: [item.to_dict() for item in items] for side, items in course["peer"].items()},
            }
            for course in courses
        ],
    }
    credentials = export_credentials(user_id=user_id, course_key=course_key)
    data["credentials"] = [f"credentials/{name}" for name, _document in credentials]
    context["credentials"] = data["credentials"]
    return PortfolioArchive(
        filename=_archive_name(course_key), language=language, context=context, files=files, data=data,
        credentials=credentials,
    )


def _distinct(values):
    seen = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _archive_name(course_key):
    day = timezone.localdate().isoformat()
    if course_key is None:
        return f"portfolio-{day}.zip"
    return f"portfolio-{slugify(str(course_key)) or 'course'}-{day}.zip"


def _level_labels(evidence, language):
    """{(framework id, level code): label} for the frameworks of the competences decided on."""
    framework_ids = {
        item.competence.framework_id
        for evidence_item in evidence
        for decision in evidence_item.decisions.all()
        for item in decision.competence_decisions.all()
    }
    rows = ProficiencyLevel.objects.filter(framework_id__in=framework_ids) if framework_ids else []
    french = str(language).lower().startswith("fr")
    labels = {}
    for row in rows:
        label = (row.label_fr if french else row.label_en) or row.label_fr or row.label_en
        labels[(row.framework_id, row.code)] = label or row.code
    return labels


def _situation(number, evidence, levels, language):
    """Return (template context, files to copy) of one evidence item."""
    folder = f"{number:03d}-{slugify(evidence.title, allow_unicode=True)[:_FOLDER_LENGTH].strip('-') or 'situation'}"
    names = set()
    files, attachments = [], []
    for attachment in evidence.attachments.all():
        if attachment.kind == AttachmentKind.FILE and attachment.file_key:
            path = f"attachments/{folder}/{_unique_name(attachment.title, names)}"
            files.append(
                ExportedFile(key=attachment.file_key, path=path, size=attachment.size, created=attachment.created)
            )
            attachments.append({"kind": "file", "title": attachment.title, "path": path, "href": quote(path),
                                "size": attachment.size})
        elif attachment.kind == AttachmentKind.LINK:
            safe = attachment.url.lower().startswith(("http://", "https://"))
            attachments.append({"kind": "link", "title": attachment.title, "url": attachment.url,
                                "href": attachment.url if safe else ""})
    data = evidence_to_data(evidence).to_dict()
    data["decisions"] = [_decision_dict(decision) for decision in evidence.decisions.all()]
    context = {
        "number": number,
        "course_key": str(evidence.course_key),
        "title": evidence.title,
        "situation_type": _label(SituationType, evidence.situation_type),
        "occurred_on": evidence.occurred_on,
        "school_level": evidence.school_level,
        "subject": evidence.subject,
        "description": evidence.description,
        "analysis": evidence.analysis,
        "status": _label(EvidenceStatus, evidence.status),
        "version": evidence.version,
        "submitted_at": evidence.submitted_at,
        "claims": [
            {"code": claim.competence.code, "title": _title(claim.competence, language),
             "justification": claim.justification}
            for claim in evidence.claims.all()
        ],
        "attachments": attachments,
        "decisions": [_decision_context(decision, levels, language) for decision in evidence.decisions.all()],
        "data": data,
    }
    return context, files


def _decision_dict(decision):
    """Return a decision as JSON, without the reviewer's account (not the learner's data)."""
    values = decision_to_data(decision).to_dict()
    values.pop("reviewer", None)
    return values


def _decision_context(decision, levels, language):
    return {
        "version": decision.version,
        "created": decision.created,
        "outcome": _label(ReviewOutcome, decision.outcome),
        "accepted": decision.outcome == ReviewOutcome.ACCEPTED,
        "feedback": decision.feedback,
        "competences": [
            {
                "code": item.competence.code,
                "title": _title(item.competence, language),
                "status": _label(CompetenceStatus, item.status),
                "validated": item.status == CompetenceStatus.VALIDATED,
                "level": levels.get((item.competence.framework_id, item.level), item.level) if item.level else "",
            }
            for item in decision.competence_decisions.all()
        ],
    }


def _label(choices, value):
    """Return the translatable label of a choice (lazy: rendered in the summary's language), or the raw value."""
    try:
        return choices(value).label
    except ValueError:
        return value


def _title(competence, language):
    if str(language).lower().startswith("fr"):
        return competence.title_fr or competence.title_en
    return competence.title_en or competence.title_fr


def _unique_name(title, taken):
    """Return a safe file name for the archive, unique (ignoring case) among ``taken``, which it joins."""
    name = sanitize_filename(title) or "file"
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, counter = name, 1
    while candidate.lower() in taken:
        counter += 1
        candidate = f"{stem} ({counter}).{extension}" if extension else f"{stem} ({counter})"
    taken.add(candidate.lower())
    return candidate
