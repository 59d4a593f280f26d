"""keyaccount over HTTP: deadlines, approval routes, due visits and SLA status as a service.

A small FastAPI app for systems not written in Python. Request bodies are JSON in the
library's file formats (a customer is what a customers file holds, a complaint what a
complaints file holds); responses are `keyaccount.io.to_jsonable` results. The OpenAPI
document (`/openapi.json`) carries the library's own JSON Schemas: `json_schema` for the
requests, `result_schema` for the responses.

Bad input never answers 500: a body that is not JSON answers 400, a body the library
refuses answers 422 with the library's located problems
(`{"error": ..., "problems": [{"path": "$.visits[1].outcome", "message": ...}]}`), and
so does a date too near year 1 or 9999 to compute with.

Run it with ``uvicorn app:app`` from this folder (``pip install keyaccount fastapi
uvicorn``), or see README.md.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pendulum
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from keyaccount import (
    ApprovalRoute,
    Complaint,
    ComplaintPolicy,
    Customer,
    Deadline,
    DueVisit,
    Money,
    Period,
    SlaStatus,
    VisitPolicy,
    VisitRecord,
    WorkCalendar,
    approval_route,
    deadline,
    due_visits,
    parse_as_of,
    reference,
    sla_status,
)
from keyaccount.errors import DataFileError, DataProblem, KeyAccountError
from keyaccount.io import (
    complaints_from_data,
    json_schema,
    loads,
    result_schema,
    structure,
    to_jsonable,
)

__all__ = ["app", "create_app"]

#: An instant or a date, read by `parse_as_of` (a date is the start of that day in the
#: calendar's time zone).
AS_OF_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "an RFC 3339 instant with its offset, or a date YYYY-MM-DD (the start "
    "of that day in the calendar's time zone)",
    "examples": ["2026-03-02", "2026-03-02T10:00:00+08:00"],
}


# --------------------------------------------------------------------------- requests


@attrs.frozen
class DeadlineRequest:
    """By when is something due: a start instant and a period such as "3 workdays"."""

    start: pendulum.DateTime
    period: Period


@attrs.frozen
class ApprovalRouteRequest:
    """Who must approve an amount: a seed department's chart, the requester, the subject."""

    chart: str
    requester: str
    subject: str
    amount: Money
    within_budget: bool = True


@attrs.frozen
class DueVisitsRequest:
    """Which visits are due: the customers, their visit records and the company's rules."""

    customers: tuple[Customer, ...]
    visits: tuple[VisitRecord, ...]
    as_of: str
    policy: VisitPolicy = attrs.field(factory=VisitPolicy)


@attrs.frozen
class _PolicyPart:
    """The policy of an SLA request, read alone so that its problems say `$.policy...`."""

    policy: ComplaintPolicy


# --------------------------------------------------------------------------- errors


class BadRequestError(KeyAccountError, ValueError):
    """The request body is not what the endpoint reads (answered with 400)."""


