from ninja import Schema


class ErrorOut(Schema):
    """Every 4xx answer: a message people can read, and the field it is about when there is one."""

    message: str
    field: str | None = None
    errors: list[dict] | None = None


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """The 4xx answers an operation declares, so the OpenAPI schema says what can come back.

    401 (not logged in) and 422 (a field failed validation) can come from every operation.
    """
    return dict.fromkeys(sorted({401, 422, *codes}), ErrorOut)
