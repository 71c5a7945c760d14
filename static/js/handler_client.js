/* Portfolio XBlock: what the block's scripts (portfolio.js, review.js, peer.js) share to talk to the
   block's handlers and to tell the reader what happened. Loaded before them; one name,
   ``window.PortfolioHandlers``, holding functions only: each block on the page passes its own runtime,
   element and messages, and keeps its own state. */
window.PortfolioHandlers = (function () {
    'use strict';

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }
    // The headers of every request to a handler: Django's CSRF token, and the mark of a script's request.
    function headers() {
        return {'X-CSRFToken': csrfToken(), 'X-Requested-With': 'XMLHttpRequest'};
    }

    // poster(runtime, element, messages) -> post(handler, body): POST ``body`` as JSON to the handler of the
    // block ``element``. A promise of the answer; it rejects with the error body, its HTTP ``status`` added
    // ({message: messages.error} when the body is not JSON), or with {message: messages.offline, offline: true}
    // when the request did not reach the server.
    function poster(runtime, element, messages) {
        return function post(handler, body) {
            var sent = headers();
            sent['Content-Type'] = 'application/json';
            return fetch(runtime.handlerUrl(element, handler), {
                method: 'POST', credentials: 'same-origin', headers: sent, body: JSON.stringify(body)
            }).then(function (response) {
                return response.json().catch(function () { return {message: messages.error}; }).then(function (data) {
                    if (!response.ok) { data.status = response.status; throw data; }
                    return data;
                });
            }, function () { throw {message: messages.offline, offline: true}; });
        };
    }

    // Speak ``text`` in the live region ``live`` (emptied first, so that the same text is heard again).
    function announce(live, text) {
        if (!live) { return; }
        live.textContent = '';
        window.setTimeout(function () { live.textContent = text; }, 50);
    }

    // oneAtATime(element, fallback) -> run(task, onError): run ``task`` (a function returning a promise)
    // unless one is running, ``element`` marked aria-busy meanwhile; its error goes to ``onError``, or to
    // ``fallback``.
    function oneAtATime(element, fallback) {
        var busy = false;
        return function run(task, onError) {
            if (busy) { return; }
            busy = true;
            element.setAttribute('aria-busy', 'true');
            task().catch(onError || fallback).then(function () {
                busy = false;
                element.removeAttribute('aria-busy');
            });
        };
    }

    // formatter(lang) -> format(text, values): ``{name}`` in ``text`` replaced by ``values.name``, numbers
    // written in the language ``lang`` with the Latin digits the server writes.
    function formatter(lang) {
        var numbers = new Intl.NumberFormat([(lang || 'en') + '-u-nu-latn']);
        return function format(text, values) {
            return text.replace(/\{(\w+)\}/g, function (all, key) {
                if (!(key in values)) { return all; }
                return typeof values[key] === 'number' ? numbers.format(values[key]) : values[key];
            });
        };
    }

    // The summary of a refused request: the server's message (or ``messages.error``), and
    // ``messages.fixErrors`` when fields are named.
    function errorSummary(error, messages) {
        var named = Object.keys(error.field_errors || {}).length;
        return (error.message || messages.error) + (named ? ' ' + messages.fixErrors : '');
    }

    // Empty the error slots (elements with the attribute ``slotAttribute``) of ``container``, and unmark
    // its fields aria-invalid.
    function clearFieldErrors(container, slotAttribute) {
        container.querySelectorAll('[' + slotAttribute + ']').forEach(function (slot) { slot.textContent = ''; });
        container.querySelectorAll('[aria-invalid]').forEach(function (node) { node.removeAttribute('aria-invalid'); });
    }

    return {
        csrfToken: csrfToken, headers: headers, poster: poster, announce: announce, oneAtATime: oneAtATime,
        formatter: formatter, errorSummary: errorSummary, clearFieldErrors: clearFieldErrors
    };
}());