def _problem_body(error: KeyAccountError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": str(error)}
    if isinstance(error, DataFileError):
        body["problems"] = [to_jsonable(p) for p in error.problems]
    return body


def _refused(source: str, path: str, message: str) -> DataFileError:
    return DataFileError(source, [DataProblem(path, message)])


async def _body(request: Request) -> Any:
    """The request's JSON, parsed strictly (duplicate keys, depth) by the library."""
    raw = await request.body()
    try:
        return loads(raw, "json", source="request body")
    except DataFileError as error:
        raise BadRequestError(str(error)) from None


def _mapping(data: Any, source: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _refused(source, "$", f"expected a JSON object, got {type(data).__name__}")
    return data


def _as_of(data: dict[str, Any], calendar: WorkCalendar, source: str) -> pendulum.DateTime:
    value = data.get("as_of")
    if not isinstance(value, str):
        raise _refused(source, "$.as_of", "expected an instant or a date as text")
    try:
        return parse_as_of(value, calendar)
    except KeyAccountError as error:
        raise _refused(source, "$.as_of", str(error)) from None


# --------------------------------------------------------------------------- OpenAPI


def _moved(node: Any, suffix: str) -> Any:
    """``node`` with each `#/$defs/X` reference pointing at `#/components/schemas/X{suffix}`."""
    if isinstance(node, dict):
        return {
            key: (
                f"#/components/schemas/{value.removeprefix('#/$defs/')}{suffix}"
                if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/")
                else _moved(value, suffix)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_moved(item, suffix) for item in node]
    return node


def _component(schema: dict[str, Any], suffix: str, components: dict[str, Any]) -> Any:
    """The root of a library schema, its definitions moved into ``components``."""
    for name, definition in schema.get("$defs", {}).items():
        components[f"{name}{suffix}"] = _moved(definition, suffix)
    root = {k: v for k, v in schema.items() if k not in ("$defs", "$schema", "$id", "title")}
    return _moved(root, suffix)


def _request_schema(cls: type, components: dict[str, Any]) -> Any:
    return _component(json_schema(cls), "", components)


def _complaints_request_schema(components: dict[str, Any]) -> Any:
    return {
        "type": "object",
        "properties": {
            "complaints": {"type": "array", "items": _request_schema(Complaint, components)},
            "as_of": AS_OF_SCHEMA,
            "policy": _request_schema(ComplaintPolicy, components),
        },
        "required": ["complaints", "as_of"],
        "additionalProperties": False,
    }


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The app's OpenAPI document, its bodies described by the library's JSON Schemas."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components: dict[str, Any] = {}
        due_request = _request_schema(DueVisitsRequest, components)
        components["DueVisitsRequest"]["properties"]["as_of"] = AS_OF_SCHEMA
        bodies = {
            "/deadline": (_request_schema(DeadlineRequest, components), Deadline),
            "/approval-route": (_request_schema(ApprovalRouteRequest, components), ApprovalRoute),
            "/visits/due": (due_request, tuple[DueVisit, ...]),
            "/complaints/sla": (_complaints_request_schema(components), tuple[SlaStatus, ...]),
        }
        problem = {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "problems": {"type": "array", "items": result_schema(DataProblem)},
            },
            "required": ["error"],
        }
        for path, (request, result) in bodies.items():
            operation = document["paths"][path]["post"]
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": request}},
            }
            answer = {
                "application/json": {
                    "schema": _component(result_schema(result), "Result", components)
                }
            }
            operation["responses"] = {
                "200": {
                    "description": "the library's answer, as to_jsonable writes it",
                    "content": answer,
                },
                "400": {
                    "description": "the body is not JSON",
                    "content": {"application/json": {"schema": problem}},
                },
                "422": {
                    "description": "the library refused the body; every problem with its path",
                    "content": {"application/json": {"schema": problem}},
                },
            }
        document.setdefault("components", {}).setdefault("schemas", {}).update(components)
        app.openapi_schema = document
        return document

    return build


# --------------------------------------------------------------------------- the app


def create_app(calendar: WorkCalendar | None = None) -> FastAPI:
    """The service, answering on ``calendar`` (default: the Chinese statutory calendar).

    Args:
        calendar: the working calendar deadlines and local days are computed on.

    Returns:
        The FastAPI application.
    """
    cal = calendar or WorkCalendar.china()
    app = FastAPI(
        title="keyaccount service",
        version="1",
        description="Deadlines, approval routes, due visits and SLA status over HTTP.",
    )

    @app.exception_handler(BadRequestError)
    async def bad_request(_request: Request, error: BadRequestError) -> JSONResponse:
        return JSONResponse(_problem_body(error), status_code=400)

    @app.exception_handler(KeyAccountError)
    async def refused(_request: Request, error: KeyAccountError) -> JSONResponse:
        return JSONResponse(_problem_body(error), status_code=422)

    @app.exception_handler(OverflowError)
    async def out_of_range(_request: Request, error: OverflowError) -> JSONResponse:
        # an instant near year 1 or 9999 that cannot be shown in the calendar's zone
        body = {"error": f"request body: a date outside the range that can be computed ({error})"}
        return JSONResponse(body, status_code=422)

    def endpoint(
        path: str,
    ) -> Callable[[Callable[[Any], Any]], Callable[[Request], Awaitable[JSONResponse]]]:
        """Register a POST handler of the parsed body; its answer goes through to_jsonable."""

        def register(answer: Callable[[Any], Any]) -> Callable[[Request], Awaitable[JSONResponse]]:
            async def handle(request: Request) -> JSONResponse:
                return JSONResponse(to_jsonable(answer(await _body(request))))

            handle.__name__ = answer.__name__
            handle.__doc__ = answer.__doc__
            app.post(path, name=answer.__name__)(handle)
            return handle

        return register

    @endpoint("/deadline")
    def deadline_of(data: Any) -> Deadline:
        """By when is something due: `deadline(start, period, calendar)`."""
        asked = structure(data, DeadlineRequest, source="request body")
        return deadline(asked.start, asked.period, cal)

    @endpoint("/approval-route")
    def route_of(data: Any) -> ApprovalRoute:
        """Who must approve this amount: `approval_route` in a seed department's chart."""
        asked = structure(data, ApprovalRouteRequest, source="request body")
        if asked.chart not in reference.names():
            known = ", ".join(reference.names())
            raise _refused("request body", "$.chart", f"no chart {asked.chart!r}; known: {known}")
        chart = reference.load(asked.chart)
        return approval_route(
            chart, asked.requester, asked.subject, asked.amount, within_budget=asked.within_budget
        )

    @endpoint("/visits/due")
    def visits_due(data: Any) -> tuple[DueVisit, ...]:
        """Which visits are due and overdue: `due_visits` at `as_of`."""
        asked = structure(data, DueVisitsRequest, source="request body")
        as_of = _as_of({"as_of": asked.as_of}, cal, "request body")
        return due_visits(asked.customers, asked.visits, asked.policy, cal, as_of)

    @endpoint("/complaints/sla")
    def complaints_sla(data: Any) -> tuple[SlaStatus, ...]:
        """Is each complaint handled in time: `sla_status` of each at `as_of`."""
        body = _mapping(data, "request body")
        unknown = sorted(set(body) - {"complaints", "as_of", "policy"})
        if unknown:
            raise _refused("request body", "$", f"extra fields found ({', '.join(unknown)})")
        as_of = _as_of(body, cal, "request body")
        policy = (
            structure({"policy": body["policy"]}, _PolicyPart, source="request body").policy
            if "policy" in body
            else ComplaintPolicy.default()
        )
        complaints = complaints_from_data(
            body.get("complaints"), root="$.complaints", source="request body"
        ).strict()
        return tuple(sla_status(c, policy, cal, as_of) for c in complaints)

    app.openapi = _openapi(app)  # type: ignore[method-assign]  # FastAPI's documented way
    return app


app = create_app()
