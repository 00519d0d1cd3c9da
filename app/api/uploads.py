"""Multipart uploads parsed entirely in memory, so no upload ever touches the disk.

Starlette spools file parts larger than 1 MiB to a temporary file; raising the spool size
to the upload limit keeps every byte in memory (the body-limit middleware has already
capped the body). Field names, counts and sizes are bounded; anything malformed is a 4xx.
"""

from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

from .errors import ApiError

MAX_FIELDS = 32
MAX_FIELD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """The form: text fields (a name may repeat) and at most one file's bytes."""

    fields: dict[str, list[str]]
    file_field: str | None
    file_bytes: bytes | None


def _in_memory_parser(spool_bytes: int) -> type[MultiPartParser]:
    class InMemoryParser(MultiPartParser):
        spool_max_size = spool_bytes

    return InMemoryParser


async def read_upload(request: Request, max_upload_bytes: int) -> Upload:
    """Parse a multipart/form-data body in memory; refuse other content types with 415."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "multipart/form-data":
        parser = _in_memory_parser(max_upload_bytes + 1)(
            request.headers, request.stream(), max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES
        )
    elif media == "application/x-www-form-urlencoded":  # a sample needs no file
        parser = FormParser(request.headers, request.stream(), max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES)
    else:
        raise ApiError(
            415, "content-type", "multipart_form_data", "send the image as multipart/form-data (an HTML file upload)"
        )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise ApiError(422, "body", "multipart_invalid", f"the multipart body is malformed: {exc.message}") from None
    fields: dict[str, list[str]] = {}
    file_field, file_bytes = None, None
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                file_field, file_bytes = name, await value.read(max_upload_bytes + 1)
            else:
                fields.setdefault(name, []).append(value)
    finally:
        await form.close()
    if file_bytes is not None and len(file_bytes) > max_upload_bytes:
        raise ApiError(
            413,
            "image",
            "upload_too_large",
            f"the upload is larger than this server's limit of {max_upload_bytes:,} bytes",
        )
    return Upload(fields=fields, file_field=file_field, file_bytes=file_bytes)
