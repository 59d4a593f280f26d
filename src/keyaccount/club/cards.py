"""Member cards: issue, report lost (挂失), replace (补办), renew; a card's state is a fold.

The club specialist issues cards, takes loss reports and replaces cards (负责会员卡办理、
挂失、补办等工作, ``004_4f02eb3a82d8f29a.txt``, 客户俱乐部专员 duty 1). A card is
nothing but its events, folded like a complaint's (`keyaccount.complaints.lifecycle`):

* `CardIssued`: a new number for a member, valid until an instant;
* `CardReportedLost` (挂失): the card is **blocked at once**, from the report's instant;
* `CardReplaced` (补办): a lost (or live) card gets a **new number**; the old number is
  dead for ever. Balance and level belong to the member, so they carry over;
* `CardRenewed` (续卡): the card is valid until a later instant (a lapsed card revives).

A card **expires** on its own at ``valid_until``; no event is needed. A member holds
at most one live card per club at any instant: issuing a second live card is refused.

Examples:
    >>> import pendulum
    >>> at = pendulum.datetime(2026, 1, 5, 10, tz="Asia/Shanghai")
    >>> book = fold_cards((
    ...     CardIssued(at, "C-1", "m1", at.add(years=1)),
    ...     CardReportedLost(at.add(days=3), "C-1"),
    ...     CardReplaced(at.add(days=4), "C-1", "C-2"),
    ... ))
    >>> book.status("C-1", at.add(days=5)).label, book.status("C-2", at.add(days=5)).label
    ('已补办', '正常')
    >>> book.live_card("m1", at.add(days=5)).number
    'C-2'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TypeAlias

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, earlier, instant, optional_instant, text, to_instant
from keyaccount.errors import (
    CardNotLiveError,
    InvalidTransition,
    KeyAccountError,
    UnknownCardError,
)

__all__ = [
    "CardEvent",
    "CardIssued",
    "CardRenewed",
    "CardReplaced",
    "CardReportedLost",
    "CardState",
    "CardStatus",
    "Cards",
    "CardsReplayed",
    "Refusal",
    "Validity",
    "fold_cards",
    "record_card_event",
    "replay_cards",
    "usable",
]


class CardStatus(LabelledEnum):
    """Where a card stands at an instant (derived from its events, never stored)."""

    NOT_ISSUED = "not-issued", "未办理"
    LIVE = "live", "正常"
    LOST = "lost", "已挂失"
    REPLACED = "replaced", "已补办"
    EXPIRED = "expired", "已过期"


@attrs.frozen
class CardIssued:
    """A card was issued (会员卡办理) to a member.

    Attributes:
        at: when it was issued.
        card: the card number.
        member_id: the member (a `Customer.id`).
        valid_until: the instant the card stops being valid (exclusive).
        club: the club it belongs to (a member holds one live card per club).
    """

    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)
    member_id: str = attrs.field(validator=text)
    valid_until: pendulum.DateTime = attrs.field(converter=instant)
    club: str = attrs.field(default="club", validator=text)


@attrs.frozen
class CardReportedLost:
    """The member reported the card lost (挂失): it is blocked from ``at`` on."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)


@attrs.frozen
class CardReplaced:
    """The card was replaced (补办) by ``new_card``; the old number never works again."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)
    new_card: str = attrs.field(validator=text)


@attrs.frozen
class CardRenewed:
    """The card was renewed (续卡): valid until ``valid_until`` from ``at`` on."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)
    valid_until: pendulum.DateTime = attrs.field(converter=instant)


CardEvent: TypeAlias = CardIssued | CardReportedLost | CardReplaced | CardRenewed


@attrs.frozen
class Validity:
    """From ``since`` on, the card is valid until ``until`` (an issue or a renewal)."""

    since: pendulum.DateTime = attrs.field(converter=instant)
    until: pendulum.DateTime = attrs.field(converter=instant)


