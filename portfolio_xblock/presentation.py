"""Template contexts and rendering of the learner's view: plain data in, HTML out."""
from django.utils.formats import number_format
from django.utils.translation import get_language

from portfolio_xblock.runtime_context import (
    MASQUERADE,
    PREVIEW,
    block_keys,
    block_language,
    current_learner,
    dom_id,
    plugin_api,
    read_only_reason,
)
from portfolio_xblock.templating import render_template
from portfolio_xblock.wording import MB, js_messages, limits_text, megabytes, progress_text, training_only

# The learner's latest situations the page shows; older ones come on demand (``older_evidence``), ten at
# a time. Five keep "Record a new situation", which follows the list, within a phone's reach, and the
# page's cost nearly flat (ADR 0016).
PAGE_SIZE = 5


def render(block, template, context):
    """Render one of the block's Django templates with the runtime's translations, its language and direction."""
    language, direction = block_language(block)
    return render_template(__name__, template, {**context, "block_lang": language, "block_dir": direction},
                           i18n_service=block.runtime.service(block, "i18n"))


def block_limits(block):
    """
    Return the ``UploadLimits`` of the block: the plugin's bounds (``COMPETENCY_PORTFOLIO``), lowered
    by the block's settings and by the largest file the LMS lets through to a handler
    (``STUDENT_FILEUPLOAD_MAX_SIZE``). A ``max_file_size_mb`` of 0 sets no limit of the block's own.
    """
    api = plugin_api()
    sizes = [size for size in (block.max_file_size_mb * MB if block.max_file_size_mb > 0 else None,
                               api.handler_upload_max_size()) if size]
    return api.upload_limits(
        max_file_size=min(sizes) if sizes else None,
        max_files=max(block.max_files, 0),
        file_kinds=tuple(block.file_kinds),
    )


def read_only_message(block, reason):
    """The sentence telling a viewer who may not write why (``reason``: see ``read_only_reason``)."""
    if reason == MASQUERADE:
        return block.ugettext(
            "You are viewing this portfolio as the learner: it is read-only. "
            "Staff cannot record, change or submit a learner's situations."
        )
    if reason == PREVIEW:
        return block.ugettext(
            "This is a preview of what learners see: it is read-only. "
            "Learners record their situations in the course."
        )
    return ""


def framework_choices(block):
    """The frameworks an author may pick, for Studio's select ("" means none)."""
    language = get_language() or "fr"
    choices = [{"display_name": block.ugettext("None"), "value": ""}]
    for framework in plugin_api().list_frameworks():
        choices.append({"display_name": framework.title(language), "value": str(framework.identifier)})
    return choices


def competence_options(block, framework=None, competences=None):
    """The ``CompetenceOption`` list a block offers (the whole framework when none is chosen)."""
    framework = block.framework if framework is None else framework
    competences = block.competences if competences is None else competences
    return plugin_api().selectable_competences(
        framework_identifier=framework, competence_identifiers=tuple(competences)
    )


def _competence_choice(option, language):
    """A competence as Studio's checkboxes list it: indented by depth, code and title."""
    label = "\u2003" * option.depth + f"{option.code} {option.title(language)}".strip()
    return {"display_name": label, "value": str(option.identifier)}


def competence_choices(block, framework=None):
    """Every node of the block's framework, indented by depth, for Studio's checkboxes."""
    language = get_language() or "fr"
    return [_competence_choice(option, language) for option in competence_options(block, framework, competences=())]


def studio_competences():
    """
    Return [(framework identifier, choice)] for every competence of every framework, each
    framework's in tree order: Studio's checkboxes hold them all, and ``studio.js`` shows those of
    the framework the author picks, before it is saved.
    """
    language = get_language() or "fr"
    return [
        (str(framework), _competence_choice(option, language))
        for framework, options in plugin_api().competences_by_framework().items()
        for option in options
    ]


def every_competence_choice(block):  # pylint: disable=unused-argument  # a list_values_provider
    """Every framework's competences, for Studio's checkboxes (see ``studio_competences``)."""
    return [choice for _framework, choice in studio_competences()]


