/* Portfolio XBlock in Studio: the settings editor of XBlock's StudioEditableXBlockMixin, whose
   competence list follows the framework chosen, before it is saved. The list holds every
   framework's competences; those of the other frameworks are hidden, and unticked when the
   author changes the framework. */
function PortfolioStudioEdit(runtime, element, config) {
    'use strict';
    StudioEditableXBlockMixin(runtime, element);
    var $root = $(element);
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
