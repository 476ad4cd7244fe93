"""HTML pages of collaboration requests (SPEC §3). Thin: reads from ``selectors``, every
write through ``services``, and the services' errors shown where people typed."""

from .actions import part_action, request_action
from .detail import attachment_download, request_detail
from .drafts import request_autosave, request_edit, request_new
from .letters import letter_detail, letter_pdf, letter_print
from .lists import request_export, request_list
from .printing import request_archive_package, request_pdf, request_print

__all__ = [
    "attachment_download",
    "letter_detail",
    "letter_pdf",
    "letter_print",
    "part_action",
    "request_action",
    "request_archive_package",
    "request_autosave",
    "request_detail",
    "request_edit",
    "request_export",
    "request_list",
    "request_pdf",
    "request_print",
    "request_new",
]
