"""
What changed in a resubmitted situation since the version the staff last decided on.

The API keeps every submitted version (ADR 0011): the reviewer of version N sees, beside it, what
the learner changed since the version of the decision in force — each text field word by word,
the competences added, removed or justified anew, the files and links added or removed.
Plain data in (``ReviewItem``), template context out; the template escapes every word.
"""
import difflib
import re

from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from portfolio_xblock.presentation import _labels as item_labels

_WORDS = re.compile(r"(\s+)")
# The texts compared, as the staff read them: (snapshot key, label marked for extraction).
_FIELDS = (
    ("title", "Title"),
    ("occurred_on", "Date"),
    ("school_level", "Level or class"),
    ("subject", "Subject"),
    ("description", "Context and what happened"),
    ("analysis", "Reflective analysis"),
)


def _(text):
    """Mark a string for extraction; it is translated when shown, through the block's ``ugettext``."""
    return text


_("Kind of situation")  # the labels above, for the extractor
_("Title")
_("Date")
_("Level or class")
_("Subject")
_("Context and what happened")
_("Reflective analysis")


def word_diff(before, after):
    """Return [(operation, text)] turning ``before`` into ``after`` word by word: "same", "del" or "ins"."""
    old, new = _WORDS.split(before or ""), _WORDS.split(after or "")
    segments = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, start, end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            segments.append(("same", "".join(old[start:end])))
            continue
        if operation in ("delete", "replace"):
            segments.append(("del", "".join(old[start:end])))
        if operation in ("insert", "replace"):
            segments.append(("ins", "".join(new[new_start:new_end])))
    return [segment for segment in segments if segment[1]]


def diff_html(block, segments):
    """
    Return ``segments`` as HTML (every word escaped): deletions in ``<del>``, additions in ``<ins>``,
    each also said in words for screen readers, which do not announce those elements.
    """
    said = {"del": block.ugettext("[deleted:"), "ins": block.ugettext("[added:")}
    return format_html_join("", "{}", (
        (format_html('<{0}><span class="cpf-sr">{1} </span>{2}<span class="cpf-sr">]</span></{0}>',
                     operation, said[operation], text) if operation in said else text,)
        for operation, text in segments
    ))


def _claim_label(claim, french):
    titles = (claim.get("title_fr"), claim.get("title_en"))
    title = (titles[0] if french else titles[1]) or titles[0] or titles[1] or ""
    return f"{claim.get('code') or ''} {title}".strip()


def _claims(block, before, after, french):
    old = {claim.get("competence"): claim for claim in before}
    new = {claim.get("competence"): claim for claim in after}
    rows = []
    for identifier, claim in new.items():
        if identifier not in old:
            rows.append({"label": _claim_label(claim, french), "change": "added"})
        elif (old[identifier].get("justification") or "") != (claim.get("justification") or ""):
            rows.append({"label": _claim_label(claim, french), "change": "justified",
                         "html": diff_html(block, word_diff(old[identifier].get("justification"),
                                                            claim.get("justification")))})
    rows += [{"label": _claim_label(claim, french), "change": "removed"}
             for identifier, claim in old.items() if identifier not in new]
    return rows


def version_changes(block, review):
    """
    Return what changed between the version of the decision in force and the version shown, or None
    when the version shown is the one decided on (or either version is not kept).

    ``{"since": number, "fields": [{"label", "html"}], "claims": [{"label", "change", "html"?}],
    "added": [titles], "removed": [titles], "any": bool}``.
    """
    latest = review.latest
    if latest is None or latest.version >= review.evidence.version:
        return None
    contents = {version.number: version.content for version in review.versions}
    before, after = contents.get(latest.version), contents.get(review.evidence.version)
    if before is None or after is None:
        return None
    fields = [
        {"label": block.ugettext(label),
         "html": diff_html(block, word_diff(str(before.get(key) or ""), str(after.get(key) or "")))}
        for key, label in _FIELDS if (before.get(key) or "") != (after.get(key) or "")
    ]
    if (before.get("situation_type") or "") != (after.get("situation_type") or ""):
        types = item_labels(block)["type"]
        fields.insert(0, {"label": block.ugettext("Kind of situation"), "html": diff_html(block, [
            segment for segment in (("del", types.get(before.get("situation_type") or "", "")),
                                    ("ins", types.get(after.get("situation_type") or "", ""))) if segment[1]])})
    old_files = {item.get("uuid"): item.get("title") for item in before.get("attachments") or ()}
    new_files = {item.get("uuid"): item.get("title") for item in after.get("attachments") or ()}
    changes = {
        "since": latest.version,
        "fields": fields,
        "claims": _claims(block, before.get("claims") or (), after.get("claims") or (),
                          (get_language() or "fr").startswith("fr")),
        "added": [title for uuid, title in new_files.items() if uuid not in old_files],
        "removed": [title for uuid, title in old_files.items() if uuid not in new_files],
    }
    changes["any"] = any(changes[key] for key in ("fields", "claims", "added", "removed"))
    return changes