def claim_context(block):
    """The competences a learner may claim in the form: leaves are checkboxes, inner nodes headings."""
    language = get_language() or "fr"
    options = competence_options(block)
    claimable = plugin_api().claimable_identifiers(options)  # the rule the API enforces on saving
    prefix = dom_id(block)
    rows = []
    for option in options:
        identifier = str(option.identifier)
        rows.append({
            "identifier": identifier,
            "label": f"{option.code} {option.title(language)}".strip(),
            "depth": min(option.depth - options[0].depth, 4),
            "claimable": identifier in claimable,
            # The ids of its justification: the panel the checkbox opens, the text area in it.
            "panel_id": f"{prefix}-just-{identifier}",
            "field_id": f"{prefix}-justification-{identifier}",
        })
    return rows


def choice_labels(block):
    """
    Return the labels of the plugin's choices in the active language: the plugin defines them once
    (``competency_plugin.api``'s choices), the block adds only its own "not chosen".
    """
    api = plugin_api()

    def labels(choices):
        return {value: str(label) for value, label in choices.choices}

    return {
        "status": labels(api.EvidenceStatus),
        "type": {**labels(api.SituationType), "": block.ugettext("Type not chosen")},
        "outcome": labels(api.ReviewOutcome),
        "competence": labels(api.CompetenceStatus),
    }


def level_labels(levels):
    """Return {level code: label in the active language} for a framework's scale (``LevelData`` list)."""
    language = get_language() or "fr"
    return {level.code: level.label(language) or level.code for level in levels}


def decision_context(block, decision, levels=None, labels=None):
    """
    Return a review decision as templates show it: its outcome, feedback, and each competence's
    status and level (``levels``: {code: label}; the code is shown when it has no label).
    """
    if decision is None:
        return None
    labels = labels or choice_labels(block)
    language = get_language() or "fr"
    levels = levels or {}
    return {
        "decision": decision,
        "outcome_label": labels["outcome"].get(decision.outcome, decision.outcome),
        "competences": [
            {
                "label": f"{item.competence.code} {item.competence.title(language)}".strip(),
                "status": item.status,
                "status_label": labels["competence"].get(item.status, item.status),
                "level": levels.get(item.level, item.level) if item.level else "",
            }
            for item in decision.competences
        ],
    }


def _learner_decisions(block, learner, evidence_uuids, labels):
    """
    Return {evidence uuid: context of the decision in force} for the ``learner``'s items named by
    ``evidence_uuids`` in the block.

    A fixed number of queries whatever the number of items: the decisions, then the framework's
    scale only when a decision names a level.
    """
    api = plugin_api()
    decisions = api.latest_decisions(
        user_id=learner.user_id, usage_key=block_keys(block)[1], evidence_uuids=evidence_uuids
    )
    levels = {}
    if block.framework and any(item.level for decision in decisions.values() for item in decision.competences):
        try:
            levels = level_labels(api.get_framework_data(block.framework).levels)
        except api.CompetencyError:
            levels = {}
    return {uuid: decision_context(block, decision, levels, labels) for uuid, decision in decisions.items()}


def _size_text(block, size):
    if size >= MB:
        return block.ugettext("{size} MB").format(size=number_format(size / MB, decimal_pos=1))
    return block.ugettext("{size} KB").format(size=max(1, round(size / 1024)))


def _item_row(block, item, decision, labels, language, read_only=False):  # pylint: disable=R0917
    """Return what the list shows of one item: its labels, files, links and decision; no actions if ``read_only``."""
    uuid = str(item.uuid)
    return {
        "item": item,
        "uuid": uuid,
        "title_id": f"{dom_id(block)}-item-{uuid}",
        "decision": decision,
        "status_label": labels["status"].get(item.status, item.status),
        "type_label": labels["type"].get(item.situation_type, item.situation_type),
        "editable": not read_only and item.editable,
        "deletable": not read_only and item.deletable,
        "files": [
            {
                "attachment": attachment,
                "url": block.runtime.handler_url(block, "download", str(attachment.uuid)),
                "size": _size_text(block, attachment.size),
            }
            for attachment in item.files
        ],
        "links": item.links,
        "claims": [f"{claim.competence.code} {claim.competence.title(language)}".strip() for claim in item.claims],
    }


