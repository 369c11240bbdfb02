"""Documents prepared in the background, fetched as a user gets them: «Prepara il documento» on the page (the task
runs at once with the tests' immediate backend), then the download on the job's page."""

from __future__ import annotations

from typing import Any


def prepared(client: Any, page_url: str, fmt: str) -> bytes:
    """The document ``fmt`` (pdf, docx) asked on ``page_url`` (with its filters in the query) by ``client``."""
    asked = client.post(page_url, {"formato": fmt})
    assert asked.status_code == 302, asked.status_code
    job_url = asked["Location"]
    assert job_url.startswith("/monitoraggio/documenti/"), job_url
    page = client.get(job_url)
    assert "Documento pronto" in page.content.decode(), page.content.decode()
    download = client.get(f"{job_url}scarica/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)
