// An example shows only documented fields: every property of an example object must be named by
// its schema (`properties`, through allOf/oneOf/anyOf and items), even where the schema allows
// extra properties. An example is documentation; a stray key (a YAML slip such as an unquoted
// comma in a flow mapping) would teach clients a field that does not exist.
// Given a Media Type, Parameter or Header object (examples beside `schema`) or a Schema (its own
// `example` / `examples`). Runs on the resolved document: $refs are already inlined.
"use strict";

function branchesOf(schema) {
  if (!schema || typeof schema !== "object") return [];
  const found = [schema];
  for (const keyword of ["allOf", "oneOf", "anyOf"]) {
    for (const branch of schema[keyword] || []) found.push(...branchesOf(branch));
  }
  return found;
}

// A schema whose keys are data (a map: additionalProperties is a schema, no properties named)
// documents every key; otherwise only the named ones are documented.
function namedProperties(schema) {
  const names = new Set();
  let isMap = false;
  let patterns = [];
  for (const part of branchesOf(schema)) {
    Object.keys(part.properties || {}).forEach((name) => names.add(name));
    patterns = patterns.concat(Object.keys(part.patternProperties || {}).map((p) => new RegExp(p, "u")));
    const extra = part.additionalProperties;
    if (extra && typeof extra === "object" && !part.properties) isMap = true;
  }
  return { names, patterns, isMap };
}

function subschemas(schema, key) {
  const found = [];
  for (const part of branchesOf(schema)) {
    if (part.properties && key in part.properties) found.push(part.properties[key]);
    else if (part.additionalProperties && typeof part.additionalProperties === "object") {
      found.push(part.additionalProperties);
    }
  }
  return found;
}

function check(value, schema, where, problems) {
  if (Array.isArray(value)) {
    const items = branchesOf(schema).map((part) => part.items).filter(Boolean);
    value.forEach((item, index) => items.forEach((s) => check(item, s, `${where}/${index}`, problems)));
    return;
  }
  if (!value || typeof value !== "object") return;
  const { names, patterns, isMap } = namedProperties(schema);
  for (const key of Object.keys(value)) {
    const documented = isMap || names.has(key) || patterns.some((pattern) => pattern.test(key));
    if (!documented) {
      problems.push(`${where || "/"} carries ${JSON.stringify(key)}, which its schema does not name`);
      continue;
    }
    subschemas(schema, key).forEach((s) => check(value[key], s, `${where}/${key}`, problems));
  }
}

module.exports = function documentedExampleProperties(target, _options, context) {
  if (!target || typeof target !== "object") return [];
  const isSchemaOwner = "schema" in target;
  const schema = isSchemaOwner ? target.schema : target;
  const examples = [];
  if (target.example !== undefined) examples.push([["example"], target.example]);
  if (isSchemaOwner && target.examples && typeof target.examples === "object") {
    for (const [name, example] of Object.entries(target.examples)) {
      if (example && typeof example === "object" && "value" in example) {
        examples.push([["examples", name, "value"], example.value]);
      }
    }
  } else if (Array.isArray(target.examples)) {
    target.examples.forEach((example, index) => examples.push([["examples", index], example]));
  }
  const results = [];
  for (const [path, value] of examples) {
    const problems = [];
    check(value, schema, "", problems);
    for (const problem of problems) {
      results.push({ message: `${path.join(".")}: ${problem}`, path: [...context.path, ...path] });
    }
  }
  return results;
};