@attrs.frozen
class CardState:
    """What a card's events add up to (computed by `fold_cards`, never stored in files).

    Attributes:
        number: the card number.
        member_id: its member.
        club: its club.
        issued_at: when it was issued (for a replacement: when it replaced the old one).
        validity: each issue or renewal, oldest first.
        lost_at: when it was reported lost, if it was.
        replaced_at: when it was replaced, if it was.
        replaced_by: the number that replaced it.
        replaces: the number it replaced.
    """

    number: str
    member_id: str
    club: str
    issued_at: pendulum.DateTime = attrs.field(converter=instant)
    validity: tuple[Validity, ...]
    lost_at: pendulum.DateTime | None = attrs.field(default=None, converter=optional_instant)
    replaced_at: pendulum.DateTime | None = attrs.field(default=None, converter=optional_instant)
    replaced_by: str | None = None
    replaces: str | None = None

    def valid_until(self, as_of: dt.datetime) -> pendulum.DateTime:
        """The end of validity in force at ``as_of`` (the latest issue or renewal by then)."""
        now = to_instant(as_of, "as_of")
        until = self.validity[0].until
        for period in self.validity:
            if not earlier(now, period.since):
                until = period.until
        return until

    def status(self, as_of: dt.datetime) -> CardStatus:
        """Where the card stands at ``as_of``: replaced and lost win over expiry."""
        now = to_instant(as_of, "as_of")
        if earlier(now, self.issued_at):
            return CardStatus.NOT_ISSUED
        if self.replaced_at is not None and not earlier(now, self.replaced_at):
            return CardStatus.REPLACED
        if self.lost_at is not None and not earlier(now, self.lost_at):
            return CardStatus.LOST
        if not earlier(now, self.valid_until(now)):
            return CardStatus.EXPIRED
        return CardStatus.LIVE


def _folded(cards: Cards) -> tuple[CardState, ...]:
    states: dict[str, CardState] = {}
    for event in cards.events:
        _apply(states, event)
    return tuple(states.values())


@attrs.frozen
class Cards:
    """A club's card records: the events, and every card they lead to (`fold_cards`).

    Attributes:
        events: the card events, oldest first (what files hold).
        cards: the state of every card, in order of issue, folded from ``events`` once
            at construction.

    Raises:
        KeyAccountError: the errors of `fold_cards` for the first event refused.
    """

    events: tuple[CardEvent, ...] = ()
    cards: tuple[CardState, ...] = attrs.field(
        init=False, default=attrs.Factory(_folded, takes_self=True)
    )

    def by_number(self) -> Mapping[str, CardState]:
        """Every card by number (a fresh mapping)."""
        return {card.number: card for card in self.cards}

    def card(self, number: str) -> CardState:
        """The card ``number``.

        Raises:
            UnknownCardError: no such card.
        """
        for card in self.cards:
            if card.number == number:
                return card
        raise UnknownCardError(f"no member card {number!r} in the club's card records")

    def status(self, number: str, as_of: dt.datetime) -> CardStatus:
        """The status of card ``number`` at ``as_of`` (`UnknownCardError` if unknown)."""
        return self.card(number).status(as_of)

    def members(self) -> tuple[str, ...]:
        """Every member holding or having held a card, in order of first issue."""
        return tuple(dict.fromkeys(card.member_id for card in self.cards))

    def live_card(self, member_id: str, as_of: dt.datetime, club: str = "club") -> CardState | None:
        """The member's live card in ``club`` at ``as_of``, if there is one."""
        return next(
            (
                card
                for card in self.cards
                if card.member_id == member_id
                and card.club == club
                and card.status(as_of) is CardStatus.LIVE
            ),
            None,
        )


def usable(card: CardState, at: pendulum.DateTime) -> CardState:
    """``card`` if it is live at ``at``; else `CardNotLiveError` saying why."""
    status = card.status(at)
    if status is not CardStatus.LIVE:
        raise CardNotLiveError(
            f"card {card.number!r} is {status.value} ({status.label}) at {at.isoformat()}; "
            + (
                f"use its replacement {card.replaced_by!r}"
                if card.replaced_by
                else "report, replace or renew it first"
            )
        )
    return card


def _check_new_live(states: dict[str, CardState], new: CardState) -> None:
    """Refuse a second live card of the member in the club at ``new``'s issue."""
    for other in states.values():
        if (
            other.member_id == new.member_id
            and other.club == new.club
            and other.number != new.replaces
            and other.status(new.issued_at) is CardStatus.LIVE
        ):
            raise CardNotLiveError(
                f"member {new.member_id!r} already holds live card {other.number!r} in "
                f"club {new.club!r}; a member holds at most one live card per club"
            )


