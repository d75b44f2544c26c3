"""Compare two specs and list every change that matters to a client, under oasdiff's rule ids.

$refs are followed on both sides, so a change inside a component schema is reported at each
operation that uses it, with that place's JSON pointer. Descriptions, summaries and examples
are not compared: they change no client's behaviour. Operation-level security is compared as
written (an operation that starts to repeat the global requirement adds one), as oasdiff does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

from contract_tests.spec import decode_pointer
from scripts.governance.branches import pair_branches
from scripts.governance.location import METHODS, describe
from scripts.governance.rules import RULES, Level, Rule
from scripts.governance.spec import pointer, resolve
from scripts.governance.types import (
    list_of_types,
    request_verdict,
    response_verdict,
    strongly_typed,
    types_of,
)

# (keyword, oasdiff's name for it, whether it is an upper bound)
REQUEST_BOUNDS = (
    ("maximum", "max", True),
    ("minimum", "min", False),
    ("maxLength", "max-length", True),
    ("minLength", "min-length", False),
    ("maxItems", "max-items", True),
    ("minItems", "min-items", False),
)
# What decides how a client sends its credentials, within one security scheme type.
SCHEME_FIELDS = ("scheme", "in", "name", "openIdConnectUrl")
Schema = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One client-visible change: its rule, where it is and what changed.

    `pointer` is the exact place (a JSON pointer into the head spec, or into the base one for
    what was removed); `location` says it in words; `operation` is "GET /path" or "".
    """

    rule: Rule
    pointer: str
    detail: str
    operation: str = ""
    location: str = ""

    @property
    def level(self) -> Level:
        return self.rule.level


def compare(base: dict[str, Any], head: dict[str, Any]) -> list[Change]:
    """Every client-visible change from `base` to `head`, worst first."""
    comparison = _Comparison(base, head)
    comparison.run()
    unique = {(c.rule.id, c.operation, c.pointer, c.detail): c for c in comparison.changes}
    return sorted(unique.values(), key=lambda c: (-c.level, c.operation, c.pointer, c.rule.id))


