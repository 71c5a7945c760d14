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

from portfolio_xblock.presentation import choice_labels as item_labels

# A word with the spaces after it (or spaces alone, at the start): what the changes are made of.
_TOKENS = re.compile(r"\S+\s*|\s+")
# The most words of a changed run compared word by word (the comparison's cost grows as their square).
_WORD_LIMIT = 400
_WORD_BUDGET = 1200
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


def _tokens(text):
    return _TOKENS.findall(text or "")


def _common_ends(old, new):
    """Return how many tokens ``old`` and ``new`` share at their start, and then at their end."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _words(old, new, budget):
    """
    Return the segments turning the token list ``old`` into ``new``, word by word when that is cheap:
    runs of at most ``_WORD_LIMIT`` words, while ``budget`` (a one-item list: words left) lasts.
    """
    start, end = _common_ends(old, new)
    middle_old, middle_new = old[start:len(old) - end], new[start:len(new) - end]
    segments = [("same", "".join(old[:start]))]
    size = max(len(middle_old), len(middle_new))
    budget[0] -= size
    if size > _WORD_LIMIT or budget[0] < 0:
        # Too long to compare word by word at a bounded cost (the comparison is quadratic): whole.
        segments += [("del", "".join(middle_old)), ("ins", "".join(middle_new))]
    else:
        matcher = difflib.SequenceMatcher(None, middle_old, middle_new, autojunk=False)
        for operation, i, j, k, m in matcher.get_opcodes():
            if operation == "equal":
                segments.append(("same", "".join(middle_old[i:j])))
                continue
            segments += [("del", "".join(middle_old[i:j])), ("ins", "".join(middle_new[k:m]))]
    segments.append(("same", "".join(old[len(old) - end:])))
    return segments


def word_diff(before, after):
    """
    Return [(operation, text)] turning ``before`` into ``after``: "same", "del" or "ins".

    Lines are compared first, then the words of each changed run of lines (beyond what they share
    at both ends) when there are at most ``_WORD_LIMIT`` of them on either side, up to
    ``_WORD_BUDGET`` words in all; longer runs, and runs past the budget, are shown whole. The cost
    stays bounded whatever the learner writes (texts of 20,000 characters).
    """
    old_lines, new_lines = (before or "").splitlines(keepends=True), (after or "").splitlines(keepends=True)
    segments, budget = [], [_WORD_BUDGET]
    for operation, i, j, k, m in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes():
        if operation == "equal":
            segments.append(("same", "".join(old_lines[i:j])))
        else:
            segments += _words(_tokens("".join(old_lines[i:j])), _tokens("".join(new_lines[k:m])), budget)
    merged = []
    for operation, text in segments:
        if not text:
            continue
        if merged and merged[-1][0] == operation:
            merged[-1] = (operation, merged[-1][1] + text)
        else:
            merged.append((operation, text))
    return merged


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
