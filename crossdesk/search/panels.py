"""What search adds to pages of other apps (registered in ``SearchConfig.ready()``): the
similar past cases on a collaboration request's page, for the departments asked to solve it."""

from __future__ import annotations

from typing import Any

from crossdesk.org.selectors import Roles

from .selectors import similar_cases

# While the receiving departments still work on it; once resolved the list would only
# point at what they already did.
BEING_SOLVED = ("submitted", "in_progress")


def request_similar_cases(*, page: Any, roles: Roles, **context: Any) -> dict[str, Any] | None:
    """The five resolved requests and knowledge-base entries most like this request, shown
    to the people of its receiving departments (SPEC §6: the liaison sees what was done
    before); the same visibility as the search."""
    request = page.request
    receiving = {part.department_id for part in page.parts if part.is_receiving}
    if request.status not in BEING_SOLVED or roles.person is None or not receiving & roles.member_of:
        return None
    text = "\n".join(t for t in (request.title, request.background, request.current_situation) if t)
    hits = similar_cases(user=roles.person.user, text=text, exclude=("collaboration.request", request.pk))
    return {"template": "search/_request_similar.html", "context": {"hits": hits, "text": text}}
