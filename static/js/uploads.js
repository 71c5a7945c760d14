/* Portfolio XBlock: files sent in chunks for slow links. Each chunk is a request of its own, well under
   the LMS's request cap; a connection lost mid-file resumes at the first byte the server lacks (it says
   which: upload_start, or a 409 on a chunk out of order), and the same file chosen again after a reload
   resumes too. Large photos are shrunk in the browser first (canvas), when the block asks for it. */
(function () {
    'use strict';

    var RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000, 30000];  // a minute in all, then the learner decides
    var PHOTO_TYPES = ['image/jpeg', 'image/webp'];

    // A copy of ``file`` no larger than ``maxSide`` pixels per side, as JPEG, when that is smaller than the
    // file; else the file itself. A photo the browser cannot decode goes as it is.
    function shrink(file, settings) {
        if (!settings || !settings.enabled || file.size <= settings.above || PHOTO_TYPES.indexOf(file.type) < 0 ||
                typeof window.createImageBitmap !== 'function') {
            return Promise.resolve(file);
        }
        return window.createImageBitmap(file).then(function (image) {
            var scale = Math.min(1, settings.maxSide / Math.max(image.width, image.height));
            var canvas = document.createElement('canvas');
            canvas.width = Math.round(image.width * scale);
            canvas.height = Math.round(image.height * scale);
            canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
            if (image.close) { image.close(); }
            return new Promise(function (resolve) {
                canvas.toBlob(function (blob) {
                    if (!blob || blob.size >= file.size) { return resolve(file); }
                    var name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
                    resolve(new File([blob], name, {type: 'image/jpeg', lastModified: file.lastModified}));
                }, 'image/jpeg', settings.quality);
            });
        }, function () { return file; });
    }

    function wait(delay) {
        return new Promise(function (resolve) { window.setTimeout(resolve, delay); });
    }

    // PortfolioUploads({post, chunkUrl, headers, shrink}) -> {send(file, draftUuid, onProgress)}.
    //   post(handler, body): the block's JSON POST (a promise of the answer; rejects with the error body,
    //     ``status`` set, or ``offline: true``); chunkUrl(suffix): the upload_chunk handler's URL;
    //   headers(): the headers of every request (CSRF).
    // send answers {promise, cancel}; the promise gives upload_finish's answer, or rejects with the error
    // (``cancelled: true`` once cancelled); onProgress(sent, total, file) follows every byte that left.
    window.PortfolioUploads = function (options) {
        function sendChunk(upload, offset, blob, total, onProgress, state) {
            return new Promise(function (resolve, reject) {
                var xhr = new XMLHttpRequest();
                state.xhr = xhr;
                xhr.open('POST', options.chunkUrl(upload + '/' + offset));
                var headers = options.headers();
                Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
                xhr.setRequestHeader('Content-Type', 'application/octet-stream');
                xhr.upload.onprogress = function (event) { onProgress(Math.min(offset + event.loaded, total)); };
                xhr.onload = function () {
                    var body;
                    try { body = JSON.parse(xhr.responseText); } catch (error) { body = {}; }
                    body.status = xhr.status;
                    if (xhr.status >= 200 && xhr.status < 300) { resolve(body); } else { reject(body); }
                };
                xhr.onerror = function () { reject({offline: true}); };
                xhr.onabort = function () { reject({cancelled: true}); };
                xhr.send(blob);
            });
        }

        function send(original, draftUuid, onProgress) {
            var state = {cancelled: false, xhr: null, upload: null};
            var progress = onProgress || function () {};
            var promise = shrink(original, options.shrink).then(function (file) {
                var fingerprint = [file.name, file.size, file.lastModified, original.size].join(':');
                var start = {uuid: draftUuid, name: file.name, size: file.size, fingerprint: fingerprint};
                var attempt = 0;

                function resume() {  // ask where the upload stands, then go on from there
                    if (state.cancelled) { return Promise.reject({cancelled: true}); }
                    return options.post('upload_start', start).then(function (answer) {
                        state.upload = answer.upload;
                        return next(answer.received, answer.chunk_size);
                    });
                }
                function next(offset, chunkSize) {
                    progress(offset, file.size, file);
                    if (state.cancelled) { return Promise.reject({cancelled: true}); }
                    if (offset >= file.size) {
                        return options.post('upload_finish', {upload: state.upload, name: file.name});
                    }
                    var blob = file.slice(offset, Math.min(offset + chunkSize, file.size));
                    return sendChunk(state.upload, offset, blob, file.size, function (sent) {
                        progress(sent, file.size, file);
                    }, state).then(function (answer) {
                        attempt = 0;
                        return next(answer.received, chunkSize);
                    }, function (error) {
                        if (error.status === 409 && typeof error.received === 'number') {
                            return next(error.received, chunkSize);
                        }
                        throw error;
                    });
                }
                function retrying(error) {  // a lost connection: wait, then resume where the server stands
                    if (state.cancelled || !error || !(error.offline || error.status >= 500 || !error.status) ||
                            attempt >= RETRY_DELAYS.length) {
                        throw error;  // refused, or still offline after a minute: the learner sends it again later
                    }
                    var delay = RETRY_DELAYS[attempt];
                    attempt += 1;
                    return wait(delay).then(resume).catch(retrying);
                }
                return resume().catch(retrying);
            });
            return {
                promise: promise,
                cancel: function () {
                    state.cancelled = true;
                    if (state.xhr) { state.xhr.abort(); }
                    if (state.upload) { options.post('upload_cancel', {upload: state.upload}).catch(function () {}); }
                }
            };
        }

        return {send: send, shrink: shrink};
    };
}());
