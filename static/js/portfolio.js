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
        }, function () { throw {message: msg.offline}; });
    }

    function clearErrors() {
        hideConflict();
        var summary = $('[data-role="errors"]');
        summary.hidden = true;
        summary.textContent = '';
        block.querySelectorAll('[data-error-for]').forEach(function (node) { node.textContent = ''; });
        block.querySelectorAll('[aria-invalid]').forEach(function (node) { node.removeAttribute('aria-invalid'); });
    }
    function showError(error) {
        if (error.status === 409 && error.current) { return showConflict(error); }
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
        }
        announce(error.message || msg.error);
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

    function openForm(item) {
        clearErrors();
        form.reset();
        current = {uuid: item ? item.uuid : null, client_key: item ? null : newKey(),
                   edit_version: item ? item.edit_version : null};
        fillForm(item);
        var title = $('[data-role="form-title"]');
        title.textContent = item ? msg.editTitle : msg.newTitle;
        form.hidden = false;
        title.focus();
    }
    function fillForm(item) {
        ['title', 'occurred_on', 'school_level', 'subject', 'description', 'analysis'].forEach(function (name) {
            form.elements[name].value = (item && item[name]) || '';
        });
        form.querySelectorAll('[name="situation_type"]').forEach(function (radio) {
            radio.checked = !!item && radio.value === item.situation_type;
        });
        var claims = {};
        ((item && item.claims) || []).forEach(function (claim) { claims[claim.competence] = claim.justification; });
        form.querySelectorAll('[name="competence"]').forEach(function (box) {
            box.checked = box.value in claims;
            justification(box).value = claims[box.value] || '';
            toggleJustification(box);
        });
        renderAttachments(item);
    }
    function closeForm() {
        form.hidden = true;
        current = null;
        var button = $('[data-action="new"]');
        if (!button.hidden) { button.focus(); }
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

    function save() {
        return post('save_evidence', {uuid: current.uuid, client_key: current.client_key, fields: fields(),
                                      claims: claims(), edit_version: current.edit_version})
            .then(applyResult).then(keepVersion);
    }
    // Only saves and submissions answer with the version the form's text now is.
    function keepVersion(data) {
        if (current && data.evidence && current.uuid === data.evidence.uuid) {
            current.edit_version = data.evidence.edit_version;
        }
        return data;
    }

    function uploadFiles() {
        var input = form.elements.file;
        var files = input ? Array.prototype.slice.call(input.files) : [];
        var present = ((store[current.uuid] || {}).attachments || []).filter(function (a) { return a.kind === 'file'; });
        if (present.length + files.length > config.maxFiles) {
            return Promise.reject({message: format(msg.tooMany, {count: config.maxFiles}),
                                   field_errors: {file: [format(msg.tooMany, {count: config.maxFiles})]}});
        }
        function tooLargeError(file) {
            var text = format(msg.tooLarge, {name: file.name, size: config.maxFileSizeText});
            return {message: text, field_errors: {file: [text]}};
        }
        var tooLarge = files.filter(function (file) { return file.size > config.maxFileSize; })[0];
        if (tooLarge) { return Promise.reject(tooLargeError(tooLarge)); }
        return files.reduce(function (chain, file) {
            return chain.then(function () {
                announce(format(msg.uploading, {name: file.name}));
                var data = new FormData();
                data.append('uuid', current.uuid);
                data.append('file', file, file.name);
                // The LMS refuses a file above its own limit with a 413 and an English {"success": ...}
                // before the block sees it: tell the learner the limit the form states, in their language.
                return post('upload_file', data, true).then(applyResult, function (error) {
                    throw error.status === 413 ? tooLargeError(file) : error;
                });
            });
        }, Promise.resolve()).then(function () { if (input) { input.value = ''; } });
    }

    function run(task) {
        if (busy) { return; }
        busy = true;
        block.setAttribute('aria-busy', 'true');
        task().catch(showError).then(function () {
            busy = false;
            block.removeAttribute('aria-busy');
        });
    }

    form.addEventListener('change', function (event) {
        if (event.target.name === 'competence') { toggleJustification(event.target); }
    });

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        run(function () {
            clearErrors();
            return save().then(uploadFiles).then(function () { announce(msg.saved); });
        });
    });

    block.addEventListener('click', function (event) {
        var button = event.target.closest('[data-action]');
        if (!button || !block.contains(button)) { return; }
        var action = button.getAttribute('data-action');
        var uuid = button.getAttribute('data-uuid');
        if (action === 'new') { openForm(null); }
        else if (action === 'cancel') { closeForm(); }
        else if (action === 'edit') { openForm(store[uuid]); }
        else if (action === 'submit-form') {
            var missing = missingToSubmit();
            if (missing) { clearErrors(); showError(missing); return; }
            if (!window.confirm(msg.confirmSubmit)) { return; }
            run(function () {
                clearErrors();
                return save().then(uploadFiles).then(function () {
                    return post('submit_evidence', {uuid: current.uuid, edit_version: current.edit_version});
                }).then(function (data) {
                    applyResult(data);
                    delete store[data.evidence.uuid];
                    closeForm();
                    announce(msg.submitted);
                });
            });
        } else if (action === 'submit') {
            if (!window.confirm(msg.confirmSubmit)) { return; }
            run(function () {
                var version = (store[uuid] || {}).edit_version;
                return post('submit_evidence', {uuid: uuid, edit_version: version}).then(function (data) {
                    applyResult(data);
                    delete store[uuid];
                    announce(msg.submitted);
                }, function (error) {
                    // Fields missing: open the situation in the form, each error under its field.
                    if (error.field_errors && Object.keys(error.field_errors).length && store[uuid]) { openForm(store[uuid]); }
                    throw error;
                });
            });
        } else if (action === 'delete') {
            if (!window.confirm(msg.confirmDelete)) { return; }
            run(function () {
                return post('delete_evidence', {uuid: uuid}).then(function (data) {
                    applyResult(data);
                    delete store[uuid];
                    if (current && current.uuid === uuid) { closeForm(); }
                    announce(msg.deleted);
                });
            });
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
                    announce(msg.linkAdded);
                });
            });
        } else if (action === 'keep-mine' && conflict) {
            // Save the form's text over the stored one: the learner chose it.
            current.edit_version = conflict.edit_version;
            run(function () {
                clearErrors();
                return save().then(function () {
                    $('[data-role="form-title"]').focus();
                    announce(msg.keptMine);
                });
            });
        } else if (action === 'take-saved' && conflict) {
            var stored = conflict;
            clearErrors();
            current.edit_version = stored.edit_version;
            fillForm(stored);
            $('[data-role="form-title"]').focus();
            announce(msg.tookSaved);
        } else if (action === 'remove-attachment') {
            run(function () {
                return post('remove_attachment', {uuid: uuid}).then(function (data) {
                    applyResult(data);
                    announce(msg.removed);
                });
            });
        }
    });
}
