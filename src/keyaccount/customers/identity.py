"""Who a customer is: one form per phone number and per company name (撞单 detection).

Two spellings of one number, or of one company, must compare equal, so a second
salesperson cannot register the same customer under a different spelling.

Examples:
    >>> normalise_phone("138-0013-8000") == normalise_phone("+86 13800138000")
    True
    >>> company_key("上海某某贸易有限公司") == company_key("上海 某某贸易 集团")
    True
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, NewType

import attrs

from keyaccount.errors import InvalidPhoneError

__all__ = ["COMPANY_SUFFIXES", "Phone", "company_key", "normalise_phone"]

#: A phone number in the form `normalise_phone` gives.
Phone = NewType("Phone", str)

_PHONE_SEPARATORS: Final = re.compile(r"[\s\-.()/\u2010-\u2015\u2212]")
_MOBILE: Final = re.compile(r"1\d{10}")
_COUNTRY_PREFIXES: Final = ("+86", "0086", "86")


def normalise_phone(phone: str) -> Phone:
    """The canonical form of a phone number, so one person's number compares equal.

    Full-width characters become ASCII (NFKC), spaces, dashes, dots, slashes and
    parentheses are dropped, and the mainland country code (``+86``, ``0086``, ``86``)
    is removed in front of an 11-digit mobile number starting with 1. Other numbers
    (landlines with area codes, foreign numbers) keep their digits and a leading ``+``.

    Examples:
        >>> normalise_phone("+86 138-0013-8000")
        '13800138000'
        >>> normalise_phone("０２１－６２３４ ５６７８")
        '02162345678'

    Args:
        phone: the number as a person wrote it.

    Returns:
        The number's canonical form.

    Raises:
        InvalidPhoneError: the number is empty or holds letters or other symbols.
    """
    if not isinstance(phone, str):
        raise InvalidPhoneError(f"a phone number must be text, got {type(phone).__name__}")
    if phone.isascii() and phone.isdigit() and not phone.startswith(("86", "0086")):
        return Phone(phone)  # already canonical (the common case when loading saved files)
    text = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", phone))
    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits.isdigit() or not digits.isascii():
        raise InvalidPhoneError(
            f"phone number {phone!r} holds characters other than digits, spaces, dashes, "
            f"dots, parentheses and a leading +"
        )
    for prefix in _COUNTRY_PREFIXES:
        if text.startswith(prefix) and _MOBILE.fullmatch(text[len(prefix) :]):
            return Phone(text[len(prefix) :])
    return Phone(text)


#: Company-name suffixes dropped when comparing names for duplicate claims. The name is
#: first compacted (NFKC, lower case, brackets unified to ``()``, every space and
#: punctuation mark removed), then these are stripped from its end, longest first and
#: repeatedly, so "某某(集团)有限公司", "某某 集团 有限 公司" and "某某" compare equal. The
#: Chinese ones are stripped wherever the name ends with them; the Latin ones only when
#: they start a word (after a space, a punctuation mark or a non-Latin character), so
#: "Zinc" keeps its "inc". A name that is nothing but a suffix is kept.
COMPANY_SUFFIXES: Final = (
    "有限责任公司",
    "股份有限公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "(集团)",
    "集团",
    "公司",
    "company limited",
    "incorporated",
    "corporation",
    "co. limited",
    "limited",
    "co., ltd.",
    "group",
    "corp",
    "ltd",
    "inc",
)
_CHINESE_SUFFIXES: Final = tuple(
    sorted((s for s in COMPANY_SUFFIXES if not s.isascii()), key=len, reverse=True)
)
_LATIN_SUFFIXES: Final = tuple(
    sorted(
        {"".join(c for c in s if c.isalnum()) for s in COMPANY_SUFFIXES if s.isascii()},
        key=lambda s: (-len(s), s),
    )
)
_ALL_SUFFIXES: Final = frozenset(_CHINESE_SUFFIXES) | frozenset(_LATIN_SUFFIXES)
_BRACKETS: Final = str.maketrans(
    {"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"}
)


@attrs.frozen
class _Compacted:
    """A name without spaces and punctuation, and where each kept character starts a word.

    Attributes:
        text: letters, digits, CJK characters and the brackets ``(`` ``)``, lower case.
        starts: one flag per character of ``text``: whether it is the first or
            something was dropped before it.
    """

    text: str
    starts: tuple[bool, ...]


def _compact(name: str) -> _Compacted:
    """``name`` compacted: NFKC, lower case, brackets unified, spaces and punctuation gone."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_BRACKETS)
    kept: list[str] = []
    starts: list[bool] = []
    gap = True
    for char in folded:
        if char.isalnum() or char in "()":
            kept.append(char)
            starts.append(gap)
            gap = False
        else:
            gap = True
    return _Compacted("".join(kept), tuple(starts))


def _strip_suffix(key: str, starts: tuple[bool, ...]) -> str | None:
    """``key`` without one company suffix at its end, or ``None`` when it has none."""
    if key in _ALL_SUFFIXES:
        return None  # a name that is nothing but a suffix is kept
    for suffix in _CHINESE_SUFFIXES:
        rest = key[: -len(suffix)]
        if key.endswith(suffix) and rest.strip("()"):
            return rest
    for suffix in _LATIN_SUFFIXES:
        cut = len(key) - len(suffix)
        if cut > 0 and key.endswith(suffix) and key[:cut].strip("()"):
            before = key[cut - 1]
            if starts[cut] or not (before.isascii() and before.isalnum()):
                return key[:cut]
    return None


def company_key(name: str) -> str:
    """The form of a customer's name used to find duplicate claims (撞单).

    NFKC (full-width letters, digits, brackets and spaces become half-width), lower
    case, every space and punctuation mark removed, and only then the suffixes in
    `COMPANY_SUFFIXES` stripped from the end, longest first and repeatedly.
    Removing spaces first means a suffix written with spaces inside ("有限 公司") is
    still a suffix. ``"上海 某某 有限 公司"``, ``"上海某某(集团)有限公司"``,
    ``"上海某某（集团）"`` and ``"上海某某"`` share a key.

    Examples:
        >>> company_key("ＡＢＣ Trading Co., Ltd.")
        'abctrading'
        >>> company_key("上海某某贸易 有限 公司") == company_key("上海某某贸易（集团）有限公司")
        True

    Args:
        name: a company's or a person's name as written.

    Returns:
        The comparison key; empty for a name with no letters or digits.
    """
    compact = _compact(name)
    key = compact.text
    while (shorter := _strip_suffix(key, compact.starts)) is not None:
        key = shorter
    return key.replace("(", "").replace(")", "")
