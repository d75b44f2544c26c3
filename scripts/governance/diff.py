"""Compare two specs and list every change that matters to a client, under oasdiff's rule ids.

$refs are followed on both sides, so a change inside a component schema is reported at each
place it is used, with that place's JSON pointer. Descriptions, summaries and examples are
not compared: they change no client's behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scripts.governance.rules import RULES, Level, Rule
from scripts.governance.spec import pointer, resolve

# (keyword, oasdiff's name for it, whether it is an upper bound)
REQUEST_BOUNDS = (
    ("maximum", "max", True),
    ("minimum", "min", False),
    ("maxLength", "max-length", True),
    ("minLength", "min-length", False),
    ("maxItems", "max-items", True),
    ("minItems", "min-items", False),
)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Schema = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One client-visible change: its rule, where it is (JSON pointer) and what changed."""

    rule: Rule
    pointer: str
    detail: str

    @property
    def level(self) -> Level:
        return self.rule.level


def compare(base: dict[str, Any], head: dict[str, Any]) -> list[Change]:
    """Every client-visible change from `base` to `head`, worst first."""
    comparison = _Comparison(base, head)
    comparison.run()
    unique = {(c.rule.id, c.pointer, c.detail): c for c in comparison.changes}
    return sorted(unique.values(), key=lambda c: (-c.level, c.pointer, c.rule.id))