class _Comparison:
    def __init__(self, base: dict[str, Any], head: dict[str, Any]) -> None:
        self.base = base
        self.head = head
        self.changes: list[Change] = []
        self.operation = ""  # "GET /path" while one operation is compared

    def add(self, rule_id: str, where: str, detail: str) -> None:
        location = describe(where, self.operation, self.head, self.base)
        self.changes.append(Change(RULES[rule_id], where, detail, self.operation, location))

    # --- paths, operations, components -----------------------------------------------------
    def run(self) -> None:
        self.security_schemes()
        self.component_schemas()
        self.requirements(
            self.base.get("security", []), self.head.get("security", []), "/security", "global"
        )
        base_paths, head_paths = self.base.get("paths") or {}, self.head.get("paths") or {}
        for path, base_item in base_paths.items():
            head_item = head_paths.get(path)
            head_ops = dict(_operations(head_item)) if isinstance(head_item, dict) else {}
            for method, base_op in _operations(base_item):
                self.operation = f"{method.upper()} {path}"
                if head_item is None or method not in head_ops:
                    self.removed_operation(path, method, base_op, whole_path=head_item is None)
                else:
                    self.compare_operation(path, method, base_item, base_op, head_item)
        for path, head_item in head_paths.items():
            base_ops = dict(_operations(base_paths.get(path) or {}))
            for method, _ in _operations(head_item):
                if method not in base_ops:
                    self.operation = f"{method.upper()} {path}"
                    self.add("endpoint-added", pointer("paths", path, method), "operation added")
        self.operation = ""

    def removed_operation(self, path: str, method: str, op: Schema, *, whole_path: bool) -> None:
        """oasdiff reports a removed path once per operation it had."""
        prefix = "api-path" if whole_path else "api"
        where = pointer("paths", path, method)
        what = f"{method.upper()} {path} removed" + (" with its path" if whole_path else "")
        if not op.get("deprecated"):
            self.add(f"{prefix}-removed-without-deprecation", where, what)
            return
        if "x-sunset" not in op:
            self.add(f"{prefix}-removed-with-deprecation", where, what)
            return
        sunset = _date(op["x-sunset"])
        if sunset is None:
            self.add("api-path-sunset-parse", where, f"x-sunset {op['x-sunset']!r} is no date")
        elif datetime.date.today() < sunset:
            self.add(f"{prefix}-removed-before-sunset", where, f"{what} before {sunset}")
        # Removed after its sunset date: the lifecycle was followed; oasdiff reports nothing.

    def component_schemas(self) -> None:
        base = (self.base.get("components") or {}).get("schemas") or {}
        head = (self.head.get("components") or {}).get("schemas") or {}
        for name in base.keys() - head.keys():
            where = pointer("components", "schemas", name)
            self.add("api-schema-removed", where, f"schema {name} removed from components")

    def security_schemes(self) -> None:
        base = (self.base.get("components") or {}).get("securitySchemes") or {}
        head = (self.head.get("components") or {}).get("securitySchemes") or {}
        for name, scheme in base.items():
            where = pointer("components", "securitySchemes", name)
            if name not in head:
                self.add("api-security-component-removed", where, f"security scheme {name} removed")
                continue
            old, new = resolve(self.base, scheme), resolve(self.head, head[name])
            # A new type explains its other fields; within one type, each field matters.
            keys = ("type",) if old.get("type") != new.get("type") else SCHEME_FIELDS
            for key in (key for key in keys if old.get(key) != new.get(key)):
                detail = f"{name}.{key} changed from {old.get(key)!r} to {new.get(key)!r}"
                rule = "type" if key == "type" else "scheme"
                self.add(f"api-security-component-{rule}-changed", where, detail)
        for name in head.keys() - base.keys():
            where = pointer("components", "securitySchemes", name)
            self.add("api-security-component-added", where, f"security scheme {name} added")

    def requirements(self, base: Any, head: Any, where: str, scope: str) -> None:
        """Compare two security requirement lists (alternatives, each a set of schemes).

        At operation level oasdiff leaves out the anonymous alternative `{}` added or removed.
        """
        prefix = "api-global-security" if scope == "global" else "api-security"
        old, new = _requirements(base), _requirements(head)
        countable = (lambda s: True) if scope == "global" else (lambda s: bool(s))
        for schemes in filter(countable, old.keys() - new.keys()):
            self.add(f"{prefix}-removed", where, f"security requirement {_names(schemes)} removed")
        for schemes in filter(countable, new.keys() - old.keys()):
            self.add(f"{prefix}-added", where, f"security requirement {_names(schemes)} added")
        for schemes in old.keys() & new.keys():
            for scheme, scopes in new[schemes].items():
                for name in sorted(scopes - old[schemes][scheme]):
                    self.add(f"{prefix}-scope-added", where, f"scope {name} of {scheme} added")
                for name in sorted(old[schemes][scheme] - scopes):
                    self.add(f"{prefix}-scope-removed", where, f"scope {name} of {scheme} removed")

    def compare_operation(
        self, path: str, method: str, base_item: Schema, base_op: Schema, head_item: Schema
    ) -> None:
        head_op = head_item[method]
        where = pointer("paths", path, method)
        self.lifecycle(where, base_op, head_op)
        old_id, new_id = base_op.get("operationId"), head_op.get("operationId")
        if old_id and old_id != new_id:
            detail = f"operationId {old_id} removed" + (f", now {new_id}" if new_id else "")
            self.add("api-operation-id-removed", where, detail)
        elif new_id and not old_id:
            self.add("api-operation-id-added", where, f"operationId {new_id} added")
        if "security" in base_op or "security" in head_op:
            self.requirements(
                base_op.get("security"), head_op.get("security"), where + "/security", "operation"
            )
        self.parameters(
            _parameters(self.base, base_item, base_op, where),
            _parameters(self.head, head_item, head_op, where),
        )
        self.responses(where, base_op.get("responses") or {}, head_op.get("responses") or {})

    def lifecycle(self, where: str, base_op: Schema, head_op: Schema) -> None:
        if head_op.get("deprecated") and not base_op.get("deprecated"):
            if "x-sunset" in head_op:
                detail = f"operation deprecated, sunset {head_op['x-sunset']}"
                self.add("endpoint-deprecated-with-sunset", where, detail)
            else:
                self.add("endpoint-deprecated", where, "operation deprecated")
        elif base_op.get("deprecated") and not head_op.get("deprecated"):
            self.add("endpoint-reactivated", where, "operation no longer deprecated")

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
                deprecated = "-with-deprecation" if old.get("deprecated") else ""
                self.add(f"request-parameter-removed{deprecated}", old_where, f"{label} removed")
                continue
            new, where = head[key]
            if new.get("required") and not old.get("required"):
                self.add("request-parameter-became-required", where, f"{label} became required")
            if old.get("required") and not new.get("required"):
                self.add("request-parameter-became-optional", where, f"{label} became optional")
            if new.get("deprecated") and not old.get("deprecated"):
                self.add("request-parameter-deprecated", where, f"{label} deprecated")
            if old.get("deprecated") and not new.get("deprecated"):
                self.add("request-parameter-reactivated", where, f"{label} no longer deprecated")
            self.parameter_schema(
                where + "/schema",
                label,
                resolve(self.base, old.get("schema") or {}),
                resolve(self.head, new.get("schema") or {}),
            )
        for key in head.keys() - base.keys():
            new, where = head[key]
            required = "required" if new.get("required") else "optional"
            self.add(
                f"new-{required}-request-parameter", where, f"{key[0]} parameter {key[1]} added"
            )

    def parameter_schema(self, where: str, label: str, old: Schema, new: Schema) -> None:
        prefix = "request-parameter"
        verdict = request_verdict(old, new)
        if verdict:
            self.add(f"{prefix}-type-{verdict}", where, f"{label} {_type_change(old, new)}")
        if _nullable(self.head, new) != _nullable(self.base, old):
            became = "nullable" if _nullable(self.head, new) else "not-nullable"
            self.add(f"{prefix}-became-{became}", where, f"{label} became {became}")
        for keyword, name, upper in REQUEST_BOUNDS:
            self.request_bound(
                where, label, keyword, name, old.get(keyword), new.get(keyword), upper=upper
            )
        old_pattern, new_pattern = old.get("pattern"), new.get("pattern")
        if old_pattern != new_pattern:
            action = _action(old_pattern, new_pattern)
            detail = f"{label} pattern {old_pattern!r} -> {new_pattern!r}"
            self.add(f"{prefix}-pattern-{action}", where, detail)
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
            kind = "success" if str(status).startswith("2") else "non-success"
            if status not in head:
                self.add(f"response-{kind}-status-removed", where, f"status {status} removed")
                continue
            old, new = resolve(self.base, raw), resolve(self.head, head[status])
            self.headers(where, old.get("headers") or {}, new.get("headers") or {})
            self.media_types(where, old.get("content") or {}, new.get("content") or {})
        for status in head.keys() - base.keys():
            kind = "success" if str(status).startswith("2") else "non-success"
            where = f"{op_where}/responses/{status}"
            self.add(f"response-{kind}-status-added", where, f"status {status} added")

    def media_types(self, where: str, base: Schema, head: Schema) -> None:
        """Same names pair; else a removed and an added type pair when one refines the other."""
        pairs = [(name, name) for name in base if name in head]
        added = [name for name in head if name not in base]
        removed = [name for name in base if name not in head]
        for new_name in list(added):
            old_name = next((old for old in removed if _related(old, new_name)), None)
            if old_name is None:
                continue
            removed.remove(old_name)
            added.remove(new_name)
            pairs.append((old_name, new_name))
            self.add(
                _media_rename_rule(old_name, new_name),
                f"{where}/content{pointer(new_name)}",
                f"media type {old_name} -> {new_name}",
            )
        for name in removed:
            media_where = f"{where}/content{pointer(name)}"
            self.add("response-media-type-removed", media_where, f"{name} removed")
        for name in added:
            self.add(
                "response-media-type-added", f"{where}/content{pointer(name)}", f"{name} added"
            )
        for old_name, new_name in pairs:
            self.schema(
                (base[old_name] or {}).get("schema") or {},
                (head[new_name] or {}).get("schema") or {},
                f"{where}/content{pointer(old_name)}/schema",
                f"{where}/content{pointer(new_name)}/schema",
                is_body=True,
                strong=strongly_typed(new_name),
                visiting=frozenset(),
            )

    def headers(self, where: str, base: Schema, head: Schema) -> None:
        for name, raw in base.items():
            header_where = f"{where}/headers{pointer(name)}"
            old = resolve(self.base, raw)
            if name not in head:
                required = "required" if old.get("required") else "optional"
                self.add(
                    f"{required}-response-header-removed", header_where, f"header {name} removed"
                )
                continue
            new = resolve(self.head, head[name])
            if old.get("required") and not new.get("required"):
                detail = f"header {name} became optional"
                self.add("response-header-became-optional", header_where, detail)
            self.header_schema(
                header_where + "/schema",
                name,
                resolve(self.base, old.get("schema") or {}),
                resolve(self.head, new.get("schema") or {}),
            )
        for name in head.keys() - base.keys():
            header_where = f"{where}/headers{pointer(name)}"
            self.add("response-header-added", header_where, f"header {name} added")

    def header_schema(self, where: str, name: str, old: Schema, new: Schema) -> None:
        """A header's value is text on the wire: not strongly typed."""
        verdict = response_verdict(old, new, strong=False)
        if verdict:
            detail = f"header {name} {_type_change(old, new)}"
            self.add(f"response-header-type-{verdict}", where, detail)
        if _nullable(self.head, new) != _nullable(self.base, old):
            became = "nullable" if _nullable(self.head, new) else "not-nullable"
            self.add(f"response-header-became-{became}", where, f"header {name} became {became}")
        old_pattern, new_pattern = old.get("pattern"), new.get("pattern")
        if old_pattern != new_pattern:
            detail = f"header {name} pattern {old_pattern!r} -> {new_pattern!r}"
            self.add(f"response-header-pattern-{_action(old_pattern, new_pattern)}", where, detail)

    def schema(
        self,
        old_raw: Any,
        new_raw: Any,
        old_where: str,
        new_where: str,
        *,
        is_body: bool,
        strong: bool,
        visiting: frozenset[tuple[int, int]],
    ) -> None:
        """Compare a response schema, following $refs; a new cycle through a pair stops here."""
        old_node, new_node = resolve(self.base, old_raw), resolve(self.head, new_raw)
        if (id(old_node), id(new_node)) in visiting:
            return
        visiting = visiting | {(id(old_node), id(new_node))}
        kind = "body" if is_body else "property"
        label = "the body" if is_body else _label(old_where)
        was_nullable, is_nullable = _nullable(self.base, old_node), _nullable(self.head, new_node)
        if was_nullable != is_nullable:
            became = "nullable" if is_nullable else "not-nullable"
            detail = f"{label} may now be null" if is_nullable else f"{label} is no longer null"
            self.add(f"response-{kind}-became-{became}", new_where, detail)
        old, old_where = _unwrap(self.base, old_node, old_where)
        new, new_where = _unwrap(self.head, new_node, new_where)
        list_of_types_changed = self.schema_type(old, new, new_where, kind, label, strong)
        for value in sorted(map(repr, _enum(new) - _enum(old))) if "enum" in old else []:
            self.add("response-property-enum-value-added", new_where, f"{label} may be {value}")
        for value in sorted(map(repr, _enum(old) - _enum(new))) if "enum" in new else []:
            self.add(
                "response-property-enum-value-removed", new_where, f"{label} is no longer {value}"
            )
        self.widening(old, new, new_where, label)
        self.properties(old, new, old_where, new_where, strong, visiting)
        if "items" in old and "items" in new:
            self.schema(
                old["items"],
                new["items"],
                old_where + "/items",
                new_where + "/items",
                is_body=False,
                strong=strong,
                visiting=visiting,
            )
        for keyword in ("oneOf", "anyOf", "allOf"):
            if list_of_types_changed and keyword != "allOf":
                continue  # oasdiff: the list-of-types finding claims the branches it changed
            self.branches(old, new, old_where, new_where, keyword, kind, strong, visiting)

    def schema_type(
        self, old: Schema, new: Schema, where: str, kind: str, label: str, strong: bool
    ) -> bool:
        """Report a type change; True when it was a list-of-types change."""
        old_list = list_of_types(old, lambda b: resolve(self.base, b))
        new_list = list_of_types(new, lambda b: resolve(self.head, b))
        if old_list and new_list and "list" in (old_list[0], new_list[0]):
            # oasdiff's list-of-types pattern: oneOf/anyOf of one-type schemas.
            added = sorted(set(new_list[1]) - set(old_list[1]))
            removed = sorted(set(old_list[1]) - set(new_list[1]))
            if added:
                detail = f"{label} may now be {', '.join(added)}"
                self.add(f"response-{kind}-list-of-types-widened", where, detail)
            elif removed:
                detail = f"{label} is no longer {', '.join(removed)}"
                self.add(f"response-{kind}-list-of-types-narrowed", where, detail)
            return bool(added or removed)
        verdict = response_verdict(old, new, strong=strong)
        if verdict:
            self.add(f"response-{kind}-type-{verdict}", where, f"{label} {_type_change(old, new)}")
        return False

    def widening(self, old: Schema, new: Schema, where: str, label: str) -> None:
        """A response bound that loosens sends values clients were told would not come."""
        for keyword, suffix in (
            ("maxLength", "max-length-increased"),
            ("maximum", "max-increased"),
        ):
            before, after = old.get(keyword), new.get(keyword)
            if before is None or before == after:
                continue
            if after is None:
                rule = "max-length-unset" if keyword == "maxLength" else suffix
                self.add(f"response-property-{rule}", where, f"{label} {keyword} {before} removed")
            elif after > before:
                detail = f"{label} {keyword} {before} -> {after}"
                self.add(f"response-property-{suffix}", where, detail)
        lower = (
            ("minimum", "min-decreased", "min-decreased"),
            ("minLength", "min-length-decreased", "min-length-decreased"),
            ("minItems", "min-items-decreased", "min-items-unset"),
        )
        for keyword, decreased, unset in lower:
            before, after = old.get(keyword), new.get(keyword)
            if before is None or before == after:
                continue
            if after is None:
                self.add(f"response-property-{unset}", where, f"{label} {keyword} {before} removed")
            elif after < before:
                detail = f"{label} {keyword} {before} -> {after}"
                self.add(f"response-property-{decreased}", where, detail)
        old_pattern, new_pattern = old.get("pattern"), new.get("pattern")
        if old_pattern != new_pattern:
            detail = f"{label} pattern {old_pattern!r} -> {new_pattern!r}"
            rule = f"response-property-pattern-{_action(old_pattern, new_pattern)}"
            self.add(rule, where, detail)

    def properties(
        self,
        old: Schema,
        new: Schema,
        old_where: str,
        new_where: str,
        strong: bool,
        visiting: frozenset[tuple[int, int]],
    ) -> None:
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
        for name, old_prop in old_props.items():
            old_prop_where = f"{old_where}/properties{pointer(name)}"
            new_prop_where = f"{new_where}/properties{pointer(name)}"
            if name not in new_props:
                required = "required" if name in old_required else "optional"
                rule = f"response-{required}-property-removed"
                self.add(rule, old_prop_where, f"property {name} removed")
                continue
            if name in old_required and name not in new_required:
                detail = f"property {name} may be absent"
                self.add("response-property-became-optional", new_prop_where, detail)
            if name in new_required and name not in old_required:
                detail = f"property {name} always sent"
                self.add("response-property-became-required", new_prop_where, detail)
            self.schema(
                old_prop,
                new_props[name],
                old_prop_where,
                new_prop_where,
                is_body=False,
                strong=strong,
                visiting=visiting,
            )
        for name in sorted(new_props.keys() - old_props.keys()):
            required = "required" if name in new_required else "optional"
            where = f"{new_where}/properties{pointer(name)}"
            self.add(f"response-{required}-property-added", where, f"property {name} added")

    def branches(
        self,
        old: Schema,
        new: Schema,
        old_where: str,
        new_where: str,
        keyword: str,
        kind: str,
        strong: bool,
        visiting: frozenset[tuple[int, int]],
    ) -> None:
        """Branches pair by what they are (branches.py); unpaired ones are added or removed."""
        old_branches = _non_null_branches(self.base, old.get(keyword) or [])
        new_branches = _non_null_branches(self.head, new.get(keyword) or [])
        if not old_branches and not new_branches:
            return
        pairing = pair_branches(
            old_branches,
            new_branches,
            lambda b: resolve(self.base, b),
            lambda b: resolve(self.head, b),
        )
        rule = {"oneOf": "one-of", "anyOf": "any-of", "allOf": "all-of"}[keyword]
        old_by_index, new_by_index = dict(old_branches), dict(new_branches)
        for index in pairing.added:
            detail = f"{keyword} gained {_branch_name(new_by_index[index], index)}"
            self.add(f"response-{kind}-{rule}-added", new_where, detail)
        for index in pairing.removed:
            detail = f"{keyword} lost {_branch_name(old_by_index[index], index)}"
            self.add(f"response-{kind}-{rule}-removed", new_where, detail)
        for old_index, new_index in pairing.pairs:
            self.schema(
                old_by_index[old_index],
                new_by_index[new_index],
                f"{old_where}/{keyword}/{old_index}",
                f"{new_where}/{keyword}/{new_index}",
                is_body=False,
                strong=strong,
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


def _date(value: Any) -> datetime.date | None:
    """x-sunset as a date: a YAML date, or text starting with YYYY-MM-DD (RFC 3339)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _media_type(name: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    """'application/problem+json; v=1' -> ('application', 'problem', 'json', [('v', '1')])."""
    message = Message()
    message["content-type"] = name
    main, _, rest = message.get_content_type().partition("/")
    subtype, _, suffix = rest.partition("+")
    params = [(str(k), str(v)) for k, v in message.get_params() or []][1:]
    return main, subtype, suffix, sorted(params)


def _refines(general: str, specific: str) -> bool:
    """oasdiff's media type containment: application/json contains application/problem+json."""
    g_type, g_sub, g_suffix, _ = _media_type(general)
    s_type, s_sub, s_suffix, _ = _media_type(specific)
    if g_type != s_type:
        return False
    if not g_suffix and s_suffix == g_sub:
        return True
    return (g_sub, g_suffix) == (s_sub, s_suffix)


def _related(old: str, new: str) -> bool:
    return _refines(old, new) or _refines(new, old)


def _media_rename_rule(old: str, new: str) -> str:
    if _media_type(old)[3] != _media_type(new)[3]:
        return "response-media-type-name-changed"
    narrower = "specialized" if _refines(old, new) else "generalized"
    return f"response-media-type-name-{narrower}"


def _type_change(old: Schema, new: Schema) -> str:
    def shown(schema: Schema) -> str:
        types = "|".join(types_of(schema)) or "any"
        return f"{types}/{schema['format']}" if schema.get("format") else types

    return f"type {shown(old)} -> {shown(new)}"


def _action(before: Any, after: Any) -> str:
    return "added" if before is None else "removed" if after is None else "changed"


def _is_null_schema(document: dict[str, Any], schema: Any) -> bool:
    resolved = resolve(document, schema)
    return isinstance(resolved, dict) and resolved.get("type") in ("null", ["null"])


def _nullable(document: dict[str, Any], schema: Schema) -> bool:
    declared = schema.get("type")
    if (
        declared == "null"
        or (isinstance(declared, list) and "null" in declared)
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


def _label(where: str) -> str:
    """'property status' for a pointer ending in .../properties/status (or below it)."""
    parts = decode_pointer(where)
    names = [parts[i + 1] for i, part in enumerate(parts[:-1]) if part == "properties"]
    return f"property {names[-1]}" if names else "the body"


def _branch_name(branch: Any, index: int) -> str:
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    title = branch.get("title") if isinstance(branch, dict) else None
    return f"{title!r}" if title else f"branch #{index}"


def _unwrap(document: dict[str, Any], schema: Schema, where: str) -> tuple[Schema, str]:
    """`oneOf: [X, {type: null}]` is X that may be null: compare X itself, at its pointer."""
    for keyword in ("oneOf", "anyOf"):
        branches = schema.get(keyword) or []
        others = _non_null_branches(document, branches)
        if len(others) == 1 and len(branches) == 2 and not types_of(schema):
            index, branch = others[0]
            resolved = resolve(document, branch)
            if isinstance(resolved, dict):
                return resolved, f"{where}/{keyword}/{index}"
    return schema, where


def _enum(schema: Schema) -> set[Any]:
    return {value for value in schema.get("enum") or [] if value is not None}
