"""One argument check the finance rules share: a value of the wrong type, refused by name."""

from __future__ import annotations

from keyaccount.errors import InvalidArgumentTypeError

__all__: list[str] = []


def expect(value: object, cls: type, name: str) -> None:
    """Refuse ``value`` unless it is a ``cls``, before any rule reads it.

    Raises:
        InvalidArgumentTypeError: naming the argument, the type wanted and the one given.
    """
    if not isinstance(value, cls):
        raise InvalidArgumentTypeError(
            f"{name} must be a {cls.__name__}, got {type(value).__name__}"
        )
