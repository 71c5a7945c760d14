/* Portfolio XBlock: the learner's text kept in this browser while it is not saved on the server.
   One entry per block and learner in localStorage (the key comes from the server: usage id and user
   id), written as the learner types, read back after a reload, a crash or an offline spell, removed
   once the server holds the text or the learner discards it. Nothing here talks to the server. */
(function () {
    'use strict';

    function storage() {
        try {
            return window.localStorage;  // absent or refused (private mode, policy): no local copy
        } catch (error) {
            return null;
        }
    }

    // drafts(key) -> {read, write, clear, adopt}; every call survives a full or missing storage. Tabs of one
    // block share the key: a tab removes only the copy it wrote (or adopted), never another tab's.
    window.PortfolioDrafts = function (key) {
        var tab = Date.now().toString(36) + Math.random().toString(36).slice(2);
        function stored() {
            var store = storage();
            if (!store || !key) { return null; }
            try {
                var value = JSON.parse(store.getItem(key) || 'null');
                return value && typeof value === 'object' && value.fields ? value : null;
            } catch (error) {
                return null;
            }
        }
        return {
            // The stored draft: {uuid, client_key, edit_version, fields, claims, time}, or null.
            read: stored,
            // Keep ``draft``; answers whether the browser kept it (false: quota reached, storage refused).
            write: function (draft) {
                var store = storage();
                if (!store || !key) { return false; }
                try {
                    draft.time = Date.now();
                    draft.tab = tab;
                    store.setItem(key, JSON.stringify(draft));
                    return true;
                } catch (error) {
                    return false;
                }
            },
            // Forget this tab's copy (the server holds the text, or the learner dropped it).
            clear: function () {
                var store = storage();
                var draft = stored();
                if (!draft || draft.tab !== tab) { return; }
                try { store.removeItem(key); } catch (error) { /* nothing to remove */ }
            },
            // Make the copy an earlier page left (restored into this tab's form) this tab's own.
            adopt: function (draft) {
                return this.write(draft);
            }
        };
    };
}());
