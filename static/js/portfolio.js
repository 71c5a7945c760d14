/* Portfolio XBlock: the learner's form. Server-rendered HTML; this script only sends the
   form to the block's handlers and swaps in the item HTML they return. One instance per block. */
function PortfolioXBlock(runtime, element, config) {
    'use strict';
    var root = element.jquery ? element[0] : element;
    // Course staff also get the review section, driven by review.js (loaded for them only).
    if (config && config.review && typeof window.PortfolioReview === 'function') {
        window.PortfolioReview(runtime, root, config.review);
    }
    // Peer feedback (the learner's section, the staff's moderation), driven by peer.js.
    if (config && config.peer && typeof window.PortfolioPeer === 'function') {
        window.PortfolioPeer(runtime, root, config.peer);
    }
    var block = root.querySelector('.cpf');
    if (!block || !config || !config.messages) { return; }
    var msg = config.messages;
    var form = block.querySelector('[data-role="form"]');
    var store = {};
    // The draft being edited: {uuid, client_key, edit_version}. ``edit_version`` is the stored text the
    // form started from, as the last save or submission answered; attachment answers do not change it.
    var current = null;
    var conflict = null;    // the stored item a refused save answered with, until the learner chooses
    var busy = false;
    // The text the server holds for the open form (``snapshot``): the form is changed while it differs.
    var baseline = null;
    var drafts = window.PortfolioDrafts ? window.PortfolioDrafts(config.draftKey) : null;
    var evidenceData = document.getElementById(block.id + '-evidence');  // the drafts, from json_script
    (evidenceData ? JSON.parse(evidenceData.textContent) : []).forEach(function (item) { store[item.uuid] = item; });

    function $(selector) { return block.querySelector(selector); }
    // Numbers in the block's language (its lang attribute), in the Latin digits the server writes.
    var numbers = new Intl.NumberFormat([(block.lang || 'en') + '-u-nu-latn']);
    function format(text, values) {
        return text.replace(/\{(\w+)\}/g, function (all, key) {
            if (!(key in values)) { return all; }
            return typeof values[key] === 'number' ? numbers.format(values[key]) : values[key];
        });
    }
    // Say what an action did next to where the learner acted (``slot``), and to screen readers.
    function tell(slot, text, isError) {
        if (slot) {
            slot.textContent = text;
            slot.classList.toggle('cpf-outcome-error', !!isError);
            slot.hidden = !text;
        }
        announce(text);
    }
    // A slot for the outcome of an action in the list: inside the item acted on, after its buttons.
    function itemSlot(uuid) {
        var item = uuid && $('[data-role="items"]').querySelector('.cpf-item[data-uuid="' + uuid + '"]');
        if (!item) { return $('[data-role="list-outcome"]'); }
        var slot = item.querySelector('.cpf-outcome');
        if (!slot) {
            slot = document.createElement('p');
            slot.className = 'cpf-outcome';
            item.appendChild(slot);
        }
        return slot;
    }
    function announce(text) {
        var live = $('[data-role="live"]');
        live.textContent = '';
        window.setTimeout(function () { live.textContent = text; }, 50);
    }
    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }
    function newKey() {
        if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
        return Date.now().toString(36) + Math.random().toString(36).slice(2);
    }

    function post(handler, body, isForm) {
        var headers = {'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest'};
        if (!isForm) { headers['Content-Type'] = 'application/json'; }
        return fetch(runtime.handlerUrl(root, handler), {
            method: 'POST', credentials: 'same-origin', headers: headers,
            body: isForm ? body : JSON.stringify(body)
        }).then(function (response) {
            return response.json().catch(function () { return {message: msg.error}; }).then(function (data) {
                if (!response.ok) { data.status = response.status; throw data; }
                return data;
            });
        }, function () { throw {message: drafts ? msg.offlineKept : msg.offline, offline: true}; });
    }

    function clearErrors() {
        hideConflict();
        var summary = $('[data-role="errors"]');
        summary.hidden = true;
        summary.textContent = '';
        block.querySelectorAll('[data-error-for]').forEach(function (node) { node.textContent = ''; });
        block.querySelectorAll('[aria-invalid]').forEach(function (node) { node.removeAttribute('aria-invalid'); });
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
            summary.textContent = (error.message || msg.error) + (names.length ? ' ' + msg.fixErrors : '');
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

    // A write answers with the item it changed, as the list's <li>: swap it in (a new item goes first,
    // as the list is newest first), or take out the one removed.
    function applyResult(data) {
        var items = $('[data-role="items"]');
        var uuid = data.removed || (data.evidence && data.evidence.uuid);
        var shown = uuid ? items.querySelector('.cpf-item[data-uuid="' + uuid + '"]') : null;
        var hadFocus = shown && shown.contains(document.activeElement);
        var fresh = null;
        if (data.item_html) {
            var holder = document.createElement('ul');
            holder.innerHTML = data.item_html;
            fresh = holder.querySelector('.cpf-item');
            if (shown) { items.replaceChild(fresh, shown); } else { items.insertBefore(fresh, items.firstChild); }
        } else if (shown) {
            items.removeChild(shown);
        }
        if (hadFocus) {  // the button pressed is gone: keep the keyboard user in place
            (fresh ? (fresh.querySelector('button') || fresh.querySelector('.cpf-item-title')) : $('[data-role="list-title"]')).focus();
        }
        var empty = !items.querySelector('.cpf-item');
        items.hidden = empty;
        $('[data-role="empty"]').hidden = !empty;
        $('[data-role="progress"]').textContent = data.progress || '';
        $('[data-action="new"]').hidden = !data.can_add;
        if (data.evidence) {
            store[data.evidence.uuid] = data.evidence;
            if (current && (current.uuid === data.evidence.uuid || !current.uuid)) {
                current.uuid = data.evidence.uuid;
                renderAttachments(data.evidence);
            }
        }
        return data;
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

    // Upload the files chosen, one after the other, in chunks (uploads.js), to the draft ``draft``: each
    // shows its progress with a cancel button; the form may close meanwhile: the uploads go on, and say
    // which file failed.
    var uploads = window.PortfolioUploads ? window.PortfolioUploads({
        post: post,
        chunkUrl: function (suffix) { return runtime.handlerUrl(root, 'upload_chunk', suffix); },
        headers: function () { return {'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest'}; },
        shrink: config.shrink
    }) : null;
    function kilobytes(size) { return Math.max(size ? 1 : 0, Math.round(size / 1024)); }
    function progressEntry(file) {
        var li = document.createElement('li');
        var text = document.createElement('span');
        var bar = document.createElement('progress');
        var cancel = document.createElement('button');
        cancel.type = 'button';
        cancel.className = 'cpf-button cpf-link';
        cancel.textContent = msg.cancelUpload;
        cancel.setAttribute('aria-label', msg.cancelUpload + ' ' + file.name);
        bar.setAttribute('aria-label', file.name);
        li.appendChild(text);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(bar);
        li.appendChild(cancel);
        $('[data-role="uploads"]').appendChild(li);
        return {
            li: li, cancel: cancel,
            show: function (sent, total, sending) {
                text.textContent = format(msg.progress, {name: sending.name, sent: kilobytes(sent), total: kilobytes(total)});
                bar.max = total;
                bar.value = sent;
            },
            done: function () { if (li.parentNode) { li.parentNode.removeChild(li); } }
        };
    }
    function uploadFiles() {
        var draft = current;
        var input = form.elements.file;
        var files = input ? Array.prototype.slice.call(input.files) : [];
        var slot = $('[data-role="files-outcome"]');
        var present = ((store[draft.uuid] || {}).attachments || []).filter(function (a) { return a.kind === 'file'; });
        if (present.length + files.length > config.maxFiles) {
            return Promise.reject({message: format(msg.tooMany, {count: config.maxFiles}),
                                   field_errors: {file: [format(msg.tooMany, {count: config.maxFiles})]}});
        }
        function tooLargeError(file) {
            var text = format(msg.tooLarge, {name: file.name, size: config.maxFileSizeText});
            return {message: text, field_errors: {file: [text]}};
        }
        // A photo above the limit may still fit once shrunk: only other files are refused before they leave.
        var tooLarge = files.filter(function (file) {
            return file.size > config.maxFileSize && !(config.shrink && config.shrink.enabled && /^image\//.test(file.type));
        })[0];
        if (tooLarge) { return Promise.reject(tooLargeError(tooLarge)); }
        if (input) { input.value = ''; }
        var entries = files.map(progressEntry);
        var failed = [];
        return files.reduce(function (chain, file, index) {
            return chain.then(function () {
                var entry = entries[index];
                announce(format(msg.uploading, {name: file.name}));
                var sending = uploads.send(file, draft.uuid, function (sent, total, shrunk) { entry.show(sent, total, shrunk); });
                entry.cancel.addEventListener('click', sending.cancel);
                // The LMS refuses a request above its own limit with a 413 and an English {"success": ...}
                // before the block sees it: tell the learner the limit the form states, in their language.
                return sending.promise.then(function (result) {
                    entry.done();
                    applyResult(result);
                    tell(current === draft ? slot : itemSlot(draft.uuid), format(msg.uploaded, {name: file.name}));
                }, function (error) {
                    entry.done();
                    if (error.cancelled) {
                        tell(current === draft ? slot : itemSlot(draft.uuid), format(msg.uploadCancelled, {name: file.name}));
                        return;
                    }
                    error = error.status === 413 ? tooLargeError(file) : error;
                    if (current !== draft) {  // the form was closed: say which file failed, by its situation
                        failed.push(format(msg.uploadFailed, {name: file.name}) + ' ' + (error.message || msg.error));
                        tell(itemSlot(draft.uuid), failed.join(' '), true);
                        return;
                    }
                    entries.slice(index + 1).forEach(function (later) { later.done(); });
                    throw error;
                });
            });
        }, Promise.resolve());
    }

    // Run one action at a time; an error is shown in the form, or at ``slot`` (an element or a function
    // returning one) when the form is closed.
    function run(task, slot) {
        if (busy) { return; }
        busy = true;
        block.setAttribute('aria-busy', 'true');
        task().catch(function (error) {
            if (!error.handled) { showError(error, slot); }
        }).then(function () {
            busy = false;
            block.removeAttribute('aria-busy');
        });
    }
    // Submit the open form: its text goes with the submission, in one request (its files are uploaded first).
    function submitForm() {
        var draft = current;
        var pending = form.elements.file && form.elements.file.files.length;
        var ready = pending ? save().then(uploadFiles) : Promise.resolve();
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

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        run(function () {
            clearErrors();
            return save().then(uploadFiles).then(function () {
                tell($('[data-role="form-outcome"]'), msg.saved);
            });
        });
    });

    // Leaving the page with changes the server does not hold asks first (the browser's own question).
    window.addEventListener('beforeunload', function (event) {
        if (!dirty()) { return undefined; }
        event.preventDefault();
        event.returnValue = msg.confirmClose;
        return msg.confirmClose;
    });
    // The connection is back: save what was typed meanwhile (a conflict is shown, never overwritten).
    function saveWhenOnline() {
        if (!dirty() || busy || (!current.uuid && !form.elements.title.value.trim())) { return; }
        run(function () {
            clearErrors();
            return save().then(function () { tell($('[data-role="form-outcome"]'), msg.savedOnReturn); });
        });
    }
    window.addEventListener('online', saveWhenOnline);

    block.addEventListener('click', function (event) {
        var button = event.target.closest('[data-action]');
        if (!button || !block.contains(button)) { return; }
        var action = button.getAttribute('data-action');
        var uuid = button.getAttribute('data-uuid');
        if (action === 'new' || action === 'edit') {
            if (!form.hidden && dirty() && !window.confirm(msg.confirmClose)) { return; }
            if (drafts) { drafts.clear(); }
            openForm(action === 'edit' ? store[uuid] : null);
        }
        else if (action === 'cancel') { closeForm(false); }
        else if (action === 'submit-form') {
            var missing = missingToSubmit();
            if (missing) { clearErrors(); showError(missing); return; }
            if (!window.confirm(msg.confirmSubmit)) { return; }
            run(function () {
                clearErrors();
                return submitForm();
            });
        } else if (action === 'submit') {
            if (!window.confirm(msg.confirmSubmit)) { return; }
            run(function () {
                var version = (store[uuid] || {}).edit_version;
                return post('submit_evidence', {uuid: uuid, edit_version: version}).then(function (data) {
                    applyResult(data);
                    delete store[uuid];
                    tell(itemSlot(uuid), msg.submitted);
                }, function (error) {
                    // Fields missing: open the situation in the form, each error under its field.
                    if (error.field_errors && Object.keys(error.field_errors).length && store[uuid]) { openForm(store[uuid]); }
                    throw error;
                });
            }, function () { return itemSlot(uuid); });
        } else if (action === 'delete') {
            if (!window.confirm(msg.confirmDelete)) { return; }
            run(function () {
                return post('delete_evidence', {uuid: uuid}).then(function (data) {
                    applyResult(data);
                    delete store[uuid];
                    if (current && current.uuid === uuid) { closeForm(true); }
                    tell($('[data-role="list-outcome"]'), msg.deleted);
                });
            }, function () { return itemSlot(uuid); });
        } else if (action === 'add-link') {
            run(function () {
                clearErrors();
                var ready = current.uuid ? Promise.resolve() : save();
                return ready.then(function () {
                    return post('add_link', {uuid: current.uuid, url: form.elements.url.value,
                                             title: form.elements.link_title.value});
                }).then(function (data) {
                    applyResult(data);
                    form.elements.url.value = '';
                    form.elements.link_title.value = '';
                    tell($('[data-role="link-outcome"]'), msg.linkAdded);
                });
            });
        } else if (action === 'keep-mine' && conflict) {
            // Save the form's text over the stored one: the learner chose it.
            current.edit_version = conflict.edit_version;
            run(function () {
                clearErrors();
                return save().then(function () {
                    $('[data-role="form-title"]').focus();
                    tell($('[data-role="form-outcome"]'), msg.keptMine);
                });
            });
        } else if (action === 'take-saved' && conflict) {
            var stored = conflict;
            clearErrors();
            current.edit_version = stored.edit_version;
            fillForm(stored);
            saved(snapshot());
            $('[data-role="form-title"]').focus();
            tell($('[data-role="form-outcome"]'), msg.tookSaved);
        } else if (action === 'older') {
            // The learner's older situations, a page at a time, after those the list shows.
            run(function () {
                return post('older_evidence', {before: button.getAttribute('data-before')}).then(function (data) {
                    var items = $('[data-role="items"]');
                    var holder = document.createElement('ul');
                    holder.innerHTML = data.items_html;
                    var first = holder.querySelector('.cpf-item h5');
                    while (holder.firstChild) { items.appendChild(holder.firstChild); }
                    (data.evidence || []).forEach(function (item) { store[item.uuid] = item; });
                    button.setAttribute('data-before', data.before);
                    button.hidden = !data.before;
                    tell($('[data-role="list-outcome"]'), data.message);
                    if (first) { first.focus(); }
                });
            }, function () { return $('[data-role="list-outcome"]'); });
        } else if (action === 'remove-attachment') {
            run(function () {
                return post('remove_attachment', {uuid: uuid}).then(function (data) {
                    applyResult(data);
                    tell($('[data-role="files-outcome"]'), msg.removed);
                });
            });
        }
    });

    // Text this browser kept from an earlier visit (a reload, a crash, an offline spell) goes back into the
    // form, and to the server when online: an item changed meanwhile elsewhere is a conflict to resolve.
    var kept = drafts && !config.readOnly ? drafts.read() : null;
    if (kept && form) {
        // An item the page does not list (an older page) is edited by its uuid, never recorded again.
        openForm(kept.uuid ? (store[kept.uuid] || {uuid: kept.uuid, edit_version: kept.edit_version}) : null, kept);
        drafts.adopt(kept);
        if (navigator.onLine) { saveWhenOnline(); }
    }
}