def render_items(block, items, learner):
    """Render the ``learner``'s ``items`` as the list's ``<li>`` elements, each with its decision in force."""
    if not items:
        return ""
    labels = choice_labels(block)
    language = get_language() or "fr"
    decisions = _learner_decisions(block, learner, [item.uuid for item in items], labels)
    read_only = read_only_reason(block) is not None
    rows = [_item_row(block, item, decisions.get(item.uuid), labels, language, read_only) for item in items]
    return render(block, "templates/evidence_items.html", {"rows": rows})


def learner_context(block):
    """Return everything the learner's view shows, computed in a fixed number of queries."""
    learner = current_learner(block)
    reason = read_only_reason(block)
    context = {
        "display_name": block.display_name,
        "prompt": block.prompt,
        "dom_id": dom_id(block),
        "learner": learner,
        "read_only": reason is not None,
        "read_only_message": read_only_message(block, reason),
        "js_config": {},
    }
    if learner is None:
        return context
    api = plugin_api()
    _course_key, usage_key = block_keys(block)
    page = api.list_evidence_page(user_id=learner.user_id, usage_key=usage_key, limit=PAGE_SIZE)
    items = page.items
    counts = api.count_evidence(user_id=learner.user_id, usage_key=usage_key, max_evidence=block.max_evidence)
    limits = block_limits(block)
    labels = choice_labels(block)
    extensions = api.allowed_extensions(limits.file_kinds)
    training = training_only(block)
    context.update(
        {
            "items_html": render_items(block, items, learner),
            "older_before": str(items[-1].uuid) if page.more else "",
            "progress": progress_text(block, counts),
            "situation_types": [
                (value, labels["type"][value]) for value in block.situation_types if value in labels["type"]
            ],
            "list_title": block.ugettext("My training situations") if training
            else block.ugettext("My professional situations"),
            "form_title": block.ugettext("Record a training situation") if training
            else block.ugettext("Record a professional situation"),
            "require_claims": bool(block.framework),
            "accept": ",".join("." + ext for ext in extensions),
            "limits_text": limits_text(block, limits),
            "extensions": ", ".join("." + ext for ext in extensions),
            "can_upload": limits.max_files > 0 and bool(extensions),
            "can_add": counts.can_add,
            "competences": claim_context(block),
            # The learner's own text goes through ``json_script`` (which escapes "<"), never into the
            # fragment's init arguments: runtimes write those into a <script> tag unescaped.
            "editable_evidence": [
                _editable_fields(item) for item in items if item.editable
            ],
            "evidence_script_id": f"{dom_id(block)}-evidence",
            "js_config": {
                # The browser keeps the learner's unsaved text under this key: one per block and learner.
                "draftKey": f"cpf-draft:{usage_key}:{learner.user_id}",
                "maxFiles": limits.max_files,
                "maxFileSize": limits.max_file_size,
                "maxFileSizeText": megabytes(limits.max_file_size),
                # Photos above ``above`` bytes are shrunk in the browser (uploads.js) to at most ``maxSide`` pixels.
                "shrink": {"enabled": bool(block.shrink_photos), "above": max(block.shrink_photos_above_kb, 0) * 1024,
                           "maxSide": 2048, "quality": 0.85},
                "messages": js_messages(block, limits),
            },
        }
    )
    if reason is not None:
        # The learner's view, without the means to write: no form, no item actions, no script.
        context.update({"can_add": False, "editable_evidence": [], "js_config": {"readOnly": True}})
    return context


def _editable_fields(item):
    data = item.to_dict()
    keep = (
        "uuid", "situation_type", "title", "occurred_on", "school_level", "subject", "description", "analysis",
        "edit_version",
    )
    fields = {name: data[name] for name in keep}
    fields["claims"] = [{"competence": c["competence"], "justification": c["justification"]} for c in data["claims"]]
    fields["attachments"] = [
        {"uuid": a["uuid"], "kind": a["kind"], "title": a["title"]} for a in data["attachments"]
    ]
    return fields
