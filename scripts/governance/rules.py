"""The breaking-change rules: oasdiff's rule ids, their levels, and why each matters.

Levels are oasdiff's defaults, except where `raised` says otherwise: security changes are
ERR here whatever oasdiff's default, because who may call the API is our concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """How bad a change is for an existing client; ordered so that ERR > WARN > INFO."""

    INFO = 0
    WARN = 1
    ERR = 2


@dataclass(frozen=True)
class Rule:
    """One kind of change: oasdiff id, level here, oasdiff's level, and its consequence."""

    id: str
    level: Level
    oasdiff_level: Level
    why: str

    @property
    def raised(self) -> bool:
        return self.level != self.oasdiff_level


ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO


def _rule(rule_id: str, level: Level, why: str, oasdiff_level: Level | None = None) -> Rule:
    return Rule(rule_id, level, level if oasdiff_level is None else oasdiff_level, why)


_RULES = [
    # Paths and operations.
    _rule("api-path-removed-without-deprecation", ERR, "clients calling the path get 404"),
    _rule("api-path-removed-with-deprecation", INFO, "the path was deprecated first"),
    _rule("api-removed-without-deprecation", ERR, "clients calling the operation fail"),
    _rule("api-removed-with-deprecation", INFO, "the operation was deprecated first"),
    _rule("endpoint-added", INFO, "a new operation; existing clients are unaffected"),
    # Security: raised to ERR, oasdiff has INFO for most of these.
    _rule("api-global-security-removed", ERR, "a security requirement changed", INFO),
    _rule("api-global-security-added", ERR, "a security requirement changed", INFO),
    _rule("api-global-security-scope-added", ERR, "clients' keys may lack the scope", INFO),
    _rule("api-global-security-scope-removed", ERR, "a security requirement changed", INFO),
    _rule("api-security-removed", ERR, "a security requirement changed", INFO),
    _rule("api-security-added", ERR, "a security requirement changed", INFO),
    _rule("api-security-scope-added", ERR, "clients' keys may lack the scope", INFO),
    _rule("api-security-scope-removed", ERR, "a security requirement changed", INFO),
    _rule("api-security-component-removed", ERR, "clients send credentials nobody checks", INFO),
    _rule("api-security-component-added", INFO, "a new scheme; nothing uses it yet"),
    _rule("api-security-component-type-changed", ERR, "clients send the wrong credentials", INFO),
    # Request parameters.
    _rule("new-required-request-parameter", ERR, "existing requests lack it and are rejected"),
    _rule("new-optional-request-parameter", INFO, "existing requests stay valid"),
    _rule("request-parameter-removed", WARN, "clients still send it; the server may reject it"),
    _rule("request-parameter-became-required", ERR, "requests without it are now rejected"),
    _rule("request-parameter-became-optional", INFO, "existing requests stay valid"),
    _rule("request-parameter-type-changed", ERR, "values clients send no longer fit"),
    _rule("request-parameter-type-generalized", INFO, "every value that fitted still fits"),
    _rule("request-parameter-became-nullable", INFO, "every value that fitted still fits"),
    _rule("request-parameter-max-decreased", ERR, "values near the old maximum are rejected"),
    _rule("request-parameter-max-increased", INFO, "more values are accepted"),
    _rule("request-parameter-max-set", WARN, "values above the new maximum are rejected"),
    _rule("request-parameter-min-increased", ERR, "values near the old minimum are rejected"),
    _rule("request-parameter-min-decreased", INFO, "more values are accepted"),
    _rule("request-parameter-min-set", WARN, "values below the new minimum are rejected"),
    _rule("request-parameter-max-length-decreased", ERR, "longer values are rejected"),
    _rule("request-parameter-max-length-set", WARN, "long values are now rejected"),
    _rule("request-parameter-max-length-increased", INFO, "longer values are accepted"),
    _rule("request-parameter-min-length-increased", ERR, "shorter values are rejected"),
    _rule("request-parameter-min-length-decreased", INFO, "shorter values are accepted"),
    _rule("request-parameter-max-items-decreased", ERR, "longer lists are rejected"),
    _rule("request-parameter-max-items-increased", INFO, "longer lists are accepted"),
    _rule("request-parameter-min-items-increased", ERR, "shorter lists are rejected"),
    _rule("request-parameter-min-items-decreased", INFO, "shorter lists are accepted"),
    _rule("request-parameter-min-items-set", WARN, "short lists are now rejected"),
    _rule("request-parameter-pattern-added", ERR, "values that fitted may be rejected"),
    _rule("request-parameter-pattern-changed", WARN, "values that fitted may be rejected"),
    _rule("request-parameter-pattern-removed", INFO, "more values are accepted"),
    _rule("request-parameter-enum-value-removed", ERR, "clients sending it are rejected"),
    _rule("request-parameter-enum-value-added", INFO, "more values are accepted"),
    _rule("request-parameter-default-value-changed", ERR, "requests without it behave otherwise"),
    # Responses.
    _rule("response-success-status-removed", ERR, "clients expecting that status break"),
    _rule("response-success-status-added", INFO, "a new success status to handle"),
    _rule("response-non-success-status-removed", INFO, "an error status is no longer sent"),
    _rule("response-non-success-status-added", INFO, "a new error status is documented"),
    _rule("response-media-type-removed", ERR, "clients parsing that media type break"),
    _rule("required-response-header-removed", ERR, "clients reading the header get nothing"),
    _rule("optional-response-header-removed", WARN, "clients reading the header get nothing"),
    _rule("response-header-became-optional", ERR, "clients relying on the header may miss it"),
    # Response bodies and their properties.
    _rule("response-required-property-removed", ERR, "clients reading the field break"),
    _rule("response-optional-property-removed", WARN, "clients reading the field get nothing"),
    _rule("response-required-property-added", INFO, "a new field; clients ignore it"),
    _rule("response-optional-property-added", INFO, "a new field; clients ignore it"),
    _rule("response-property-became-optional", ERR, "clients expecting the field may miss it"),
    _rule("response-property-became-required", INFO, "the field is now always sent"),
    _rule("response-property-became-nullable", ERR, "clients not expecting null break"),
    _rule("response-body-became-nullable", ERR, "clients not expecting null break"),
    _rule("response-property-became-not-nullable", INFO, "null is no longer sent"),
    _rule("response-property-type-changed", ERR, "clients decoding the old type break"),
    _rule("response-body-type-changed", ERR, "clients decoding the old type break"),
    _rule("response-property-type-generalized", ERR, "clients may get values they cannot decode"),
    _rule("response-body-type-generalized", ERR, "clients may get values they cannot decode"),
    _rule("response-property-type-specialized", INFO, "every value sent still decodes"),
    _rule("response-property-list-of-types-widened", ERR, "clients may get a type they lack"),
    _rule("response-property-enum-value-added", WARN, "strict clients may crash on the value"),
    _rule("response-property-enum-value-removed", INFO, "a value is no longer sent"),
    _rule("response-property-max-length-increased", ERR, "longer values than clients expect"),
    _rule("response-property-max-length-unset", ERR, "values of any length may come"),
    _rule("response-property-max-increased", ERR, "larger values than clients expect"),
    _rule("response-property-min-decreased", ERR, "smaller values than clients expect"),
    _rule("response-property-min-length-decreased", ERR, "shorter values than clients expect"),
    _rule("response-property-min-items-decreased", ERR, "shorter lists than clients expect"),
    _rule("response-property-pattern-added", INFO, "values are more constrained"),
    _rule("response-property-pattern-changed", INFO, "the values' shape changed"),
    _rule("response-property-pattern-removed", INFO, "values are less constrained"),
    _rule("response-property-one-of-added", ERR, "a new shape clients cannot decode"),
    _rule("response-property-one-of-removed", INFO, "a shape is no longer sent"),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
