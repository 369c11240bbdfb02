"""Every file the application sends for download: one ``FileResponse`` built the same way.

Django writes the ``Content-Disposition`` header (quoting the name, ``filename*`` for names that are not
ASCII), the length and the type; a file of tenant data is never kept by a shared cache.
"""

from __future__ import annotations

import io

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def download(
    content: bytes, *, filename: str, content_type: str, inline: bool = False, cache_control: str = "private, no-store"
) -> FileResponse:
    """``content`` as a file called ``filename``: saved by the browser, or shown by it when ``inline``."""
    response = FileResponse(io.BytesIO(content), as_attachment=not inline, filename=filename, content_type=content_type)
    response["Cache-Control"] = cache_control
    return response


def stored_file(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """An uploaded file as an attachment under the name its user gave, with the type it was checked to be; 404
    when the file is gone from the storage."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
