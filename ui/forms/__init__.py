"""Forms and field editors of the property and teams panels: one widget per module, bound to the model
through :mod:`ui.forms.binding`."""
