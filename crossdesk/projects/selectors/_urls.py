"""A reverse() that tolerates pages not mounted yet (the two halves of the app are
written side by side; an archive list must not fail because one page is missing)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