def _apply(states: dict[str, CardState], event: CardEvent) -> None:
    """Fold ``event`` into ``states`` (checked first: a refused event changes nothing)."""
    if isinstance(event, CardIssued):
        if event.card in states:
            raise InvalidTransition(f"card number {event.card!r} was already issued")
        new = CardState(
            event.card,
            event.member_id,
            event.club,
            event.at,
            (Validity(event.at, event.valid_until),),
        )
        _check_new_live(states, new)
        states[event.card] = new
        return
    if event.card not in states:
        raise UnknownCardError(f"no member card {event.card!r} in the club's card records")
    card = states[event.card]
    if earlier(event.at, card.issued_at):
        raise InvalidTransition(f"card {card.number!r}: an event before it was issued")
    status = card.status(event.at)
    if status is CardStatus.REPLACED:
        raise CardNotLiveError(
            f"card {card.number!r} was replaced by {card.replaced_by!r}; the old number is never "
            "used again"
        )
    match event:
        case CardReportedLost():
            if status is CardStatus.LOST:
                raise InvalidTransition(f"card {card.number!r} is already reported lost")
            states[card.number] = attrs.evolve(card, lost_at=event.at)
        case CardReplaced():
            if event.new_card in states:
                raise InvalidTransition(f"card number {event.new_card!r} was already issued")
            new = CardState(
                event.new_card,
                card.member_id,
                card.club,
                event.at,
                (Validity(event.at, card.valid_until(event.at)),),
                replaces=card.number,
            )
            _check_new_live(states, new)
            states[card.number] = attrs.evolve(
                card, replaced_at=event.at, replaced_by=event.new_card
            )
            states[event.new_card] = new
        case CardRenewed():
            if status is CardStatus.LOST:
                raise CardNotLiveError(f"card {card.number!r} is reported lost; replace it first")
            if not earlier(card.valid_until(event.at), event.valid_until):
                raise InvalidTransition(f"card {card.number!r}: a renewal must extend its validity")
            renewed = attrs.evolve(
                card, validity=(*card.validity, Validity(event.at, event.valid_until))
            )
            others = {k: v for k, v in states.items() if k != card.number}
            _check_new_live(others, attrs.evolve(renewed, issued_at=event.at))
            states[card.number] = renewed


@attrs.frozen
class Refusal:
    """A record a replay left out, and why.

    Attributes:
        index: its place in the records given.
        id: its id (an operation's id, a card event's card number).
        reason: the error's message.
        error: the error's class name (``CardNotLiveError`` ...).
    """

    index: int
    id: str
    reason: str
    error: str


@attrs.frozen
class CardsReplayed:
    """Cards replayed from events: the cards of the accepted events, and the refusals."""

    cards: Cards
    refusals: tuple[Refusal, ...]


def replay_cards(events: Iterable[CardEvent]) -> CardsReplayed:
    """Fold ``events`` in order, leaving out (and reporting) each one `fold_cards` refuses.

    The rest go on as if a refused event had never been given.
    """
    states: dict[str, CardState] = {}
    kept: list[CardEvent] = []
    refusals: list[Refusal] = []
    for index, event in enumerate(events):
        try:
            _apply(states, event)
        except KeyAccountError as error:
            refusals.append(Refusal(index, event.card, str(error), type(error).__name__))
        else:
            kept.append(event)
    return CardsReplayed(Cards(tuple(kept)), tuple(refusals))


def fold_cards(events: Iterable[CardEvent]) -> Cards:
    """The cards ``events`` lead to, every event checked.

    Args:
        events: the card events, oldest first.

    Returns:
        The folded `Cards`.

    Raises:
        UnknownCardError: an event names a card never issued.
        CardNotLiveError: an event uses a replaced card, a lost card is renewed, or a
            member would hold two live cards in one club.
        InvalidTransition: a number issued twice, a card reported lost twice, a renewal
            that does not extend validity, or an event before its card's issue.
    """
    return Cards(tuple(events))


def record_card_event(cards: Cards, event: CardEvent) -> Cards:
    """``cards`` with ``event`` folded in (the same checks as `fold_cards`; ``cards`` unchanged)."""
    return Cards((*cards.events, event))
