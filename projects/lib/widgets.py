"""Django's attrs.html, select.html and select_option.html widget templates, written out in Python.

A drop-down of hundreds of options (a plan's activities) or a filter bar on every list page renders
one template include per option through Django's form renderer, 0.1-0.2 ms apiece (issue 14); these
give the same markup, byte for byte, and escape as the templates do: attribute values always (the
templates print them through stringformat), names and labels unless already safe.
"""

import html


def escaped(value) -> str:
    """conditional_escape(value) without its checks for lazy text, which cost more than the escaping
    over a thousand options."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def attrs_html(attrs: dict) -> str:
    """attrs.html: False leaves an attribute out, True writes its name alone."""
    return "".join(f" {escaped(name)}" if value is True else f' {escaped(name)}="{html.escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def select_html(widget: dict) -> str:
    """select.html for a widget context (Widget.get_context(...)["widget"])."""
    parts = [f'<select name="{escaped(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
        parts.extend(f'\n  <option value="{html.escape(str(option["value"]))}"{attrs_html(option["attrs"])}>'
                     f'{escaped(option["label"])}</option>\n' for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