class _Comparison:
    def __init__(self, base: dict[str, Any], head: dict[str, Any]) -> None:
        self.base = base
        self.head = head
        self.changes: list[Change] = []

    def add(self, rule_id: str, where: str, detail: str) -> None:
        self.changes.append(Change(RULES[rule_id], where, detail))

    # --- paths, operations, security -------------------------------------------------------
    def run(self) -> None:
        self.security_schemes()
        self.requirements(
            self.base.get("security", []), self.head.get("security", []), "/security", "global"
        )
        base_paths, head_paths = self.base.get("paths") or {}, self.head.get("paths") or {}
        for path, base_item in base_paths.items():
            where = pointer("paths", path)
            if path not in head_paths:
                ops = [op for method, op in _operations(base_item)]
                deprecated = bool(ops) and all(op.get("deprecated") for op in ops)
                rule = (
                    "api-path-removed-with-deprecation"
                    if deprecated
                    else ("api-path-removed-without-deprecation")
                )
                self.add(rule, where, f"path {path} removed")
                continue
            head_item = head_paths[path]
            head_ops = dict(_operations(head_item))
            for method, base_op in _operations(base_item):
                op_where = pointer("paths", path, method)
                if method not in head_ops:
                    rule = (
                        "api-removed-with-deprecation"
                        if base_op.get("deprecated")
                        else ("api-removed-without-deprecation")
                    )
                    self.add(rule, op_where, f"{method.upper()} {path} removed")
                    continue
                self.operation(path, method, base_item, base_op, head_item, head_ops[method])
            for method in head_ops.keys() - dict(_operations(base_item)).keys():
                self.add(
                    "endpoint-added",
                    pointer("paths", path, method),
                    f"{method.upper()} {path} added",
                )
        for path in head_paths.keys() - base_paths.keys():
            for method, _ in _operations(head_paths[path]):
                self.add(
                    "endpoint-added",
                    pointer("paths", path, method),
                    f"{method.upper()} {path} added",
                )

    def security_schemes(self) -> None:
        base = (self.base.get("components") or {}).get("securitySchemes") or {}
        head = (self.head.get("components") or {}).get("securitySchemes") or {}
        for name, scheme in base.items():
            where = pointer("components", "securitySchemes", name)
            if name not in head:
                self.add("api-security-component-removed", where, f"security scheme {name} removed")
                continue
            old, new = resolve(self.base, scheme), resolve(self.head, head[name])
            for key in ("type", "scheme", "in", "name", "bearerFormat", "openIdConnectUrl"):
                if old.get(key) != new.get(key):
                    detail = f"{name}.{key} changed from {old.get(key)!r} to {new.get(key)!r}"
                    self.add("api-security-component-type-changed", where, detail)
        for name in head.keys() - base.keys():
            where = pointer("components", "securitySchemes", name)
            self.add("api-security-component-added", where, f"security scheme {name} added")

    def requirements(self, base: Any, head: Any, where: str, scope: str) -> None:
        """Compare two security requirement lists (alternatives, each a set of schemes)."""
        prefix = "api-global-security" if scope == "global" else "api-security"
        old, new = _requirements(base), _requirements(head)
        for schemes in old.keys() - new.keys():
            self.add(f"{prefix}-removed", where, f"security requirement {_names(schemes)} removed")
        for schemes in new.keys() - old.keys():
            self.add(f"{prefix}-added", where, f"security requirement {_names(schemes)} added")
        for schemes in old.keys() & new.keys():
            for scheme, scopes in new[schemes].items():
                for scope_name in sorted(scopes - old[schemes][scheme]):
                    self.add(
                        f"{prefix}-scope-added", where, f"scope {scope_name} of {scheme} added"
                    )
                for scope_name in sorted(old[schemes][scheme] - scopes):
                    self.add(
                        f"{prefix}-scope-removed", where, f"scope {scope_name} of {scheme} removed"
                    )

    def operation(
        self,
        path: str,
        method: str,
        base_item: Schema,
        base_op: Schema,
        head_item: Schema,
        head_op: Schema,
    ) -> None:
        where = pointer("paths", path, method)
        if "security" in base_op or "security" in head_op:
            self.requirements(
                base_op.get("security", self.base.get("security", [])),
                head_op.get("security", self.head.get("security", [])),
                where + "/security",
                "operation",
            )
        self.parameters(
            _parameters(self.base, base_item, base_op, where),
            _parameters(self.head, head_item, head_op, where),
        )
        self.responses(where, base_op.get("responses") or {}, head_op.get("responses") or {})

    # --- request parameters ----------------------------------------------------------------
    def parameters(
        self,
        base: dict[tuple[str, str], tuple[Schema, str]],
        head: dict[tuple[str, str], tuple[Schema, str]],
    ) -> None:
        """Parameters match by (in, name); a removal points into BASE, the rest into HEAD."""
        for key, (old, old_where) in base.items():
            label = f"{key[0]} parameter {key[1]}"
            if key not in head:
                self.add("request-parameter-removed", old_where, f"{label} removed")
                continue
            new, where = head[key]
            if new.get("required") and not old.get("required"):
                self.add("request-parameter-became-required", where, f"{label} became required")
            if old.get("required") and not new.get("required"):
                self.add("request-parameter-became-optional", where, f"{label} became optional")
            self.parameter_schema(
                where + "/schema",
                label,
                resolve(self.base, old.get("schema") or {}),
                resolve(self.head, new.get("schema") or {}),
            )
        for key in head.keys() - base.keys():
            new, where = head[key]
            rule = (
                "new-required-request-parameter"
                if new.get("required")
                else ("new-optional-request-parameter")
            )
            self.add(rule, where, f"{key[0]} parameter {key[1]} added")

    def parameter_schema(self, where: str, label: str, old: Schema, new: Schema) -> None:
        prefix = "request-parameter"
        old_types, new_types = _types(old) - {"null"}, _types(new) - {"null"}
        if old_types and new_types and old_types != new_types:
            widened = old_types < new_types or (
                old_types == {"integer"} and new_types == {"number"}
            )
            rule = f"{prefix}-type-generalized" if widened else f"{prefix}-type-changed"
            self.add(rule, where, f"{label} type {_show(old_types)} -> {_show(new_types)}")
        elif old.get("format") != new.get("format") and new.get("format") is not None:
            detail = f"{label} format {old.get('format')} -> {new.get('format')}"
            self.add(f"{prefix}-type-changed", where, detail)
        if _nullable(self.head, new) and not _nullable(self.base, old):
            self.add(f"{prefix}-became-nullable", where, f"{label} accepts null")
        for keyword, name, upper in REQUEST_BOUNDS:
            self.request_bound(
                where, label, keyword, name, old.get(keyword), new.get(keyword), upper=upper
            )
        old_pattern, new_pattern = old.get("pattern"), new.get("pattern")
        if old_pattern != new_pattern:
            if old_pattern is None:
                self.add(f"{prefix}-pattern-added", where, f"{label} pattern {new_pattern!r} added")
            elif new_pattern is None:
                self.add(
                    f"{prefix}-pattern-removed", where, f"{label} pattern {old_pattern!r} removed"
                )
            else:
                detail = f"{label} pattern {old_pattern!r} -> {new_pattern!r}"
                self.add(f"{prefix}-pattern-changed", where, detail)
        for value in _enum(old) - _enum(new) if "enum" in new else set():
            self.add(f"{prefix}-enum-value-removed", where, f"{label} no longer accepts {value!r}")
        for value in _enum(new) - _enum(old) if "enum" in old else set():
            self.add(f"{prefix}-enum-value-added", where, f"{label} accepts {value!r}")
        if "default" in old and old.get("default") != new.get("default"):
            detail = f"{label} default {old.get('default')!r} -> {new.get('default')!r}"
            self.add(f"{prefix}-default-value-changed", where, detail)

    def request_bound(
        self,
        where: str,
        label: str,
        keyword: str,
        name: str,
        before: Any,
        after: Any,
        *,
        upper: bool,
    ) -> None:
        """A bound that tightens rejects requests that used to pass; one that loosens does not."""
        if before == after:
            return
        shown = f"{label} {keyword} {before} -> {after}"
        tighter, looser = ("decreased", "increased") if upper else ("increased", "decreased")
        if after is None:
            self.add(f"request-parameter-{name}-{looser}", where, shown)
        elif before is None:
            set_rule = f"request-parameter-{name}-set"
            rule = set_rule if set_rule in RULES else f"request-parameter-{name}-{tighter}"
            self.add(rule, where, shown)
        else:
            narrowed = after < before if upper else after > before
            self.add(f"request-parameter-{name}-{tighter if narrowed else looser}", where, shown)

    # --- responses -------------------------------------------------------------------------
    def responses(self, op_where: str, base: Schema, head: Schema) -> None:
        for status, raw in base.items():
            where = f"{op_where}/responses/{status}"
            success = str(status).startswith("2")
            if status not in head:
                rule = (
                    "response-success-status-removed"
                    if success
                    else "response-non-success-status-removed"
                )
                self.add(rule, where, f"status {status} removed")
                continue
            old, new = resolve(self.base, raw), resolve(self.head, head[status])
            self.headers(where, old.get("headers") or {}, new.get("headers") or {})
            old_content, new_content = old.get("content") or {}, new.get("content") or {}
            for media_type, old_media in old_content.items():
                media_where = pointer(media_type)
                if media_type not in new_content:
                    self.add(
                        "response-media-type-removed",
                        where + "/content" + media_where,
                        f"{media_type} removed",
                    )
                    continue
                schema_where = f"{where}/content{media_where}/schema"
                self.schema(
                    (old_media or {}).get("schema") or {},
                    (new_content[media_type] or {}).get("schema") or {},
                    schema_where,
                    schema_where,
                    is_body=True,
                    visiting=frozenset(),
                )
        for status in head.keys() - base.keys():
            success = str(status).startswith("2")
            rule = (
                "response-success-status-added" if success else "response-non-success-status-added"
            )
            self.add(rule, f"{op_where}/responses/{status}", f"status {status} added")

    def headers(self, where: str, base: Schema, head: Schema) -> None:
        for name, raw in base.items():
            header_where = f"{where}/headers{pointer(name)}"
            old = resolve(self.base, raw)
            if name not in head:
                rule = (
                    "required-response-header-removed"
                    if old.get("required")
                    else "optional-response-header-removed"
                )
                self.add(rule, header_where, f"header {name} removed")
            elif old.get("required") and not resolve(self.head, head[name]).get("required"):
                self.add(
                    "response-header-became-optional",
                    header_where,
                    f"header {name} became optional",
                )

    def schema(
        self,
        old_raw: Any,
        new_raw: Any,
        old_where: str,
        new_where: str,
        *,
        is_body: bool,
        visiting: frozenset[tuple[int, int]],
    ) -> None:
        """Compare a response schema, following $refs; a new cycle through a pair stops here."""
        old_node, new_node = resolve(self.base, old_raw), resolve(self.head, new_raw)
        if (id(old_node), id(new_node)) in visiting:
            return
        visiting = visiting | {(id(old_node), id(new_node))}
        kind = "body" if is_body else "property"
        label = "the body" if is_body else f"property {old_where.rsplit('/', 1)[-1]}"
        if _nullable(self.head, new_node) and not _nullable(self.base, old_node):
            self.add(_response_rule(kind, "became-nullable"), new_where, f"{label} may now be null")
        elif _nullable(self.base, old_node) and not _nullable(self.head, new_node):
            self.add(
                "response-property-became-not-nullable", new_where, f"{label} is no longer null"
            )
        old, old_where = _unwrap(self.base, old_node, old_where)
        new, new_where = _unwrap(self.head, new_node, new_where)
        self.schema_type(old, new, new_where, kind, label)
        for value in sorted(map(repr, _enum(new) - _enum(old))) if "enum" in old else []:
            self.add("response-property-enum-value-added", new_where, f"{label} may be {value}")
        for value in sorted(map(repr, _enum(old) - _enum(new))) if "enum" in new else []:
            self.add(
                "response-property-enum-value-removed", new_where, f"{label} is no longer {value}"
            )
        self.widening(old, new, new_where, label)
        self.properties(old, new, old_where, new_where, visiting)
        if "items" in old and "items" in new:
            self.schema(
                old["items"],
                new["items"],
                old_where + "/items",
                new_where + "/items",
                is_body=False,
                visiting=visiting,
            )
        for keyword in ("oneOf", "anyOf", "allOf"):
            self.branches(old, new, old_where, new_where, keyword, label, visiting)

    def schema_type(self, old: Schema, new: Schema, where: str, kind: str, label: str) -> None:
        old_types, new_types = _types(old) - {"null"}, _types(new) - {"null"}
        if old_types and new_types and old_types != new_types:
            shown = f"{label} type {_show(old_types)} -> {_show(new_types)}"
            if old_types == {"integer"} and new_types == {"number"}:
                self.add(_response_rule(kind, "type-generalized"), where, shown)
            elif old_types < new_types:
                self.add("response-property-list-of-types-widened", where, shown)
            elif new_types < old_types:
                self.add("response-property-type-specialized", where, shown)
            else:
                self.add(_response_rule(kind, "type-changed"), where, shown)
        elif old.get("format") != new.get("format") and old.get("format") is not None:
            rule = "type-generalized" if new.get("format") is None else "type-changed"
            shown = f"{label} format {old.get('format')} -> {new.get('format')}"
            self.add(_response_rule(kind, rule), where, shown)

    def widening(self, old: Schema, new: Schema, where: str, label: str) -> None:
        """A response bound that loosens sends values clients were told would not come."""
        upper = (("maxLength", "max-length-increased"), ("maximum", "max-increased"))
        lower = (
            ("minimum", "min-decreased"),
            ("minLength", "min-length-decreased"),
            ("minItems", "min-items-decreased"),
        )
        for keyword, suffix in upper:
            before, after = old.get(keyword), new.get(keyword)
            if before is None or before == after:
                continue
            if after is None:
                rule = (
                    "response-property-max-length-unset"
                    if keyword == "maxLength"
                    else f"response-property-{suffix}"
                )
                self.add(rule, where, f"{label} {keyword} {before} removed")
            elif after > before:
                self.add(
                    f"response-property-{suffix}", where, f"{label} {keyword} {before} -> {after}"
                )
        for keyword, suffix in lower:
            before, after = old.get(keyword), new.get(keyword)
            if before is None or before == after:
                continue
            if after is None or after < before:
                shown = "removed" if after is None else f"-> {after}"
                self.add(
                    f"response-property-{suffix}", where, f"{label} {keyword} {before} {shown}"
                )
        old_pattern, new_pattern = old.get("pattern"), new.get("pattern")
        if old_pattern != new_pattern:
            suffix = (
                "added" if old_pattern is None else "removed" if new_pattern is None else "changed"
            )
            self.add(
                f"response-property-pattern-{suffix}",
                where,
                f"{label} pattern {old_pattern!r} -> {new_pattern!r}",
            )

    def properties(
        self,
        old: Schema,
        new: Schema,
        old_where: str,
        new_where: str,
        visiting: frozenset[tuple[int, int]],
    ) -> None:
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
        for name, old_prop in old_props.items():
            old_prop_where = f"{old_where}/properties{pointer(name)}"
            new_prop_where = f"{new_where}/properties{pointer(name)}"
            if name not in new_props:
                rule = (
                    "response-required-property-removed"
                    if name in old_required
                    else ("response-optional-property-removed")
                )
                self.add(rule, old_prop_where, f"property {name} removed")
                continue
            if name in old_required and name not in new_required:
                self.add(
                    "response-property-became-optional",
                    new_prop_where,
                    f"property {name} may be absent",
                )
            if name in new_required and name not in old_required:
                self.add(
                    "response-property-became-required",
                    new_prop_where,
                    f"property {name} always sent",
                )
            self.schema(
                old_prop,
                new_props[name],
                old_prop_where,
                new_prop_where,
                is_body=False,
                visiting=visiting,
            )
        for name in sorted(new_props.keys() - old_props.keys()):
            rule = (
                "response-required-property-added"
                if name in new_required
                else "response-optional-property-added"
            )
            self.add(rule, f"{new_where}/properties{pointer(name)}", f"property {name} added")

    def branches(
        self,
        old: Schema,
        new: Schema,
        old_where: str,
        new_where: str,
        keyword: str,
        label: str,
        visiting: frozenset[tuple[int, int]],
    ) -> None:
        old_branches = _non_null_branches(self.base, old.get(keyword) or [])
        new_branches = _non_null_branches(self.head, new.get(keyword) or [])
        if len(new_branches) > len(old_branches) and keyword != "allOf":
            self.add(
                "response-property-one-of-added", new_where, f"{label} {keyword} gained a branch"
            )
        elif len(new_branches) < len(old_branches) and keyword != "allOf":
            self.add(
                "response-property-one-of-removed", new_where, f"{label} {keyword} lost a branch"
            )
        elif keyword == "allOf" or len(old_branches) > 1:
            for (old_index, old_branch), (new_index, new_branch) in zip(
                old_branches, new_branches, strict=False
            ):
                self.schema(
                    old_branch,
                    new_branch,
                    f"{old_where}/{keyword}/{old_index}",
                    f"{new_where}/{keyword}/{new_index}",
                    is_body=False,
                    visiting=visiting,
                )


