/* Portfolio XBlock: feedback between colleagues. The server renders the learner's peer section
   and the staff's view of peers' feedback beside a situation; this script sends the learner's
   requests, feedback, replies and reports, and the staff's moderation, to the block's handlers,
   and swaps in the HTML they answer. One instance per block; the server checks every right. */
function PortfolioPeer(runtime, root, config) {
    'use strict';
    if (!config || !config.messages) { return; }
    var msg = config.messages;
    var H = window.PortfolioHandlers;
    var post = H.poster(runtime, root, msg);
    var run = H.oneAtATime(root, function (error) { announce(error.message || msg.error); });

    function section() { return root.querySelector('[data-role="peer"]'); }
    // Speak ``text`` in the live region of ``where`` (the learner's section by default).
    function announce(text, where) {
        H.announce((where || section() || root).querySelector('[data-role="peer-live"], [data-role="review-live"]'), text);
    }
    // Put the server's section in place of the learner's, keeping the live region itself (a region
    // inserted anew is not always heard), then move the focus where the reader goes on.
    function replaceSection(data, focusSelector) {
        var current = section();
        if (!current) { return; }
        var live = current.querySelector('[data-role="peer-live"]');
        var holder = document.createElement('div');
        holder.innerHTML = data.html;
        var fresh = holder.firstElementChild;
        var freshLive = fresh.querySelector('[data-role="peer-live"]');
        Array.prototype.slice.call(current.childNodes).forEach(function (node) {
            if (node !== live) { current.removeChild(node); }
        });
        var before = true;
        Array.prototype.slice.call(fresh.childNodes).forEach(function (node) {
            if (node === freshLive) { before = false; return; }
            if (before) { current.insertBefore(node, live); } else { current.appendChild(node); }
        });
        var target = current.querySelector(focusSelector) || current.querySelector('[data-role="peer-title"]');
        if (target) {
            if (!target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
            target.focus();
        }
        announce(data.message || '', current);
    }
    function showErrors(form, error) {
        var fields = error.field_errors || {};
        var names = Object.keys(fields);
        H.clearFieldErrors(form, 'data-peer-error-for');
        names.forEach(function (name) {
            var slot = form.querySelector('[data-peer-error-for="' + name + '"]');
            if (slot) { slot.textContent = fields[name].join(' '); }
            var target = name === 'verdicts' ? 'input[type="radio"]' : '[name="' + name + '"]';
            form.querySelectorAll(target).forEach(function (node) { node.setAttribute('aria-invalid', 'true'); });
        });
        var summary = form.querySelector('[data-role="peer-errors"]');
        var text = H.errorSummary(error, msg);
        if (summary) {
            summary.textContent = text;
            summary.hidden = false;
            summary.focus();
        } else {
            var first = form.querySelector('[aria-invalid="true"]');
            if (first) { first.focus(); }
        }
        announce(text);
    }
    function feedback(form) {
        var verdicts = Array.prototype.map.call(form.querySelectorAll('[data-competence]'), function (set) {
            var checked = set.querySelector('input[type="radio"]:checked');
            var comment = set.querySelector('textarea');
            return {competence: set.getAttribute('data-competence'), verdict: checked ? checked.value : '',
                    comment: comment ? comment.value : ''};
        });
        return {
            reading: form.closest('[data-reading]').getAttribute('data-reading'),
            verdicts: verdicts,
            comment: form.elements.comment.value,
            question: form.elements.question.value
        };
    }

    root.addEventListener('submit', function (event) {
        var form = event.target;
        var role = form.getAttribute('data-role');
        if (role !== 'peer-form' && role !== 'peer-reply') { return; }
        event.preventDefault();
        if (role === 'peer-form') {
            run(function () {
                return post('peer_give', feedback(form)).then(function (data) {
                    replaceSection(data, '[data-peer-action="request"]');
                });
            }, function (error) { showErrors(form, error); });
        } else {
            var uuid = form.getAttribute('data-feedback');
            run(function () {
                return post('peer_reply', {feedback: uuid, reply: form.elements.reply.value}).then(function (data) {
                    replaceSection(data, '[data-feedback="' + uuid + '"] [data-peer-action="helpful"]');
                });
            }, function (error) { showErrors(form, error); });
        }
    });

    root.addEventListener('click', function (event) {
        var button = event.target.closest('[data-peer-action], [data-peer-moderate]');
        if (!button || !root.contains(button)) { return; }
        var uuid = button.getAttribute('data-feedback');
        var action = button.getAttribute('data-peer-action');
        if (action === 'request') {
            announce(msg.loading);
            run(function () {
                return post('peer_request', {}).then(function (data) {
                    replaceSection(data, '[data-role="peer-reading-title"]');
                });
            });
        } else if (action === 'helpful') {
            var helpful = button.getAttribute('aria-pressed') !== 'true';
            run(function () {
                return post('peer_helpful', {feedback: uuid, helpful: helpful}).then(function (data) {
                    replaceSection(data, '[data-feedback="' + uuid + '"] [data-peer-action="helpful"]');
                });
            });
        } else if (action === 'report') {
            run(function () {
                return post('peer_report', {feedback: uuid}).then(function (data) {
                    replaceSection(data, '[data-feedback="' + uuid + '"] [data-peer-action="helpful"]');
                });
            });
        } else if (button.hasAttribute('data-peer-moderate')) {
            var staff = button.closest('[data-role="peer-staff"]');
            var review = staff.closest('.cpf-review') || root;
            run(function () {
                return post('peer_moderate', {feedback: uuid, action: button.getAttribute('data-peer-moderate'),
                                              evidence: staff.getAttribute('data-evidence')}).then(function (data) {
                    var holder = document.createElement('div');
                    holder.innerHTML = data.html;
                    var fresh = holder.firstElementChild;
                    staff.parentNode.replaceChild(fresh, staff);
                    var title = fresh.querySelector('[data-feedback="' + uuid + '"] .cpf-item-title') ||
                        fresh.querySelector('.cpf-subheading');
                    title.setAttribute('tabindex', '-1');
                    title.focus();
                    announce(data.message || '', review);
                });
            }, function (error) { announce(error.message || msg.error, review); });
        }
    });
}
