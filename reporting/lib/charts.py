"""Charts drawn on the server as SVG, so the PDF needs no script and fetches nothing. Every text
placed in the markup is escaped here; the templates mark the result safe."""

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOURS = ("#6c757d", "#0d6efd", "#198754", "#fd7e14")


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def cost_bars(title: str, bars: list[tuple[str, Decimal | None]]) -> SafeString:
    """Horizontal bars (budget, committed, actual, forecast), scaled to the largest."""
    width, label_width, row = 480, 110, 26
    largest = max((value for _label, value in bars if value), default=Decimal("1")) or Decimal("1")
    body = []
    for index, (label, value) in enumerate(bars):
        y = 6 + index * row
        length = int((width - label_width - 110) * (value or 0) / largest)
        body.append(f'<text x="0" y="{y + 14}" font-size="11">{escape(label)}</text>')
        body.append(f'<rect x="{label_width}" y="{y}" width="{max(length, 1)}" height="18" '
                    f'fill="{BAR_COLOURS[index % len(BAR_COLOURS)]}"/>')
        amount = "—" if value is None else number_format(value, 0, force_grouping=True)
        body.append(f'<text x="{label_width + length + 6}" y="{y + 14}" font-size="11">{escape(amount)}</text>')
    return _svg(width, 12 + len(bars) * row, body, title)


def milestone_timeline(title: str, milestones: list[dict], legend: tuple[str, str]) -> SafeString:
    """Each milestone on one line: its baseline date (hollow) and forecast date (filled, red when late)."""
    if not milestones:
        return mark_safe("")
    dates = [dt.date.fromisoformat(m[key]) for m in milestones for key in ("baseline", "forecast")]
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    width, label_width, row = 480, 170, 22
    plot = width - label_width - 20

    def x(day: str) -> int:
        return label_width + int(plot * (dt.date.fromisoformat(day) - first).days / span)

    body = []
    for index, milestone in enumerate(milestones):
        y = 20 + index * row
        late = milestone["slip"] > 0
        body.append(f'<text x="0" y="{y + 4}" font-size="10">{escape(milestone["name"][:32])}</text>')
        body.append(f'<line x1="{label_width}" y1="{y}" x2="{label_width + plot}" y2="{y}" stroke="#dee2e6"/>')
        body.append(f'<circle cx="{x(milestone["baseline"])}" cy="{y}" r="5" fill="none" stroke="#495057"/>')
        body.append(f'<circle cx="{x(milestone["forecast"])}" cy="{y}" r="4" '
                    f'fill="{"#dc3545" if late else "#198754"}"/>')
    axis_y = 20 + len(milestones) * row
    for day in (first, last):
        anchor = "start" if day == first else "end"
        body.append(f'<text x="{x(day.isoformat())}" y="{axis_y}" font-size="9" text-anchor="{anchor}">'
                    f'{escape(date_format(day, "SHORT_DATE_FORMAT"))}</text>')
    body.append(f'<text x="0" y="10" font-size="9">○ {escape(legend[0])}   ● {escape(legend[1])}</text>')
    return _svg(width, axis_y + 8, body, title)