# --- helpers over plain schema dicts ------------------------------------------------------
def _operations(item: Schema) -> Iterator[tuple[str, Schema]]:
    for method in METHODS:
        if isinstance(item.get(method), dict):
            yield method, item[method]


def _parameters(
    document: dict[str, Any], item: Schema, op: Schema, where: str
) -> dict[tuple[str, str], tuple[Schema, str]]:
    """Parameters keyed by (in, name), operation-level over path-level, with their pointers."""
    found: dict[tuple[str, str], tuple[Schema, str]] = {}
    path_where = where.rsplit("/", 1)[0]
    for owner, owner_where in ((item, path_where), (op, where)):
        for index, raw in enumerate(owner.get("parameters") or []):
            parameter = resolve(document, raw)
            key = (str(parameter.get("in")), str(parameter.get("name")))
            found[key] = (parameter, f"{owner_where}/parameters/{index}")
    return found


def _requirements(requirements: Any) -> dict[frozenset[str], dict[str, set[str]]]:
    """Security alternatives keyed by their set of scheme names, with each scheme's scopes."""
    found: dict[frozenset[str], dict[str, set[str]]] = {}
    for requirement in requirements or []:
        schemes = {name: set(scopes or []) for name, scopes in (requirement or {}).items()}
        found[frozenset(schemes)] = schemes
    return found


