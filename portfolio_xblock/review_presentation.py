"""
Template contexts and rendering of the staff's review in the block.

The queue of the block's submitted evidence, and one item opened with its decision form.

Plain data in (``competency_plugin.api`` dataclasses), HTML out; no query per listed item.
"""
from django.utils.translation import get_language

from portfolio_xblock.presentation import choice_labels as item_labels
from portfolio_xblock.presentation import decision_context, level_labels, plugin_api, render
from portfolio_xblock.runtime_context import block_keys, dom_id


def _language():
    return get_language() or "fr"


def parse_queue_filters(payload):
    """
    Return (status filter, learner filter, page) from a request's JSON, falling back to defaults.

    The fields are read by the plugin's one definition of the queue's filters (``QueueFilter``);
    the block only names the form's status choice.
    """
    query = plugin_api().QueueFilter.parse(payload if isinstance(payload, dict) else {}, strict=False)
    return query.preset, query.learner, query.page


def queue_context(block, status=None, learner="", page=1):
    """Return the context of one page of the block's review queue (two queries)."""
    api = plugin_api()
    course_key, usage_key = block_keys(block)
    status = status if status in api.QUEUE_PRESETS else api.DEFAULT_QUEUE_PRESET
    result = api.review_queue(
        course_key=course_key, usage_key=usage_key, statuses=api.QUEUE_PRESETS[status][0], learner=learner, page=page
    )
    labels = item_labels(block)
    rows = [
        {
            "item": item,
            "status_label": labels["status"].get(item.status, item.status),
            "type_label": labels["type"].get(item.situation_type, item.situation_type),
        }
        for item in result.items
    ]
    return {
        "dom_id": dom_id(block),
        "rows": rows,
        "count": result.count,
        "page": result.page,
        "pages": result.pages,
        "status": status,
        "learner": learner,
        "summary": block.ngettext(
            "{count} situation, page {page} of {pages}", "{count} situations, page {page} of {pages}", result.count
        ).format(count=result.count, page=result.page, pages=result.pages),
    }


def render_queue(block, status=None, learner="", page=1):
    """Render one page of the block's review queue."""
    return render(block, "templates/review_queue.html", queue_context(block, status, learner, page))


def review_context(block):
    """Return the context of the staff's review section: the filters and the queue's first page."""
    return {
        "dom_id": dom_id(block),
        "filters": [(value, str(label)) for value, (_statuses, label) in plugin_api().QUEUE_PRESETS.items()],
        "status": plugin_api().DEFAULT_QUEUE_PRESET,
        "queue_html": render_queue(block),
    }


def review_js_config(block):
    """Return the configuration of the staff's script: the translated strings it shows."""
    gettext = block.ugettext
    return {
        "messages": {
            "loading": gettext("Loading…"),
            "loaded": gettext("Situation opened."),
            "queueLoaded": gettext("List updated."),
            "decided": gettext("Decision recorded."),
            "error": gettext("Something went wrong. Please try again."),
            "offline": gettext("The connection failed. Your decision is still in the form: try again."),
            "fixErrors": gettext("Please correct the fields marked below."),
        },
    }


def _competence_rows(review):
    """
    Return one row per claimed competence: the learner's justification and the form's choice.

    The choice is prefilled from the decision in force when it is on the version read.
    """
    language = _language()
    latest = review.latest
    current = latest if latest and latest.version == review.evidence.version else None
    previous = {str(item.competence.identifier): item for item in (current.competences if current else ())}
    rows = []
    for index, claim in enumerate(review.evidence.claims):
        identifier = str(claim.competence.identifier)
        before = previous.get(identifier)
        rows.append(
            {
                "index": index,
                "identifier": identifier,
                "label": f"{claim.competence.code} {claim.competence.title(language)}".strip(),
                "justification": claim.justification,
                "status": before.status if before else "",
                "level": before.level if before else "",
            }
        )
    return rows


def _version_content(content):
    """Return what an earlier version held, for the history: its text, claims and attachment names."""
    french = _language().startswith("fr")
    claims = []
    for claim in content.get("claims") or ():
        titles = (claim.get("title_fr"), claim.get("title_en"))
        title = (titles[0] if french else titles[1]) or titles[0] or titles[1]
        claims.append({
            "label": f"{claim.get('code') or ''} {title or ''}".strip(),
            "justification": claim.get("justification", ""),
        })
    return {
        "title": content.get("title", ""),
        "description": content.get("description", ""),
        "analysis": content.get("analysis", ""),
        "claims": claims,
        "attachments": [item.get("title", "") for item in content.get("attachments") or ()],
    }


def _history(block, review, levels):
    """
    Return the versions of the item, newest first, each with the decisions made on it.

    Earlier versions carry what the learner submitted then, so that each decision can be read
    against the text it was made on.
    """
    versions = {version.number: version for version in review.versions}
    numbers = sorted(set(versions) | {decision.version for decision in review.decisions}, reverse=True)
    return [
        {
            "number": number,
            "submitted_at": versions[number].submitted_at if number in versions else None,
            "current": number == review.evidence.version,
            "content": _version_content(versions[number].content) if number in versions else None,
            "decisions": [
                decision_context(block, decision, levels) for decision in review.decisions if decision.version == number
            ],
        }
        for number in numbers
    ]


def item_context(block, review):
    """Return everything the staff see of one evidence item, with the decision form."""
    labels = item_labels(block)
    evidence = review.evidence
    levels = level_labels(review.levels)
    language = _language()
    latest = review.latest
    return {
        "dom_id": dom_id(block),
        "review": review,
        "evidence": evidence,
        "status_label": labels["status"].get(evidence.status, evidence.status),
        "type_label": labels["type"].get(evidence.situation_type, evidence.situation_type),
        "files": [
            {"attachment": item, "url": block.runtime.handler_url(block, "download", str(item.uuid))}
            for item in evidence.files
        ],
        "links": evidence.links,
        "competences": _competence_rows(review),
        "levels": [(level.code, level.label(language) or level.code) for level in review.levels],
        "history": _history(block, review, levels),
        "base_decision": str(latest.uuid) if latest else "",
        "latest_outcome": latest.outcome if latest and latest.version == evidence.version else "",
        "feedback_limit": plugin_api().MAX_FEEDBACK_LENGTH,
    }


def render_item(block, review):
    """Render one evidence item opened by staff, with its decision form."""
    return render(block, "templates/review_item.html", item_context(block, review))


def load_review_item(block, evidence_uuid):
    """
    Return the ``ReviewItem`` of one of the block's submitted items.

    Raises ``CompetencyNotFoundError`` for an item of another block (each block reviews its own).
    """
    api = plugin_api()
    course_key, usage_key = block_keys(block)
    review = api.get_review_item(evidence_uuid=evidence_uuid, course_key=course_key)
    if review.evidence.usage_key != str(usage_key):
        raise api.CompetencyNotFoundError(block.ugettext("This evidence item does not exist."))
    return review
