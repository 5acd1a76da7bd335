"""Query-string parameters declared from `queries.QueryParam`, so a route documents a parameter
the way its binder (`queries.bind_params`) reads it.

Every value reaches the binder as the text it was sent (the annotation is `str`; /openapi.json
still gives its real type, range and date format): the binder alone decides that an empty value
or `null` is "not given", that a date lies within `queries.REQUEST_DATES` and that `days` lies
within 0..`queries.MAX_DAYS`, the same on every route and on the command line.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.routing import APIRoute

from graph.errors import InvalidParameter
from queries import REQUEST_DATES, QueryParam

# queries.REQUEST_DATES as a pattern, for /openapi.json only (so a client generator and a fuzzer
# know the range; the binder checks it, and reads dd/mm/yyyy too); tests hold the two together
DATE_PATTERN = r"^(194[5-9]|19[5-9][0-9]|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"
_SCHEMA_TYPES = {"string": "string", "date": "string", "int": "integer", "float": "number",
                 "bool": "boolean"}


NOT_NULL = {"not": {"const": "null"}}
"""For /openapi.json: a required text parameter is never `null`, which the binder reads as not
given (so a fuzzer or a client generator does not send it as a value)."""


def help_text(param: QueryParam) -> str:
    text = param.help or param.name
    if param.type == "date":
        text += " From {} to {}, YYYY-MM-DD or dd/mm/yyyy.".format(*REQUEST_DATES)
    if param.default == "today":
        return text + " Default: today (the server's date)."
    if param.default == "null":
        return text + " Optional."
    return text


def annotation(param: QueryParam) -> Any:
    """The route's annotation for `param`: text (a list for `list`), described as its type."""

    def schema(field: dict[str, Any]) -> None:
        if param.type != "list":
            field["type"] = _SCHEMA_TYPES[param.type]
        if param.type == "date":
            field["format"], field["pattern"] = "date", DATE_PATTERN
        if param.required and param.type in ("string", "date"):
            field["minLength"] = 1  # empty, or `null`, is not given
            field.update(NOT_NULL)
        if param.bounds is not None:
            field["minimum"], field["maximum"] = param.bounds
        if field.get("default", 0) is None:
            del field["default"]  # left out means "not given", never a typed null
        if not param.required and param.type != "list":  # and so is an empty value, or `null`
            typed = {k: field.pop(k) for k in ("type", "format", "pattern", "minimum", "maximum")
                     if k in field}
            field["anyOf"] = [typed, {"type": "string", "enum": ["", "null"]}]

    query = Query(alias=param.name, description=help_text(param), json_schema_extra=schema)
    return Annotated[list[str] if param.type == "list" else str, query]


def default(param: QueryParam) -> Any:
    """The route's default for `param`: none when required, else its typed default (for the
    schema: the binder fills the default in itself)."""
    return inspect.Parameter.empty if param.required else param.typed_default


def signature_parameter(param: QueryParam) -> inspect.Parameter:
    """`param` as a keyword parameter of a generated route (`p_NAME`, aliased to NAME)."""
    return inspect.Parameter(f"p_{param.name}", inspect.Parameter.KEYWORD_ONLY,
                             annotation=annotation(param), default=default(param))


def _declared(route: APIRoute) -> frozenset[str]:
    """The query-string names the route and its dependencies declare (a walk over a few
    dependants; routes are not hashable, so it is not cached)."""
    names, todo = set(), [route.dependant]
    while todo:
        dependant = todo.pop()
        names.update(p.alias for p in dependant.query_params)
        todo.extend(dependant.dependencies)
    return frozenset(names)


def refuse_unknown(request: Request) -> None:
    """A dependency: a query-string parameter the route does not declare is a 422 naming it,
    as an unknown named-query parameter is (`queries.bind_params`), never silently ignored
    (`/api/risk?since=…` answered as if since were not there)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _declared(route)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise InvalidParameter(
            f"{request.url.path} has no parameter {', '.join(unknown)}.", field=unknown[0],
            hint=f"Its parameters: {', '.join(sorted(known)) or 'none'}.")


REFUSE_UNKNOWN = [Depends(refuse_unknown)]
