/* Portfolio XBlock: the learner's portfolio. Server-rendered HTML; this script sends the learner's
   actions on the list of situations to the block's handlers and swaps in the item HTML they return;
   the form is portfolio_form.js's, its files portfolio_files.js's, the helpers they share
   handler_client.js's (loaded first). One instance per block. */
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
    var H = window.PortfolioHandlers;
    var msg = config.messages;
    var form = block.querySelector('[data-role="form"]');
    var store = {};
    var drafts = window.PortfolioDrafts ? window.PortfolioDrafts(config.draftKey) : null;
    var evidenceData = document.getElementById(block.id + '-evidence');  // the drafts, from json_script
    (evidenceData ? JSON.parse(evidenceData.textContent) : []).forEach(function (item) { store[item.uuid] = item; });

    function $(selector) { return block.querySelector(selector); }
    function announce(text) { H.announce($('[data-role="live"]'), text); }
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
    var post = H.poster(runtime, root, {error: msg.error, offline: drafts ? msg.offlineKept : msg.offline});
    // What the form and its files share with the list (page.files and page.editor are filled in below).
    var page = {
        block: block, form: form, msg: msg, config: config, store: store, drafts: drafts, $: $,
        post: post, format: H.formatter(block.lang), announce: announce, tell: tell, itemSlot: itemSlot,
        applyResult: applyResult,
        chunkUrl: function (suffix) { return runtime.handlerUrl(root, 'upload_chunk', suffix); }
    };
    var editor = page.editor = window.PortfolioForm(page);
    page.files = window.PortfolioFiles(page);
    // Run one action at a time; an error is shown in the form, or at ``slot`` (an element or a function
    // returning one) when the form is closed.
    var runOne = H.oneAtATime(block);
    function run(task, slot) {
        runOne(task, function (error) {
            if (!error.handled) { editor.showError(error, slot); }
        });
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
            editor.follow(data.evidence);
        }
        return data;
    }

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        run(function () {
            editor.clearErrors();
            return editor.save().then(page.files.upload).then(function (failed) {
                // Files that failed once the form was closed are said by their situation: say them after
                // "saved" too, so that the live region ends on them.
                tell($('[data-role="form-outcome"]'), [msg.saved].concat(failed || []).join(' '));
            });
        });
    });

    // Leaving the page with changes the server does not hold asks first (the browser's own question).
    window.addEventListener('beforeunload', function (event) {
        if (!editor.dirty()) { return undefined; }
        event.preventDefault();
        event.returnValue = msg.confirmClose;
        return msg.confirmClose;
    });
    // The connection is back: save what was typed meanwhile (a conflict is shown, never overwritten).
    function saveWhenOnline() {
        if (!editor.dirty() || (!editor.current().uuid && !form.elements.title.value.trim())) { return; }
        run(function () {
            editor.clearErrors();
            return editor.save().then(function () { tell($('[data-role="form-outcome"]'), msg.savedOnReturn); });
        });
    }
    window.addEventListener('online', saveWhenOnline);

    block.addEventListener('click', function (event) {
        var button = event.target.closest('[data-action]');
        if (!button || !block.contains(button)) { return; }
        var action = button.getAttribute('data-action');
        var uuid = button.getAttribute('data-uuid');
        if (action === 'new' || action === 'edit') {
            if (!form.hidden && editor.dirty() && !window.confirm(msg.confirmClose)) { return; }
            if (drafts) { drafts.clear(); }
            editor.open(action === 'edit' ? store[uuid] : null);
        }
        else if (action === 'cancel') { editor.close(false); }
        else if (action === 'submit-form') {
            var missing = editor.missingToSubmit();
            if (missing) { editor.clearErrors(); editor.showError(missing); return; }
            if (!window.confirm(msg.confirmSubmit)) { return; }
            run(function () {
                editor.clearErrors();
                return editor.submit();
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
                    if (error.field_errors && Object.keys(error.field_errors).length && store[uuid]) { editor.open(store[uuid]); }
                    throw error;
                });
            }, function () { return itemSlot(uuid); });
        } else if (action === 'delete') {
            if (!window.confirm(msg.confirmDelete)) { return; }
            run(function () {
                return post('delete_evidence', {uuid: uuid}).then(function (data) {
                    applyResult(data);
                    delete store[uuid];
                    if (editor.current() && editor.current().uuid === uuid) { editor.close(true); }
                    tell($('[data-role="list-outcome"]'), msg.deleted);
                });
            }, function () { return itemSlot(uuid); });
        } else if (action === 'add-link') {
            run(function () {
                editor.clearErrors();
                var ready = editor.current().uuid ? Promise.resolve() : editor.save();
                return ready.then(function () {
                    return post('add_link', {uuid: editor.current().uuid, url: form.elements.url.value,
                                             title: form.elements.link_title.value});
                }).then(function (data) {
                    applyResult(data);
                    form.elements.url.value = '';
                    form.elements.link_title.value = '';
                    tell($('[data-role="link-outcome"]'), msg.linkAdded);
                });
            });
        } else if (action === 'keep-mine' && editor.conflict()) {
            run(editor.keepMine());
        } else if (action === 'take-saved' && editor.conflict()) {
            editor.takeSaved();
        } else if (action === 'older') {
            // The learner's older situations, a page at a time, after those the list shows.
            run(function () {
                return post('older_evidence', {before: button.getAttribute('data-before')}).then(function (data) {
                    var items = $('[data-role="items"]');
                    var holder = document.createElement('ul');
                    holder.innerHTML = data.items_html;
                    var first = holder.querySelector('.cpf-item .cpf-item-title');
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
        editor.open(kept.uuid ? (store[kept.uuid] || {uuid: kept.uuid, edit_version: kept.edit_version}) : null, kept);
        drafts.adopt(kept);
        if (navigator.onLine) { saveWhenOnline(); }
    }
}
