// Objects live only under components/schemas and are used through $ref: an inline object has no
// name, so the generated client invents one and a reviewer cannot see where it is reused.
// Runs on the unresolved document. Option allowRoot: the given schema itself may be an object
// (true for components/schemas entries, whose nested objects must still be $refs).
"use strict";

const NESTED = ["items", "additionalProperties", "not", "contains", "propertyNames"];
const LISTS = ["oneOf", "anyOf", "allOf", "prefixItems"];
const MAPS = ["properties", "patternProperties", "$defs"];

function isInlineObject(schema) {
  if (!schema || typeof schema !== "object" || typeof schema.$ref === "string") return false;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes("object") || "properties" in schema;
}

function walk(schema, path, isRoot, allowRoot, problems) {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return;
  if (typeof schema.$ref === "string") return;
  if (!(isRoot && allowRoot) && isInlineObject(schema)) {
    problems.push({
      message: "Inline object schema: move it to components/schemas and use a $ref.",
      path,
    });
  }
  for (const key of NESTED) {
    if (schema[key] && typeof schema[key] === "object") walk(schema[key], [...path, key], false, allowRoot, problems);
  }
  for (const key of LISTS) {
    if (Array.isArray(schema[key])) {
      schema[key].forEach((sub, index) => walk(sub, [...path, key, index], false, allowRoot, problems));
    }
  }
  for (const key of MAPS) {
    if (schema[key] && typeof schema[key] === "object") {
      for (const [name, sub] of Object.entries(schema[key])) walk(sub, [...path, key, name], false, allowRoot, problems);
    }
  }
}

module.exports = function noInlineObjects(schema, options, context) {
  const problems = [];
  walk(schema, [...context.path], true, Boolean(options && options.allowRoot), problems);
  return problems;
};
