/* Portfolio XBlock: the files the learner attaches to the form's draft, sent in chunks by uploads.js:
   each shows its progress with a cancel button; the form may close meanwhile: the uploads go on, and
   say which file failed. One per block. */
window.PortfolioFiles = function (page) {
    'use strict';
    var uploads = window.PortfolioUploads ? window.PortfolioUploads({
        post: page.post, chunkUrl: page.chunkUrl, headers: window.PortfolioHandlers.headers, shrink: page.config.shrink
    }) : null;
    var form = page.form;
    var msg = page.msg;
    var config = page.config;
    var format = page.format;
    var store = page.store;
    function current() { return page.editor.current(); }
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
        page.$('[data-role="uploads"]').appendChild(li);
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
        var draft = current();
        var input = form.elements.file;
        var files = input ? Array.prototype.slice.call(input.files) : [];
        var slot = page.$('[data-role="files-outcome"]');
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
                page.announce(format(msg.uploading, {name: file.name}));
                var sending = uploads.send(file, draft.uuid, function (sent, total, shrunk) { entry.show(sent, total, shrunk); });
                entry.cancel.addEventListener('click', sending.cancel);
                // The LMS refuses a request above its own limit with a 413 and an English {"success": ...}
                // before the block sees it: tell the learner the limit the form states, in their language.
                return sending.promise.then(function (result) {
                    entry.done();
                    page.applyResult(result);
                    page.tell(current() === draft ? slot : page.itemSlot(draft.uuid), format(msg.uploaded, {name: file.name}));
                }, function (error) {
                    entry.done();
                    if (error.cancelled) {
                        page.tell(current() === draft ? slot : page.itemSlot(draft.uuid), format(msg.uploadCancelled, {name: file.name}));
                        return;
                    }
                    error = error.status === 413 ? tooLargeError(file) : error;
                    if (current() !== draft) {  // the form was closed: say which file failed, by its situation
                        failed.push(format(msg.uploadFailed, {name: file.name}) + ' ' + (error.message || msg.error));
                        page.tell(page.itemSlot(draft.uuid), failed.join(' '), true);
                        return;
                    }
                    entries.slice(index + 1).forEach(function (later) { later.done(); });
                    throw error;
                });
            });
        }, Promise.resolve()).then(function () { return failed; });
    }

    return {upload: uploadFiles};
};
