"""The one filter of the people directory, shared by the page, the API and the export,
so what you see, what the API returns and what you download are the same rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from . import selectors
from .models import Person


@dataclass(frozen=True)
class PeopleFilter:
    """``q``: words matched against name, employee number, e-mail, phone and title (all
    must match); ``department``: a department code, its sub-departments included."""

    q: str = ""
    department: str = ""

    @classmethod
    def from_params(cls, params) -> PeopleFilter:
        return cls(
            q=(params.get("q") or "").strip()[:100], department=(params.get("department") or "").strip()[:10]
        )

    def queryset(self) -> QuerySet[Person]:
        return selectors.person_list(query=self.q, department_code=self.department)

    @property
    def is_active(self) -> bool:
        return bool(self.q or self.department)

    def as_params(self) -> dict[str, str]:
        return {k: v for k, v in (("q", self.q), ("department", self.department)) if v}
