// A 4xx or 5xx response must carry the shared error shape of contract.md: its JSON schema is a
// $ref to #/components/schemas/Error, or to ValidationError for a 422. Runs on the unresolved
// document so that an inline schema, even one identical to Error, still fails.
"use strict";

const SHARED = "#/components/schemas/Error";
const VALIDATION = "#/components/schemas/ValidationError";

function follow(document, node) {
  // Follow local $refs of the response itself (#/components/responses/X).
  const seen = new Set();
  while (node && typeof node.$ref === "string" && node.$ref.startsWith("#/") && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    node = node.$ref
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((parent, key) => (parent == null ? undefined : parent[key]), document);
  }
  return node;
}

module.exports = function sharedErrorSchema(response, _options, context) {
  const status = String(context.path[context.path.length - 1]);
  const allowed = status === "422" ? [SHARED, VALIDATION] : [SHARED];
  const resolved = follow(context.document.data, response);
  const content = resolved && resolved.content;
  if (!content || typeof content !== "object" || Object.keys(content).length === 0) {
    return [{ message: `${status} response has no JSON body; it must use ${allowed.join(" or ")}.` }];
  }
  const problems = [];
  for (const [mediaType, media] of Object.entries(content)) {
    const ref = media && media.schema && media.schema.$ref;
    if (!allowed.includes(ref)) {
      problems.push({
        message: `${status} ${mediaType} schema is ${ref ? ref : "inline"}; it must be a $ref to ${allowed.join(" or ")}.`,
      });
    }
  }
  return problems;
};
