"""Check parsed files against their JSON Schema and phrase each error for a contributor."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factcheck.model.problems import Problems
from factcheck.model.yamlio import Document, dotted

if TYPE_CHECKING:  # jsonschema is imported only when a file is invalid (it phrases the errors)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@lru_cache(maxsize=16)
def _validator(schema_key: str, schema_json: str) -> Draft202012Validator:
    import json

    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
        """`pattern` as JSON Schema means it: Python's `$` would also accept a trailing newline."""
        if not validator.is_type(instance, "string"):
            return
        strict = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
        if not re.search(strict, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})(json.loads(schema_json))


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    """Return a cached validator for a schema."""
    import json

    return _validator(schema.get("$id", ""), json.dumps(schema, sort_keys=True))


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping of fields", "integer": "a whole number"}


_FAST: dict[int, tuple[dict[str, Any], Any]] = {}  # id(schema) -> (schema, its compiled validator)


def _fast_for(schema: dict[str, Any]) -> Any:
    """jsonschema-rs's compiled validator of a schema object (None where it is not installed).

    Compiled once per schema object: a build checks thousands of files against one schema.
    """
    known = _FAST.get(id(schema))
    if known is None or known[0] is not schema:
        try:
            import jsonschema_rs
        except ImportError:
            return None
        if len(_FAST) >= 16:  # schemas of earlier builds (a preview server rebuilds): let them go
            _FAST.clear()
        known = _FAST[id(schema)] = (schema, jsonschema_rs.Draft202012Validator(schema))
    return known[1]


def check_schema(doc: Document, schema: dict[str, Any], path: str, problems: Problems) -> bool:
    """Validate doc against schema, adding one problem per error; return True when valid.

    jsonschema-rs (compiled, about 20 times faster) answers whether a file is valid; only an
    invalid file goes through jsonschema, whose errors carry what the messages need.
    """
    fast = _fast_for(schema)
    if fast is not None and fast.is_valid(doc.data):
        return True
    ok = True
    for error in validator_for(schema).iter_errors(doc.data):
        ok = False
        _report(error, doc, path, problems)
    return ok


def _report(error: ValidationError, doc: Document, path: str, problems: Problems) -> None:
    where = tuple(error.absolute_path)
    line, column = doc.where(where)
    field = dotted(where)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    value = error.instance
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.message)
        spec = schema.get("properties", {}).get(missing, {})
        if "enum" in spec:
            hint = "; use one of: " + ", ".join(str(v) for v in spec["enum"])
        else:
            hint = f": {spec['description']}" if spec.get("description") else ""
        problems.add(path, line, column, dotted(where + (missing,)), f"required field is missing{hint}")
        return
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            kline, kcol = doc.where_key(where + (key,))
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.add(
                path, kline, kcol, dotted(where + (key,)), f"unknown field; {hint}allowed fields: {', '.join(allowed)}"
            )
        return
    if "x-message" in schema and kind in ("anyOf", "oneOf", "not"):
        problems.add(path, line, column, field, schema["x-message"])
        return
    if kind == "type":
        want = schema.get("type")
        wants = [want] if isinstance(want, str) else list(want or [])
        want_words = " or ".join(_TYPE_WORDS.get(w, w) for w in wants)
        hint = ""
        if want == "string" and isinstance(value, int):
            hint = "; put the value in quotes"
        elif want == "array" and isinstance(value, str):
            hint = f"; write it as a list, e.g. [{value}]"
        problems.add(path, line, column, field, f"expected {want_words}, got {_kind(value)}{hint}")
        return
    if kind == "enum":
        choices = ", ".join(str(v) for v in schema.get("enum", []))
        close = difflib.get_close_matches(str(value), [str(v) for v in schema.get("enum", [])], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.add(path, line, column, field, f"'{value}' is not allowed{hint}; use one of: {choices}")
        return
    if kind == "pattern":
        hint = schema.get("x-hint", f"does not match {schema.get('pattern')}")
        problems.add(path, line, column, field, f"'{_short(value)}' {hint}")
        return
    if kind == "minLength":
        problems.add(path, line, column, field, "must not be empty")
        return
    if kind == "maxLength":
        problems.add(
            path, line, column, field, f"is {len(value)} characters long; the limit is {schema.get('maxLength')}"
        )
        return
    if kind == "minItems":
        n = schema.get("minItems")
        problems.add(path, line, column, field, f"needs at least {n} item{'s' if n != 1 else ''}")
        return
    if kind == "maxItems":
        problems.add(path, line, column, field, f"has {len(value)} items; the limit is {schema.get('maxItems')}")
        return
    if kind == "uniqueItems":
        problems.add(path, line, column, field, "lists the same item twice; remove the repeat")
        return
    if kind in ("minimum", "maximum"):
        problems.add(
            path, line, column, field, f"must be between {schema.get('minimum', 1)} and {schema.get('maximum')}"
        )
        return
    problems.add(path, line, column, field, error.message)


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
