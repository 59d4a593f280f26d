"""A Griffe extension that gives attrs classes the ``__init__`` attrs writes for them.

Griffe reads the source statically and knows dataclasses, but not attrs: an
``@attrs.frozen`` class has no ``__init__`` in its source, so the API pages showed its
documented arguments with no types, every one of them "required", and warned that they
"do not appear in the function signature". This extension asks attrs itself
(``attrs.fields`` of the imported class: order, aliases, ``init=False``, ``kw_only``,
defaults and factories, inherited fields) and builds that ``__init__`` for Griffe, with
the annotations and default expressions as written in the source.

Used by ``mkdocs.yml`` (``extensions: [tools/griffe_attrs.py:AttrsInitExtension]``).
"""

from __future__ import annotations

import enum
import importlib
from typing import Any

import attrs
import griffe

_FIELD_CALLS = ("attrs.field", "attr.ib", "attr.attrib", "attr.field", "field", "ib", "attrib")


def _runtime_class(cls: griffe.Class) -> type | None:
    """The imported class ``cls`` describes, or ``None`` (a nested or dynamic one)."""
    try:
        module = importlib.import_module(cls.module.path)
    except ImportError:
        return None
    obj: Any = module
    for part in cls.path[len(cls.module.path) + 1 :].split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if isinstance(obj, type) else None


def _source_attribute(cls: griffe.Class, name: str) -> griffe.Attribute | None:
    """The attribute ``name`` as written in ``cls`` or the nearest base that has it."""
    for owner in (cls, *cls.mro()):
        member = owner.members.get(name)
        if member is not None and not member.is_alias and isinstance(member, griffe.Attribute):
            return member
    return None


def _keywords(value: griffe.Expr | str | None) -> dict[str, str | griffe.Expr] | None:
    """The keyword arguments of an ``attrs.field(...)`` call, or ``None`` if it is not one."""
    if not isinstance(value, griffe.ExprCall):
        return None
    function = str(value.function)
    if function not in _FIELD_CALLS and not function.endswith((".field", ".ib", ".attrib")):
        return None
    return {
        argument.name: argument.value
        for argument in value.arguments
        if isinstance(argument, griffe.ExprKeyword)
    }


Default = str | griffe.Expr | None


def _default(field: attrs.Attribute[Any], source: griffe.Attribute | None) -> Default:
    """The default as the source writes it (``frozenset()``), ``None`` when required."""
    if field.default is attrs.NOTHING:
        return None
    written = source.value if source is not None else None
    keywords = _keywords(written)
    if keywords is None:  # ``x: int = 3``, or a field Griffe could not read
        return written if written is not None else _runtime_default(field.default)
    if "factory" in keywords:
        factory = str(keywords["factory"])
        if factory.rsplit(".", 1)[-1].startswith("_"):  # a private helper: show its value
            return _runtime_default(field.default, call=True)
        return f"{factory}()"
    return keywords.get("default") or _runtime_default(field.default)


def _runtime_default(default: object, *, call: bool = False) -> str:
    """``tuple()`` for ``attrs.Factory(tuple)`` (its value when ``call``), else the repr."""
    function = getattr(default, "factory", None)
    if isinstance(default, attrs.Factory) and function is not None:  # type: ignore[arg-type]
        if call and not getattr(default, "takes_self", False):
            return repr(function())
        return f"{getattr(function, '__qualname__', repr(function))}()"
    return repr(default)


def _init_for(cls: griffe.Class, runtime: type) -> griffe.Function:
    positional: list[griffe.Parameter] = []
    keyword_only: list[griffe.Parameter] = []
    for field in attrs.fields(runtime):
        if not field.init:
            continue
        source = _source_attribute(cls, field.name)
        annotation: str | griffe.Expr | None = source.annotation if source is not None else None
        if annotation is None and field.type is not None:
            annotation = field.type if isinstance(field.type, str) else repr(field.type)
        kind = (
            griffe.ParameterKind.keyword_only
            if field.kw_only
            else griffe.ParameterKind.positional_or_keyword
        )
        parameter = griffe.Parameter(
            field.alias or field.name,
            annotation=annotation,
            kind=kind,
            default=_default(field, source),
        )
        (keyword_only if field.kw_only else positional).append(parameter)
    return griffe.Function(
        "__init__",
        lineno=cls.lineno,
        endlineno=cls.lineno,
        parent=cls,
        parameters=griffe.Parameters(
            griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword),
            *positional,
            *keyword_only,
        ),
        returns="None",
    )


def _classes(obj: griffe.Module | griffe.Class, seen: set[str]) -> Any:
    if obj.path in seen:
        return
    seen.add(obj.path)
    for member in list(obj.members.values()):
        if member.is_alias:
            continue
        if isinstance(member, griffe.Class):
            yield member
            yield from _classes(member, seen)
        elif isinstance(member, griffe.Module):
            yield from _classes(member, seen)


def _members_table(runtime: type[enum.Enum]) -> str:
    """A Markdown table of an enum's members: name, wire value and Chinese label."""
    rows = ["| member | in files and JSON | label |", "|---|---|---|"]
    for member in runtime:
        label = getattr(member, "label", "")
        rows.append(f"| `{member.name}` | `{member.value}` | {label} |")
    return "\n".join(rows)


class AttrsInitExtension(griffe.Extension):
    """Give every attrs class without a written ``__init__`` the one attrs generates.

    It also lists each enum's members with their wire values: the members carry no
    docstring of their own, so the API pages would otherwise not show them at all.
    """

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:  # noqa: ARG002
        """Add the ``__init__`` methods once the whole package is loaded."""
        for cls in _classes(pkg, set()):
            runtime = _runtime_class(cls)
            if runtime is None:
                continue
            if issubclass(runtime, enum.Enum) and cls.docstring is not None and len(runtime):
                table = _members_table(runtime)
                cls.docstring.value = f"{cls.docstring.value}\n\n**Members**\n\n{table}"
            if "__init__" not in cls.members and attrs.has(runtime):
                cls.set_member("__init__", _init_for(cls, runtime))
                cls.labels.add("attrs")
