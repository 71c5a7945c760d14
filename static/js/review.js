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
    var busy = false;

    function announce(text) {
        var live = section.querySelector('[data-role="review-live"]');
        live.textContent = '';
        window.setTimeout(function () { live.textContent = text; }, 50);
    }
    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }
    function post(handler, body) {
        return fetch(runtime.handlerUrl(root, handler), {
            method: 'POST', credentials: 'same-origin',
            headers: {'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest',
                      'Content-Type': 'application/json'},
            body: JSON.stringify(body)
        }).then(function (response) {
            return response.json().catch(function () { return {message: msg.error}; }).then(function (data) {
                if (!response.ok) { data.status = response.status; throw data; }
                return data;
            });
        }, function () { throw {message: msg.offline}; });
    }
    function run(task, onError) {
        if (busy) { return; }
        busy = true;
        section.setAttribute('aria-busy', 'true');
        task().catch(onError || function (error) { announce(error.message || msg.error); }).then(function () {
            busy = false;
            section.removeAttribute('aria-busy');
        });
    }

    function loadQueue() {
        return post('review_queue', state).then(function (data) {
            queue.innerHTML = data.html;
            var summary = queue.querySelector('[data-role="review-summary"]');
            announce(summary ? summary.textContent : msg.queueLoaded);
        });
    }
    function showItem(html) {
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
        form.querySelectorAll('[data-error-for]').forEach(function (slot) { slot.textContent = ''; });
        form.querySelectorAll('[aria-invalid]').forEach(function (node) { node.removeAttribute('aria-invalid'); });
    }
    function showError(form, error) {
        var fields = error.field_errors || {};
        var names = Object.keys(fields);
        names.forEach(function (name) {
            var slot = form.querySelector('[data-error-for="' + name + '"]');
            if (slot) { slot.textContent = fields[name].join(' '); }
            var target = name === 'competences' ? '.cpf-review-competence' : '[name="' + name + '"]';
            form.querySelectorAll(target).forEach(function (node) { node.setAttribute('aria-invalid', 'true'); });
        });
        var summary = form.querySelector('[data-role="review-errors"]');
        summary.textContent = (error.message || msg.error) + (names.length ? ' ' + msg.fixErrors : '');
        summary.hidden = false;
        // Someone decided, or the learner resubmitted, meanwhile: offer to reload what changed.
        form.querySelector('[data-review-action="reload"]').hidden = error.status !== 409;
        summary.focus();
        announce(error.message || msg.error);
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
        run(function () {
            return post('review_decide', decision(form)).then(function (data) {
                queue.innerHTML = data.queue_html;
                showItem(data.html);
                announce(data.message || msg.decided);
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
        }
    });

    panel.addEventListener('keydown', function (event) {
        if (event.key === 'Escape' && panel.firstElementChild) { closeItem(); }
    });
}