def _names(schemes: frozenset[str]) -> str:
    return " + ".join(sorted(schemes)) or "{} (anonymous)"


def _types(schema: Schema) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    if "properties" in schema:
        return {"object"}
    return set()


def _is_null_schema(document: dict[str, Any], schema: Any) -> bool:
    resolved = resolve(document, schema)
    return isinstance(resolved, dict) and _types(resolved) == {"null"}


def _nullable(document: dict[str, Any], schema: Schema) -> bool:
    if (
        "null" in _types(schema)
        or schema.get("nullable") is True
        or None in (schema.get("enum") or [])
    ):
        return True
    alternatives = [*(schema.get("oneOf") or []), *(schema.get("anyOf") or [])]
    return any(_is_null_schema(document, branch) for branch in alternatives)


def _non_null_branches(document: dict[str, Any], branches: list[Any]) -> list[tuple[int, Any]]:
    return [
        (index, branch)
        for index, branch in enumerate(branches)
        if not _is_null_schema(document, branch)
    ]


def _unwrap(document: dict[str, Any], schema: Schema, where: str) -> tuple[Schema, str]:
    """`oneOf: [X, {type: null}]` is X that may be null: compare X itself, at its pointer."""
    for keyword in ("oneOf", "anyOf"):
        branches = _non_null_branches(document, schema.get(keyword) or [])
        if len(branches) == 1 and not _types(schema) - {"null"}:
            index, branch = branches[0]
            resolved = resolve(document, branch)
            if isinstance(resolved, dict):
                return resolved, f"{where}/{keyword}/{index}"
    return schema, where


def _enum(schema: Schema) -> set[Any]:
    return {value for value in schema.get("enum") or [] if value is not None}


def _show(types: set[str]) -> str:
    return "|".join(sorted(types))


def _response_rule(kind: str, suffix: str) -> str:
    """The body-level rule id when oasdiff has one, else the property-level id."""
    body = f"response-{kind}-{suffix}"
    return body if body in RULES else f"response-property-{suffix}"
