"""The API's own refusals in the session's language: pydantic's validation errors (422) and
Ninja's parser errors are English sentences from the libraries; each known error type gets
our message, naming the field, with the library's context (lengths, bounds, choices)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# pydantic v2 error types (https://docs.pydantic.dev/latest/errors/validation_errors/).
MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field: check its name."),
    "string_type": gettext_lazy("Give a text."),
    "string_too_short": gettext_lazy("Write at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Write at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_lazy("This value is not in the expected format."),
    "int_type": gettext_lazy("Give a whole number."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "int_from_float": gettext_lazy("Give a whole number."),
    "float_type": gettext_lazy("Give a number."),
    "float_parsing": gettext_lazy("Give a number."),
    "decimal_type": gettext_lazy("Give a number."),
    "decimal_parsing": gettext_lazy("Give a number."),
    "bool_type": gettext_lazy("Give true or false."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "greater_than": gettext_lazy("Give a value greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Give a value of at least %(ge)s."),
    "less_than": gettext_lazy("Give a value less than %(lt)s."),
    "less_than_equal": gettext_lazy("Give a value of at most %(le)s."),
    "date_type": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Give a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Give a date as YYYY-MM-DD."),
    "datetime_type": gettext_lazy("Give a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_parsing": gettext_lazy("Give a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_from_date_parsing": gettext_lazy("Give a date and time as YYYY-MM-DDTHH:MM."),
    "time_type": gettext_lazy("Give a time as HH:MM."),
    "time_parsing": gettext_lazy("Give a time as HH:MM."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "list_type": gettext_lazy("Give a list."),
    "too_long": gettext_lazy("Give at most %(max_length)s items."),
    "too_short": gettext_lazy("Give at least %(min_length)s items."),
    "dict_type": gettext_lazy("Give a JSON object."),
    "model_type": gettext_lazy("Give a JSON object."),
    "model_attributes_type": gettext_lazy("Give a JSON object."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "json_type": gettext_lazy("The body is not valid JSON."),
    "uuid_parsing": gettext_lazy("Give a valid identifier."),
    "url_parsing": gettext_lazy("Give a web address starting with http:// or https://."),
    "url_scheme": gettext_lazy("Give a web address starting with http:// or https://."),
}

IGNORED_LOCATION = ("body", "query", "path", "payload", "form", "header", "cookie")


def error_field(error: dict) -> str | None:
    """The field an error is about (``title``, ``items.0.owner``), None for the whole body."""
    location = [str(part) for part in error.get("loc", []) if part not in IGNORED_LOCATION]
    return ".".join(location) or None


def error_message(error: dict) -> str:
    """One validation error in the session's language; the library's own words for a type
    we do not know (a validator's ``value_error`` says what our code raised)."""
    template = MESSAGES.get(str(error.get("type", "")))
    if template is None:
        message = str(error.get("msg") or _("Invalid input."))
        return message.removeprefix("Value error, ")
    context = dict(error.get("ctx") or {})
    if "expected" in context:
        context["expected"] = str(context["expected"]).replace("'", "")
    try:
        return str(template) % context if "%(" in str(template) else str(template)
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg") or _("Invalid input."))


def validation_body(errors: list[dict]) -> dict:
    """The 422 body: the first error as ``message`` naming its ``field``, and every error
    (each with its localised ``msg``)."""
    localised = [{**error, "msg": error_message(error)} for error in errors]
    first = localised[0] if localised else {}
    field = error_field(first) if first else None
    message = first.get("msg") or _("Invalid input.")
    if field:
        message = _("%(field)s: %(message)s") % {"field": field, "message": message}
    return {"message": message, "field": field, "errors": localised}
