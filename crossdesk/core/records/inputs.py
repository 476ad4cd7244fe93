"""One input parser for services: what forms and the API send, turned into values or a
400 that names the field. One rule for every record type: a date without a time means
the end of the working day (18:00), as a deadline typed on paper does."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from django.utils import timezone
from django.utils.translation import gettext as _

from crossdesk.core.errors import ApplicationError

END_OF_DAY = time(18, 0)
MAX_NUMBER = Decimal("1e12")


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any, field: str, limit: int, *, required: bool = False, label: Any = "") -> str:
    """Stripped text of at most ``limit`` characters; a 400 when required and empty."""
    value = "" if value is None else str(value).strip()
    if required and not value:
        if label:
            raise ApplicationError(_("%(field)s is required.") % {"field": label}, field=field)
        raise ApplicationError(_("This field is required."), field=field)
    if len(value) > limit:
        raise ApplicationError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


def required_text(value: Any, field: str, message: Any, limit: int = 5000) -> str:
    """Stripped text, or a 400 with ``message`` when empty."""
    value = "" if value is None else str(value).strip()
    if not value:
        raise ApplicationError(str(message), field=field)
    if len(value) > limit:
        raise ApplicationError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


@overload
def a_date(value: Any, field: str, *, required: Literal[True]) -> date: ...
@overload
def a_date(value: Any, field: str, *, required: bool = False) -> date | None: ...
def a_date(value: Any, field: str, *, required: bool = False) -> date | None:
    if _empty(value):
        if required:
            raise ApplicationError(_("Enter a date like 2026-10-12."), field=field)
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ApplicationError(_("Enter a date like 2026-10-12."), field=field) from exc


@overload
def a_moment(
    value: Any, field: str, *, required: Literal[True], end_of_day: time = END_OF_DAY
) -> datetime: ...
@overload
def a_moment(
    value: Any, field: str, *, required: bool = False, end_of_day: time = END_OF_DAY
) -> datetime | None: ...
def a_moment(
    value: Any, field: str, *, required: bool = False, end_of_day: time = END_OF_DAY
) -> datetime | None:
    """An aware datetime from ISO text, a date (meaning ``end_of_day``) or a datetime
    (local time when naive)."""
    if _empty(value):
        if required:
            raise ApplicationError(_("Enter a date and time like 2026-10-12 17:00."), field=field)
        return None
    if isinstance(value, str):
        raw = value.strip()
        try:
            value = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise ApplicationError(_("Enter a date and time like 2026-10-12 17:00."), field=field) from exc
        if len(raw) == 10:  # a date alone
            value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, end_of_day)
    if not isinstance(value, datetime):
        raise ApplicationError(_("Enter a date and time like 2026-10-12 17:00."), field=field)
    if value.year < 1900:
        raise ApplicationError(_("Enter a date and time like 2026-10-12 17:00."), field=field)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def a_time(value: Any, field: str) -> time | None:
    """A time of day from ``10:00`` (or a ``time``), else a 400."""
    if _empty(value):
        return None
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ApplicationError(_("Enter a time like 10:00."), field=field) from exc


def a_decimal(value: Any, field: str) -> Decimal | None:
    if _empty(value):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("Enter a number."), field=field) from exc
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ApplicationError(_("Enter a number."), field=field)
    return number.quantize(Decimal("0.01"))


def an_int(value: Any, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    if _empty(value):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("Enter a whole number."), field=field) from exc
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ApplicationError(
            _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}, field=field
        )
    return number


def a_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes", "y"}
    return bool(value)


def a_choice(value: Any, field: str, choices: Iterable[Any], *, default: Any = None) -> str:
    """One of ``choices`` (a TextChoices class or values), else a 400."""
    values = [getattr(c, "value", c) for c in choices]
    if _empty(value):
        if default is not None:
            return str(default)
        raise ApplicationError(_("Choose one of the options."), field=field)
    if str(value) not in [str(v) for v in values]:
        raise ApplicationError(_("“%(value)s” is not one of the options.") % {"value": value}, field=field)
    return str(value)


def an_id(value: Any, field: str, message: Any = None) -> int | None:
    """A primary key from a number, its text or a model instance."""
    if _empty(value):
        return None
    pk = getattr(value, "pk", value)
    try:
        number = int(pk)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(str(message or _("Unknown value.")), field=field) from exc
    if number <= 0 or number > 2**63 - 1:
        raise ApplicationError(str(message or _("Unknown value.")), field=field)
    return number


def known(data: Any, allowed: Iterable[str], *, field: str | None = None) -> dict:
    """``data`` as a dict of only ``allowed`` names, else a 400 naming the first unknown one
    (or ``field``)."""
    if not isinstance(data, dict):
        raise ApplicationError(_("Send the fields as an object."), field=field or "data")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ApplicationError(
            _("Unknown field: %(f)s.") % {"f": ", ".join(unknown)}, field=field or unknown[0]
        )
    return data
