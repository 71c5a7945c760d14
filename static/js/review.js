/* Portfolio XBlock: the course staff's review, loaded for staff only. The server renders the
   queue, the item opened and its decision form; this script asks the block's staff handlers
   for them and sends decisions. One instance per block; the server checks every right. */
function PortfolioReview(runtime, root, config) {
    'use strict';
    var section = root.querySelector('.cpf-review');
    if (!section || !config || !config.messages) { return; }
    var msg = config.messages;
    var filters = section.querySelector('[data-role="review-filters"]');
    var queue = section.querySelector('[data-role="review-queue"]');
    var panel = section.querySelector('[data-role="review-item"]');
    var state = {status: filters.elements.status.value, learner: '', page: 1};
    var opener = null;   // the button that opened the item: focus goes back to it on close
    var H = window.PortfolioHandlers;
    var post = H.poster(runtime, root, msg);
    var format = H.formatter(section.lang);
    var run = H.oneAtATime(section, function (error) { announce(error.message || msg.error); });

    function announce(text) { H.announce(section.querySelector('[data-role="review-live"]'), text); }

    function loadQueue() {
        return post('review_queue', state).then(function (data) {
            queue.innerHTML = data.html;
            var summary = queue.querySelector('[data-role="review-summary"]');
            announce(summary ? summary.textContent : msg.queueLoaded);
        });
    }
    function showItem(html) {
        section.querySelector('[data-role="review-notice"]').hidden = true;
        panel.innerHTML = html;
        var title = panel.querySelector('[data-role="review-item-title"]');
        if (title) { title.focus(); }
    }
    function openItem(uuid) {
        announce(msg.loading);
        return post('review_item', {uuid: uuid}).then(function (data) {
            showItem(data.html);
            announce(msg.loaded);
        });
    }
    function closeItem() {
        panel.textContent = '';
        if (opener && document.body.contains(opener)) { opener.focus(); }
        else { filters.elements.status.focus(); }
        opener = null;
    }

    function clearErrors(form) {
        var summary = form.querySelector('[data-role="review-errors"]');
        summary.hidden = true;
        summary.textContent = '';
        H.clearFieldErrors(form, 'data-error-for');
    }
    // Each field error goes under its field, the field marked aria-invalid: ``competences.<i>.<field>``
    // under the i-th competence; the list-wide ``competences`` message only when no competence has its own.
    function fieldError(form, name, messages) {
        var match = /^competences\.(\d+)\.(\w+)$/.exec(name);
        if (match) {
            var set = form.querySelectorAll('.cpf-review-competence')[Number(match[1])];
            if (!set) { return false; }
            var slot = set.querySelector('[data-error-for="competences.' + match[1] + '"]');
            slot.textContent = (slot.textContent ? slot.textContent + ' ' : '') + messages.join(' ');
            set.querySelectorAll(match[2] === 'level' ? '[data-role="level"]' : 'input[type="radio"]')
                .forEach(function (node) { node.setAttribute('aria-invalid', 'true'); });
            return true;
        }
        var target = form.querySelector('[data-error-for="' + name + '"]');
        if (target) { target.textContent = messages.join(' '); }
        form.querySelectorAll('[name="' + name + '"]').forEach(function (node) { node.setAttribute('aria-invalid', 'true'); });
        return !!target;
    }
    function showError(form, error) {
        var fields = error.field_errors || {};
        var names = Object.keys(fields);
        var perCompetence = names.some(function (name) { return name.indexOf('competences.') === 0; });
        names.forEach(function (name) {
            if (name === 'competences' && perCompetence) { return; }
            fieldError(form, name, fields[name]);
        });
        var summary = form.querySelector('[data-role="review-errors"]');
        summary.textContent = H.errorSummary(error, msg);
        summary.hidden = false;
        // Someone decided, or the learner resubmitted, meanwhile: offer to reload what changed.
        form.querySelector('[data-review-action="reload"]').hidden = error.status !== 409;
        summary.focus();
        announce(error.message || msg.error);
    }
    // After a decision: the item shows "Decision recorded" with its form folded; the keyboard and the
    // screen move on to the next situation awaiting review in the list, if any.
    function moveToNext(decidedUuid) {
        var notice = section.querySelector('[data-role="review-notice"]');
        var next = Array.prototype.filter.call(queue.querySelectorAll('.cpf-item[data-status="submitted"]'),
            function (item) { return item.getAttribute('data-uuid') !== decidedUuid; })[0];
        var title = next ? next.querySelector('.cpf-item-title').textContent : '';
        notice.textContent = msg.decided + ' ' + (next ? format(msg.next, {title: title}) : msg.noneWaiting);
        notice.hidden = false;
        var target = next ? next.querySelector('[data-review-action="open"]') : panel.querySelector('[data-role="decided"]');
        if (target) {
            target.scrollIntoView({block: 'center'});
            target.focus();
        }
        announce(notice.textContent);
    }
    function decision(form) {
        var article = form.closest('.cpf-review-item');
        var competences = Array.prototype.map.call(form.querySelectorAll('.cpf-review-competence'), function (set) {
            var checked = set.querySelector('input[type="radio"]:checked');
            var level = set.querySelector('[data-role="level"]');
            var status = checked ? checked.value : '';
            return {competence: set.getAttribute('data-competence'), status: status,
                    level: level && status === 'validated' ? level.value : ''};
        });
        var outcome = form.querySelector('[name="outcome"]:checked');
        return {
            uuid: article.getAttribute('data-uuid'),
            version: Number(article.getAttribute('data-version')),
            base_decision: article.getAttribute('data-base-decision') || null,
            outcome: outcome ? outcome.value : '',
            feedback: form.elements.feedback.value,
            competences: competences,
            queue: state
        };
    }

    filters.addEventListener('submit', function (event) {
        event.preventDefault();
        state = {status: filters.elements.status.value, learner: filters.elements.learner.value, page: 1};
        run(loadQueue);
    });

    section.addEventListener('submit', function (event) {
        var form = event.target;
        if (form.getAttribute('data-role') !== 'review-form') { return; }
        event.preventDefault();
        clearErrors(form);
        var sent = decision(form);
        run(function () {
            return post('review_decide', sent).then(function (data) {
                queue.innerHTML = data.queue_html;
                panel.innerHTML = data.html;
                opener = null;
                moveToNext(sent.uuid);
            });
        }, function (error) { showError(form, error); });
    });

    section.addEventListener('click', function (event) {
        var button = event.target.closest('[data-review-action]');
        if (!button || !section.contains(button)) { return; }
        var action = button.getAttribute('data-review-action');
        if (action === 'open') {
            opener = button;
            run(function () { return openItem(button.getAttribute('data-uuid')); });
        } else if (action === 'page') {
            state.page = Number(button.getAttribute('data-page')) || 1;
            run(function () {
                return loadQueue().then(function () {
                    var summary = queue.querySelector('[data-role="review-summary"]');
                    if (summary) { summary.setAttribute('tabindex', '-1'); summary.focus(); }
                });
            });
        } else if (action === 'reload') {
            var article = button.closest('.cpf-review-item');
            run(function () { return openItem(article.getAttribute('data-uuid')); });
        } else if (action === 'close') {
            closeItem();
        } else if (action === 'change') {
            var folded = panel.querySelector('[data-role="review-form"]');
            folded.hidden = false;
            button.setAttribute('aria-expanded', 'true');
            button.hidden = true;
            folded.querySelector('input, select, textarea').focus();
        }
    });

    // A link to a situation (the course queue's "Open the situation") names it in the URL's anchor:
    // the block holding it opens it and scrolls to it (other blocks of the unit find it is not theirs).
    var anchor = /^#cpf-situation-([0-9a-f-]{36})$/.exec(window.location.hash || '');
    if (anchor) {
        run(function () {
            return post('review_item', {uuid: anchor[1]}).then(function (data) {
                showItem(data.html);
                panel.firstElementChild.scrollIntoView({block: 'start'});
                announce(msg.loaded);
            });
        }, function () { /* not a situation of this block */ });
    }

    panel.addEventListener('keydown', function (event) {
        if (event.key === 'Escape' && panel.firstElementChild) { closeItem(); }
    });
}
