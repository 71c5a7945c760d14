/* Portfolio XBlock in Studio: the settings editor of XBlock's StudioEditableXBlockMixin, whose
   competence list follows the framework chosen, before it is saved. The list holds every
   framework's competences; those of the other frameworks are hidden, and unticked when the
   author changes the framework.

   Number fields: the mixin reads an input it cannot parse (emptied, or text the browser refused)
   as NaN, which goes to the server as null. Before the mixin saves, every number field changed
   must hold a number (a whole one for whole-number fields): otherwise the save is stopped and the
   field says why (config.numberErrors, translated by the server, which refuses them too). */
function PortfolioStudioEdit(runtime, element, config) {
    'use strict';
    var $root = $(element);
    var numberErrors = (config && config.numberErrors) || {};
    // The editor's language and direction, as the block's views have them (Arabic: right to left).
    if (config && config.lang) { $root.attr({lang: config.lang, dir: config.dir}); }

    function numberRefusal($item) {
        var input = $item.find('input.field-data-control')[0];
        if (!input || !$item.hasClass('is-set')) { return null; }  // not set: the default is saved
        var text = input.value.trim();
        var value = Number(text);
        var whole = $item.data('cast') === 'integer';
        var readable = !(input.validity && input.validity.badInput) && text !== '' && isFinite(value);
        if (readable && (!whole || Math.floor(value) === value)) { return null; }
        return numberErrors[$item.data('field-name')] || '';
    }

    function showRefusal($item, message) {
        var $input = $item.find('input.field-data-control');
        var $message = $item.find('.portfolio-field-error');
        if (message === null) {
            $message.remove();
            $input.removeAttr('aria-invalid aria-describedby');
            return;
        }
        if (!$message.length) {
            $message = $('<span class="portfolio-field-error" role="alert"></span>')
                .attr('id', 'portfolio-error-' + $item.data('field-name'))
                .css({display: 'block', color: '#b20610', 'margin-top': '4px'});
            $item.find('.wrapper-comp-setting').append($message);
        }
        $message.text(message);
        $input.attr({'aria-invalid': 'true', 'aria-describedby': $message.attr('id')});
    }

    // Bound before the mixin's own handler, so that stopping the event stops the save.
    $root.find('.save-button').on('click', function (event) {
        var first = null;
        $root.find('li[data-cast="integer"], li[data-cast="float"]').each(function () {
            var $item = $(this);
            var message = numberRefusal($item);
            showRefusal($item, message);
            if (message !== null && first === null) { first = $item; }
        });
        if (first !== null) {
            event.preventDefault();
            event.stopImmediatePropagation();
            first.find('input.field-data-control').trigger('focus');
        }
    });
    $root.find('li[data-cast="integer"] input, li[data-cast="float"] input').on('input', function () {
        showRefusal($(this).closest('li'), null);
    });

    StudioEditableXBlockMixin(runtime, element);
    var $framework = $root.find('[data-field-name="framework"] select');
    var $items = $root.find('[data-field-name="competences"] .list-settings-item');
    var frameworkOf = (config && config.frameworkOf) || {};

    function follow(untick) {
        var chosen = $framework.val() || '';
        $items.each(function () {
            var $box = $(this).find('input[type="checkbox"]');
            if (!$box.length) { return; }
            var shown = chosen !== '' && frameworkOf[JSON.parse($box.val())] === chosen;
            this.hidden = !shown;
            if (!shown && untick && $box.prop('checked')) {
                $box.prop('checked', false).trigger('change');  // the editor then saves the change
            }
        });
    }
    $framework.on('change', function () { follow(true); });
    follow(false);
}
