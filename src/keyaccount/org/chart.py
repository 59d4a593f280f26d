"""The org chart: a department's positions, their reporting lines and lookups over them.

An `OrgChart` is built from positions. Building checks only that ids are unique (the
lookups need that) and builds, once, the index every rule reads: positions by id and by
title, each position's subordinates, each position's chain of command, and who holds an
approving right on which subject. Everything else a chart can get wrong is reported by
`check_org`, all at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from keyaccount.errors import (
    AmbiguousTitleError,
    DuplicateIdError,
    OrgStructureError,
    UnknownPositionError,
)
from keyaccount.org.diagram import to_mermaid
from keyaccount.org.model import Department, JobDescription, Position
from keyaccount.org.rights import APPROVING_KINDS, Authority

__all__ = ["OrgChart"]


@attrs.frozen
class _ChartIndex:
    """Lookup tables derived from a chart, built once with it (internal).

    Attributes:
        by_id: each position by id.
        by_title: the ids of the positions with each title (seed or English).
        children: the ids of each position's direct subordinates.
        chains: each position's chain of command (ids, direct superior first), for every
            position whose reporting lines reach a top; `chain` explains the others.
        approving: subject -> position id -> that position's approving rights on it,
            so that the approval route needs one lookup per level.
    """

    by_id: Mapping[str, Position]
    by_title: Mapping[str, tuple[str, ...]]
    children: Mapping[str, tuple[str, ...]]
    chains: Mapping[str, tuple[str, ...]]
    approving: Mapping[str, Mapping[str, tuple[Authority, ...]]]

    @classmethod
    def of(cls, chart: OrgChart) -> _ChartIndex:
        """The index of ``chart``.

        Raises:
            DuplicateIdError: two positions or two departments share an id.
        """
        by_id: dict[str, Position] = {}
        for position in chart.positions:
            if position.id in by_id:
                raise DuplicateIdError(f"position id {position.id!r} is used twice")
            by_id[position.id] = position
        department_ids = [d.id for d in chart.departments]
        if len(set(department_ids)) != len(department_ids):
            raise DuplicateIdError("a department id is used twice")
        titles: dict[str, list[str]] = {}
        children: dict[str, list[str]] = {}
        approving: dict[str, dict[str, list[Authority]]] = {}
        for position in chart.positions:
            for title in {position.title, position.title_en}:
                titles.setdefault(title, []).append(position.id)
            if position.superior is not None:
                children.setdefault(position.superior, []).append(position.id)
            for authority in position.authorities:
                if authority.kind in APPROVING_KINDS:
                    held = approving.setdefault(authority.subject, {})
                    held.setdefault(position.id, []).append(authority)
        chains = _sound_chains(by_id)
        rights = {s: {p: tuple(a) for p, a in held.items()} for s, held in approving.items()}
        return cls(
            by_id,
            {k: tuple(v) for k, v in titles.items()},
            {k: tuple(v) for k, v in children.items()},
            chains,
            rights,
        )

    def chain(self, position_id: str) -> tuple[str, ...]:
        """The ids above ``position_id``, from its direct superior to the top.

        Raises:
            UnknownPositionError: no such position, or a superior on the way is missing.
            OrgStructureError: the reporting lines form a cycle.
        """
        found = self.chains.get(position_id)
        if found is not None:
            return found
        if position_id not in self.by_id:
            raise UnknownPositionError(f"no position {position_id!r} in the chart")
        raise _broken_line(self.by_id, position_id)


def _sound_chains(by_id: Mapping[str, Position]) -> dict[str, tuple[str, ...]]:
    """Each position's chain of command, for the positions whose lines reach a top.

    Each chain is its superior's chain with the superior in front, so a chart is indexed
    in time proportional to its positions times its depth.
    """
    chains: dict[str, tuple[str, ...]] = {}
    broken: set[str] = set()
    for start in by_id:
        path: list[str] = []  # positions whose chain is not known yet, lowest first
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current not in chains:
            position = by_id.get(current)
            if position is None or current in on_path or current in broken:
                broken.update(path)  # a missing superior or a cycle above
                break
            path.append(current)
            on_path.add(current)
            current = position.superior
        else:
            above = () if current is None else (current, *chains[current])
            for member in reversed(path):
                chains[member] = above
                above = (member, *above)
    return chains


def _broken_line(
    by_id: Mapping[str, Position], position_id: str
) -> UnknownPositionError | OrgStructureError:
    """Why the reporting lines above ``position_id`` do not reach a top."""
    seen = {position_id}
    below = position_id
    current = by_id[position_id].superior
    while current is not None:
        if current in seen:
            return OrgStructureError(
                f"the reporting lines above {position_id!r} form a cycle through {current!r}"
            )
        superior = by_id.get(current)
        if superior is None:
            return UnknownPositionError(
                f"{below!r} reports to {current!r}, which is not in the chart"
            )
        seen.add(current)
        below, current = current, superior.superior
    return OrgStructureError(f"the reporting lines above {position_id!r} are broken")


@attrs.frozen
class OrgChart:
    """A department's positions and reporting lines.

    Building a chart checks only that ids are unique (lookups need that); everything
    else a chart can get wrong (cycles, missing superiors, shares, limits ...) is
    reported by `check_org`, all at once.

    Raises:
        DuplicateIdError: two positions or two departments share an id.
    """

    name: str
    title: str
    title_en: str
    positions: tuple[Position, ...]
    departments: tuple[Department, ...] = ()
    source: str | None = None
    # Shared with the rules of this package (`approval_route`, `check_org`).
    _index: _ChartIndex = attrs.field(
        init=False,
        default=attrs.Factory(_ChartIndex.of, takes_self=True),
        repr=False,
        eq=False,
        hash=False,
    )

    # --- lookups

    def position(self, position_id: str) -> Position:
        """The position with ``position_id``.

        Raises:
            UnknownPositionError: no such position.
        """
        found = self._index.by_id.get(position_id)
        if found is None:
            raise UnknownPositionError(f"no position {position_id!r} in the {self.name} chart")
        return found

    def __contains__(self, position_id: object) -> bool:
        return position_id in self._index.by_id

    def by_title(self, title: str) -> Position:
        """The position whose seed ``title`` (or ``title_en``) is ``title``.

        Examples:
            >>> from keyaccount import reference
            >>> reference.load("sales-management").by_title("销售管理部经理").title_en
            'Sales management manager'

        Raises:
            UnknownPositionError: no position has that title.
            AmbiguousTitleError: several do; use the id.
        """
        found = self._index.by_title.get(title, ())
        if not found:
            raise UnknownPositionError(f"no position titled {title!r} in the {self.name} chart")
        if len(found) > 1:
            raise AmbiguousTitleError(
                f"{len(found)} positions are titled {title!r}: {', '.join(found)}; use an id"
            )
        return self.position(found[0])

    def resolve(self, id_or_title: str) -> Position:
        """A position by id, else by title.

        Raises:
            UnknownPositionError: neither an id nor a title in the chart.
            AmbiguousTitleError: not an id, and several positions share the title.
        """
        found = self._index.by_id.get(id_or_title)
        return self.by_title(id_or_title) if found is None else found

    def superior(self, position_id: str) -> Position | None:
        """The direct superior, or ``None`` for the top.

        Raises:
            UnknownPositionError: no such position, or its superior is not in the chart.
        """
        superior_id = self.position(position_id).superior
        return None if superior_id is None else self.position(superior_id)

    def chain_of_command(self, position_id: str) -> tuple[Position, ...]:
        """Every position above ``position_id``, from its direct superior to the top.

        Raises:
            UnknownPositionError: ``position_id`` or a superior on the way is missing.
            OrgStructureError: the reporting lines form a cycle.
        """
        return tuple(self._index.by_id[p] for p in self._index.chain(position_id))

    def subordinates(self, position_id: str, *, direct: bool = True) -> tuple[Position, ...]:
        """The positions reporting to ``position_id``: directly, or at any depth.

        Raises:
            UnknownPositionError: no such position.
        """
        self.position(position_id)
        children = self._index.children
        if direct:
            return tuple(self.position(c) for c in children.get(position_id, ()))
        out: list[Position] = []
        seen = {position_id}
        stack = list(reversed(children.get(position_id, ())))
        while stack:
            child = stack.pop()
            if child in seen:
                continue
            seen.add(child)
            out.append(self.position(child))
            stack.extend(reversed(children.get(child, ())))
        return tuple(out)

    def is_above(self, upper: str, lower: str) -> bool:
        """Whether ``upper`` is in ``lower``'s chain of command.

        Raises:
            UnknownPositionError: ``lower`` or a superior above it is missing.
            OrgStructureError: the reporting lines above ``lower`` form a cycle.
        """
        return upper in self._index.chain(lower)

    def authorities(self, position_id: str) -> tuple[Authority, ...]:
        """The rights ``position_id`` holds."""
        return self.position(position_id).authorities

    def job_description(self, position_id: str) -> JobDescription:
        """The job description text of ``position_id``."""
        return self.position(position_id).job

    def tops(self) -> tuple[Position, ...]:
        """Positions without a superior (a sound chart has exactly one)."""
        return tuple(p for p in self.positions if p.superior is None)

    def department(self, department_id: str) -> Department | None:
        """The department with that id, if the chart lists it."""
        return next((d for d in self.departments if d.id == department_id), None)

    # --- pictures

    def to_mermaid(self) -> str:
        """The chart as a Mermaid ``flowchart TD``: positions as boxes, reporting lines as arrows.

        Each box shows the seed's title and the English title; the text is
        deterministic and escaped for any title (see `keyaccount.org.diagram`).
        JupyterLab, GitHub and the documentation site draw it as a diagram.

        Examples:
            >>> from keyaccount import reference
            >>> reference.load("sales-management").to_mermaid().splitlines()[:2]
            ['flowchart TD', '    p0["营销总监<br/>Marketing director"]']
        """
        return to_mermaid(self)

    def __iter__(self) -> Iterator[Position]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)
