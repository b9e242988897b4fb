"""USWDS styling for every form: the class each widget needs, and the error state on invalid fields."""

from django import forms

_WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "",
    forms.CheckboxSelectMultiple: "",
}


class UswdsFormMixin:
    """Add USWDS classes to widgets, and `usa-input--error` plus aria attributes to fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "usa-input")
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                if "usa-input" in widget.attrs.get("class", ""):
                    widget.attrs["class"] += " usa-input--error"
