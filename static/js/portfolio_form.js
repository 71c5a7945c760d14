/* Portfolio XBlock: the learner's form (portfolio.js opens it): its fields and competences, what the
   server holds of it (saved, changed, kept in this browser), its errors under each field, and a save
   refused because the text changed elsewhere (a conflict the learner resolves). One per block. */
window.PortfolioForm = function (page) {
    'use strict';
    var block = page.block;
    var form = page.form;
    var msg = page.msg;
    var store = page.store;
    var drafts = page.drafts;
    var $ = page.$;
    var tell = page.tell;
    var announce = page.announce;
    var format = page.format;
    var post = page.post;
    var applyResult = page.applyResult;
    var itemSlot = page.itemSlot;
    var H = window.PortfolioHandlers;
    // The draft being edited: {uuid, client_key, edit_version}. ``edit_version`` is the stored text the
    // form started from, as the last save or submission answered; attachment answers do not change it.
    var current = null;
    var conflict = null;    // the stored item a refused save answered with, until the learner chooses
    // The text the server holds for the open form (``snapshot``): the form is changed while it differs.
    var baseline = null;

    function newKey() {
        if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
        return Date.now().toString(36) + Math.random().toString(36).slice(2);
    }

    function clearErrors() {
        hideConflict();
        var summary = $('[data-role="errors"]');
        summary.hidden = true;
        summary.textContent = '';
        H.clearFieldErrors(block, 'data-error-for');
    }
    function showError(error, slot) {
        if (error.status === 409 && error.current) { return showConflict(error); }
        if (error.offline && current && !form.hidden && dirty()) { setState(drafts ? 'offline' : 'unsaved'); }
        var fields = error.field_errors || {};
        var names = Object.keys(fields);
        var summary = $('[data-role="errors"]');
        if (!form.hidden) {
            names.forEach(function (name) {
                var slot = block.querySelector('[data-error-for="' + name + '"]');
                if (slot) { slot.textContent = fields[name].join(' '); }
                invalidTargets(name).forEach(function (input) { input.setAttribute('aria-invalid', 'true'); });
            });
            summary.textContent = H.errorSummary(error, msg);
            summary.hidden = false;
            summary.focus();
            announce(error.message || msg.error);
        } else {
            tell(typeof slot === 'function' ? slot() : slot, error.message || msg.error, true);
        }
    }

    // The fields an error names: ``competences.<identifier>.justification`` is that competence's text.
    function invalidTargets(name) {
        var claim = /^competences\.([0-9a-f-]+)\.justification$/.exec(name);
        if (claim) { return form.querySelectorAll('textarea[data-competence="' + claim[1] + '"]'); }
        return form.querySelectorAll('[name="' + name + '"]');
    }
    // What submitting needs, checked before the learner is asked to confirm: the same rules as the
    // server's, with its messages, each under its field. Returns an error to show, or null.
    function missingToSubmit() {
        var errors = {};
        var required = [msg.requiredToSubmit];
        if (!form.elements.title.value.trim()) { errors.title = required; }
        ['description', 'analysis'].forEach(function (name) {
            if (!form.elements[name].value.trim()) { errors[name] = required; }
        });
        if (form.querySelector('[data-required-to-submit="situation_type"]') &&
                !form.querySelector('[name="situation_type"]:checked')) { errors.situation_type = required; }
        var chosen = (claims() || []);
        if (form.querySelector('[data-required-to-submit="competences"]')) {
            if (!chosen.length) { errors.competences = [msg.chooseCompetence]; }
            chosen.forEach(function (claim) {
                if (!claim.justification.trim()) { errors['competences.' + claim.competence + '.justification'] = [msg.justify]; }
            });
        }
        return Object.keys(errors).length ? {message: msg.missingToSubmit, field_errors: errors} : null;
    }

    // A save or submission made on an older text than the stored one (another tab saved meanwhile)
    // is refused with the stored item: the learner's text stays in the form until they choose to keep
    // it (saved again over the stored one) or to take the stored one.
    function showConflict(error) {
        var stored = error.current;
        store[stored.uuid] = stored;
        if (form.hidden || !current || (current.uuid && current.uuid !== stored.uuid)) {
            // A submission from the list, of a text changed elsewhere: show the learner what is stored
            // before they submit it (in the form, unless it holds another situation's text).
            if (form.hidden || !current) { openForm(stored); }
            var summary = $('[data-role="errors"]');
            summary.textContent = msg.changedElsewhere;
            summary.hidden = false;
            summary.focus();
            announce(msg.changedElsewhere);
            return;
        }
        current.uuid = stored.uuid;
        conflict = stored;
        var panel = $('[data-role="conflict"]');
        $('[data-role="conflict-text"]').textContent = (error.message || msg.error) + ' ' +
            format(msg.conflictSaved, {title: stored.title || ''});
        panel.hidden = false;
        panel.focus();
        announce(error.message || msg.error);
    }
    function hideConflict() {
        conflict = null;
        var panel = $('[data-role="conflict"]');
        if (panel) { panel.hidden = true; }
    }

    function renderAttachments(item) {
        var list = $('[data-role="attachments"]');
        list.textContent = '';
        var attachments = (item && item.attachments) || [];
        if (!attachments.length) {
            var empty = document.createElement('li');
            empty.className = 'cpf-muted';
            empty.textContent = msg.noAttachment;
            list.appendChild(empty);
        }
        attachments.forEach(function (attachment) {
            var li = document.createElement('li');
            var name = document.createElement('span');
            name.textContent = attachment.title;
            var remove = document.createElement('button');
            remove.type = 'button';
            remove.className = 'cpf-button cpf-link';
            remove.setAttribute('data-action', 'remove-attachment');
            remove.setAttribute('data-uuid', attachment.uuid);
            remove.textContent = msg.remove;
            remove.setAttribute('aria-label', msg.remove + ' ' + attachment.title);
            li.appendChild(name);
            li.appendChild(document.createTextNode(' '));
            li.appendChild(remove);
            list.appendChild(li);
        });
    }

    // ``kept``: the text this browser kept of the form (drafts.js), put back over the item's.
    function openForm(item, kept) {
        clearErrors();
        form.reset();
        current = {uuid: item ? item.uuid : null, client_key: item ? null : newKey(),
                   edit_version: item ? item.edit_version : null};
        fillForm(item);
        baseline = snapshot();
        if (kept) {
            // A new situation's key, sent again, finds the draft its first save created (never a submitted one).
            if (!item && !kept.uuid) { current.client_key = kept.client_key || current.client_key; }
            else if (kept.edit_version) { current.edit_version = kept.edit_version; }
            fillFields(kept.fields, kept.claims);
        }
        ['form-outcome', 'link-outcome', 'files-outcome'].forEach(function (role) { tell($('[data-role="' + role + '"]'), ''); });
        showTitle();
        setState(kept ? 'restored' : (item ? 'saved' : 'new'));
        form.hidden = false;
        $('[data-role="form-title"]').focus();
    }
    function fillForm(item) {
        fillFields(item, item && item.claims);
        renderAttachments(item);
    }
    function fillFields(values, claimList) {
        ['title', 'occurred_on', 'school_level', 'subject', 'description', 'analysis'].forEach(function (name) {
            form.elements[name].value = (values && values[name]) || '';
        });
        form.querySelectorAll('[name="situation_type"]').forEach(function (radio) {
            radio.checked = !!values && radio.value === values.situation_type;
        });
        var chosen = {};
        (claimList || []).forEach(function (claim) { chosen[claim.competence] = claim.justification; });
        form.querySelectorAll('[name="competence"]').forEach(function (box) {
            box.checked = box.value in chosen;
            justification(box).value = chosen[box.value] || '';
            toggleJustification(box);
        });
    }
    // The form's title follows its state: a new situation until the server holds it, then its draft.
    function showTitle() {
        $('[data-role="form-title"]').textContent = current && current.uuid ? msg.editTitle : msg.newTitle;
    }
    // What the server holds of the form: 'new' (nothing yet), 'saved', 'unsaved' (changes), 'kept' (changes
    // kept in this browser), 'restored' (text this browser kept from an earlier visit), 'offline'.
    function setState(state) {
        var text = {
            'new': msg.stateNew,
            'saved': msg.stateSaved,
            'unsaved': msg.stateUnsaved,
            'kept': msg.stateKept,
            'restored': msg.stateRestored,
            'offline': msg.stateOffline
        }[state];
        var node = $('[data-role="form-state"]');
        node.textContent = text || '';
        node.setAttribute('data-state', state);
    }
    // Close the form; a changed one only once the learner agrees to drop the changes (``force``: no question).
    function closeForm(force) {
        if (!force && dirty() && !window.confirm(msg.confirmClose)) { return false; }
        if (drafts) { drafts.clear(); }
        form.hidden = true;
        current = null;
        baseline = null;
        var button = $('[data-action="new"]');
        if (!button.hidden) { button.focus(); }
        return true;
    }

    function justification(box) {
        return form.querySelector('textarea[data-competence="' + box.value + '"]');
    }
    function toggleJustification(box) {
        justification(box).parentNode.hidden = !box.checked;
        box.setAttribute('aria-expanded', box.checked ? 'true' : 'false');
    }
    function claims() {
        var boxes = form.querySelectorAll('[name="competence"]');
        if (!boxes.length) { return undefined; }
        return Array.prototype.filter.call(boxes, function (box) { return box.checked; }).map(function (box) {
            return {competence: box.value, justification: justification(box).value};
        });
    }

    function fields() {
        var checked = form.querySelector('[name="situation_type"]:checked');
        var values = {situation_type: checked ? checked.value : ''};
        ['title', 'school_level', 'subject', 'description', 'analysis'].forEach(function (name) {
            values[name] = form.elements[name].value;
        });
        values.occurred_on = form.elements.occurred_on.value || null;
        return values;
    }
    function snapshot() {
        return JSON.stringify({fields: fields(), claims: claims() || null});
    }
    // Whether the open form holds text the server does not.
    function dirty() {
        return !!current && !form.hidden && baseline !== null && snapshot() !== baseline;
    }
    // Keep the form's text in this browser while it differs from the server's; forget it once equal.
    function keepLocally() {
        if (!current || form.hidden) { return; }
        if (!dirty()) {
            if (drafts) { drafts.clear(); }
            setState(current.uuid ? 'saved' : 'new');
            return;
        }
        var kept = drafts && drafts.write({uuid: current.uuid, client_key: current.client_key,
                                           edit_version: current.edit_version, fields: fields(), claims: claims()});
        setState(kept ? 'kept' : 'unsaved');
    }

    function save() {
        var draft = current;
        var sent = snapshot();
        return post('save_evidence', {uuid: draft.uuid, client_key: draft.client_key, fields: fields(),
                                      claims: claims(), edit_version: draft.edit_version})
            .then(applyResult).then(keepVersion).then(function (data) {
                if (current === draft) { saved(sent); }
                return data;
            });
    }
    // The server now holds ``sent``: the form is unchanged unless the learner typed since.
    function saved(sent) {
        baseline = sent;
        showTitle();
        keepLocally();
    }
    // Only saves and submissions answer with the version the form's text now is.
    function keepVersion(data) {
        if (current && data.evidence && current.uuid === data.evidence.uuid) {
            current.edit_version = data.evidence.edit_version;
        }
        return data;
    }

    // Submit the open form: its text goes with the submission, in one request (its files are uploaded first).
    function submitForm() {
        var draft = current;
        var pending = form.elements.file && form.elements.file.files.length;
        var ready = pending ? save().then(page.files.upload) : Promise.resolve();
        return ready.then(function () {
            return post('submit_evidence', {uuid: draft.uuid, client_key: draft.client_key, fields: fields(),
                                            claims: claims(), edit_version: draft.edit_version});
        }).then(function (data) {
            applyResult(data);
            delete store[data.evidence.uuid];
            if (current === draft) { closeForm(true); }
            tell(itemSlot(data.evidence.uuid), msg.submitted);
        });
    }

    form.addEventListener('change', function (event) {
        if (event.target.name === 'competence') { toggleJustification(event.target); }
        keepLocally();
    });
    form.addEventListener('input', keepLocally);

    // A write answered with ``evidence``: the form's draft, once the server holds it, is that item.
    function follow(evidence) {
        if (current && (current.uuid === evidence.uuid || !current.uuid)) {
            current.uuid = evidence.uuid;
            renderAttachments(evidence);
        }
    }
    // The learner keeps their text over the stored one: the task (for portfolio.js's run) saving it.
    function keepMine() {
        current.edit_version = conflict.edit_version;
        return function () {
            clearErrors();
            return save().then(function () {
                $('[data-role="form-title"]').focus();
                tell($('[data-role="form-outcome"]'), msg.keptMine);
            });
        };
    }
    // The learner takes the stored text in place of theirs.
    function takeSaved() {
        var stored = conflict;
        clearErrors();
        current.edit_version = stored.edit_version;
        fillForm(stored);
        saved(snapshot());
        $('[data-role="form-title"]').focus();
        tell($('[data-role="form-outcome"]'), msg.tookSaved);
    }

    return {
        current: function () { return current; },
        conflict: function () { return conflict; },
        open: openForm, close: closeForm, save: save, submit: submitForm, dirty: dirty,
        clearErrors: clearErrors, showError: showError, missingToSubmit: missingToSubmit,
        follow: follow, keepMine: keepMine, takeSaved: takeSaved
    };
};
