"""PDF rendering: an HTML template turned into a PDF by WeasyPrint, for every export of the project."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """An HTML template rendered to PDF by WeasyPrint (no network: only the template's own styles)."""
    from weasyprint import HTML  # noqa: PLC0415  (heavy import, only when a PDF is asked for)

    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
