"""
What the learner's view says in words: their progress, the file help, the headings a block's settings
call for, and the strings its script shows. Plain values in, translated text out (the block's
``ugettext``).
"""
from django.utils.formats import number_format

MB = 1024 * 1024


def _(text):
    """Mark a string for extraction; it is translated when shown, through the block's ``ugettext``."""
    return text


def megabytes(size):
    """A size in MB, in the active language's number format, without a useless decimal."""
    value = size / MB
    return number_format(round(value, 1) if value % 1 else int(value))


def progress_text(block, counts):
    """
    Return the sentences telling the learner how far they are (``counts``: their ``EvidenceCounts``
    in the block): what the activity asks for, then how many situations await review, are to revise
    and are accepted. The activity is never said done while a situation is sent back for revision.
    """
    gettext = block.ugettext
    if 0 < block.min_evidence <= counts.submitted and not counts.to_revise:
        sentences = [gettext("You have submitted the situations this activity asks for.")]
    elif block.min_evidence > 0:
        sentences = [gettext("Submitted situations: {submitted} of {required} required.").format(
            submitted=counts.submitted, required=block.min_evidence)]
    elif counts.submitted:
        sentences = [gettext("Submitted situations: {submitted}.").format(submitted=counts.submitted)]
    else:
        return ""
    for count, text in ((counts.awaiting_review, gettext("Awaiting review: {count}.")),
                        (counts.to_revise, gettext("To revise: {count}.")),
                        (counts.accepted, gettext("Accepted: {count}."))):
        if count:
            sentences.append(text.format(count=count))
    if counts.to_revise:
        sentences.append(gettext("Revise the situations sent back, then submit them again."))
    return " ".join(sentences)


def training_only(block):
    """Whether the block accepts training situations only (its headings then say so)."""
    return list(block.situation_types) == ["training"]


# File kinds as a sentence names them (``limits_text``); the full list of extensions is on demand.
_KIND_WORDS = {
    "pdf": _("PDF"), "image": _("images"), "office": _("office documents"), "text": _("text files"),
    "audio": _("audio"), "video": _("video"),
}


def limits_text(block, limits):
    """The file help: how many files, how large, and the kinds of file in words ("PDF, images…")."""
    # Translators: separates the kinds of file in "Up to 5 files of 10 MB each: PDF, images, office documents."
    kinds = block.ugettext(", ").join(block.ugettext(_KIND_WORDS[kind]) for kind in limits.file_kinds
                                      if kind in _KIND_WORDS)
    return block.ngettext(
        "Up to {count} file of {size} MB: {kinds}.", "Up to {count} files of {size} MB each: {kinds}.",
        limits.max_files,
    ).format(count=limits.max_files, size=megabytes(limits.max_file_size), kinds=kinds)


def js_messages(block, limits):
    """Return the translated strings the JavaScript shows."""
    gettext = block.ugettext
    return {
        "newTitle": gettext("Record a training situation") if training_only(block)
        else gettext("Record a professional situation"),
        "editTitle": gettext("Edit the situation"),
        "saved": gettext("Draft saved."),
        "submitted": gettext("Situation submitted."),
        "deleted": gettext("Draft deleted."),
        "linkAdded": gettext("Link added."),
        "removed": gettext("Attachment removed."),
        "uploading": gettext("Uploading {name}…"),
        "uploaded": gettext("{name} attached."),
        "confirmDelete": gettext("Delete this draft and its attachments?"),
        "confirmSubmit": gettext(
            "Submit this situation for review? You will not be able to change it until it is reviewed."
        ),
        "error": gettext("Something went wrong. Please try again."),
        "offline": gettext("The connection failed. Your text is still in the form: try again."),
        "offlineKept": gettext(
            "The connection failed. Your text is kept in this browser and will be saved when the connection returns."
        ),
        "savedOnReturn": gettext("The connection is back: your draft is saved."),
        "confirmClose": gettext("Your changes are not saved. Close the form and drop them?"),
        "uploadFailed": gettext("{name} was not attached."),
        "uploadCancelled": gettext("{name}: upload cancelled."),
        "cancelUpload": gettext("Cancel"),
        # A file's progress: "photo.jpg 120 / 240 KB".
        "progress": gettext("{name} {sent} / {total} KB"),
        "stateNew": gettext("Not saved yet."),
        "stateSaved": gettext("Draft saved."),
        "stateUnsaved": gettext("Changes not saved yet."),
        "stateKept": gettext("Changes not saved yet: this browser keeps them."),
        "stateRestored": gettext("Text restored from this browser: not saved yet."),
        "stateOffline": gettext("Offline: your text is kept in this browser until the connection returns."),
        "fixErrors": gettext("Please correct the fields marked below."),
        "requiredToSubmit": gettext("This field is required to submit."),
        "missingToSubmit": gettext("Complete the missing fields before submitting."),
        "chooseCompetence": gettext("Choose at least one competence this situation shows."),
        "justify": gettext("Explain how the situation shows this competence."),
        "tooLarge": gettext("{name} is larger than the {size} MB allowed."),
        "tooMany": block.ngettext(
            "You can attach at most {count} file.", "You can attach at most {count} files.", limits.max_files
        ).format(count=limits.max_files),
        "remove": gettext("Remove"),
        "noAttachment": gettext("No attachment yet."),
        "conflictSaved": gettext("The saved version is titled “{title}”."),
        "changedElsewhere": gettext(
            "This situation was changed in another tab or window: the form shows the saved version. "
            "Check it before submitting it."
        ),
        "keptMine": gettext("Your text is saved; it replaces the other version."),
        "tookSaved": gettext("The form now shows the saved version."),
    }
