"""The list pages' filter bars, rendered in Python with the markup crispy-forms gives a field.

A filter bar shows five fields on every list page view; through crispy's templates and Django's
widget templates (one include per drop-down option) they cost more than the rows of the list
(issue 14). Text inputs and drop-downs get the same elements and attributes here, built directly;
any other widget still goes through crispy.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.widgets import Input
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from projects.lib.widgets import attrs_html, select_html

register = template.Library()

# The widget templates this module writes out itself (Django's own, byte for byte, as its form renderer
# returns them: stripped): input.html, and the text-like inputs' templates, which include it.
INPUT_TEMPLATE = "django/forms/widgets/input.html"
TEXT_LIKE_TEMPLATES = {f"django/forms/widgets/{kind}.html" for kind in (
    "text", "number", "email", "url", "search", "tel", "password", "date", "datetime", "time", "color")}
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _widget_html(widget: dict) -> str:
    if widget["template_name"] != SELECT_TEMPLATE:
        value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
                f'{value}{attrs_html(widget["attrs"])}>')
    return select_html(widget)


def _written_here(widget) -> bool:
    if isinstance(widget, forms.Select):
        return widget.template_name == SELECT_TEMPLATE and widget.option_template_name == OPTION_TEMPLATE
    return (isinstance(widget, Input) and not widget.is_hidden
            and (widget.template_name == INPUT_TEMPLATE or widget.template_name in TEXT_LIKE_TEMPLATES))


def _add_classes(widget, *classes: str) -> None:
    """The classes crispy's bootstrap5 field template adds to a widget (its class name, form-control
    or form-select, is-invalid), kept on the widget as crispy keeps them."""
    css = widget.attrs.get("class", "")
    names = css.split()
    for name in (widget.__class__.__name__.lower(), *classes):
        if name not in names:
            names.append(name)
    widget.attrs["class"] = " ".join(names)


@register.filter
def filter_field(field):
    """A field of a filter bar: label, widget, errors and help text as crispy-forms' bootstrap5
    pack writes them for the same field."""
    widget = field.field.widget
    if not _written_here(widget):
        return as_crispy_field(field)
    _add_classes(widget, "form-select" if isinstance(widget, forms.Select) else "form-control",
                 *(["is-invalid"] if field.errors else []))
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    label = ""
    if field.label:
        # The spaces around the text are crispy's (its template's indentation), kept so the page is the same.
        label = format_html('<label{} class="form-label{}"> {}{} </label>',
                            format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
                            " requiredField" if field.field.required else "", field.label,
                            mark_safe('<span class="asteriskField">*</span>') if field.field.required else "")
    errors = ""
    if field.errors:
        errors = format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.errors.field_id,
                             mark_safe("".join(format_html('<p id="error_{}_{}"><strong>{}</strong></p>',
                                                           n, field.auto_id, error)
                                               for n, error in enumerate(field.errors, 1))))
    help_text = ""
    if field.help_text:
        help_text = format_html('<div {}class="form-text">{}</div>',
                                format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
                                mark_safe(field.help_text))
    css = field.css_classes()
    return format_html('<div id="div_{}" class="mb-3{}">{}{}{}{}</div>', field.auto_id, f" {css}" if css else "",
                       label, mark_safe(_widget_html(context)), errors, help_text)
