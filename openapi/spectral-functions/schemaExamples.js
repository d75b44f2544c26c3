// Every value of a schema's `examples` list (JSON Schema 2020-12, used by OpenAPI 3.1) validates
// against that schema. Spectral's oas3-valid-schema-example checks only `example` and `default`.
// Runs on the resolved document, so $refs inside the schema are already inlined.
"use strict";

const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats(ajv);

module.exports = function schemaExamples(schema, _options, context) {
  if (!schema || typeof schema !== "object" || !Array.isArray(schema.examples)) return [];
  const { examples, ...rest } = schema;
  let validate;
  try {
    validate = ajv.compile(rest);
  } catch (error) {
    return [{ message: `Schema cannot be compiled to check its examples: ${error.message}` }];
  }
  const problems = [];
  examples.forEach((example, index) => {
    if (!validate(example)) {
      const first = validate.errors && validate.errors[0];
      const where = first && first.instancePath ? ` at ${first.instancePath}` : "";
      problems.push({
        message: `examples[${index}] ${JSON.stringify(example)} is invalid${where}: ${first ? first.message : "?"}`,
        path: [...context.path, "examples", index],
      });
    }
  });
  return problems;
};
