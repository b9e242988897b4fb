"""Template tags that render form fields in USWDS markup, with hints and errors wired to aria-describedby."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("includes/field.html")
def uswds_field(field, number="", hint=""):
    """Render one field as a USWDS form group (a fieldset for radios and checkbox lists)."""
    widget = field.field.widget
    described = []
    help_text = hint or field.help_text
    if help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"aria-describedby": " ".join(described)} if described else {}
    return {
        "field": field,
        "number": number,
        "help_text": help_text,
        "widget_html": field.as_widget(attrs=attrs),
        "is_group": isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
    }


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_):
    """Render the error summary at the top of a page: one link per field error, and the form-wide errors."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"anchor": "", "message": error})
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            bound = form[name]
            for error in errors:
                items.append({"anchor": _anchor(bound), "label": bound.label, "message": error})
    return {"items": items}


def _anchor(bound) -> str:
    """Return the id the summary links to: a radio or checkbox group's first option, so the link focuses a control."""
    if isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)) and bound.subwidgets:
        return bound.subwidgets[0].id_for_label
    return bound.auto_id
