"""API governance for openapi/calls.yaml: spec lint, breaking-change review, review report.

Modules, one job each: `spec` reads a spec from a file or a git ref and picks the default base;
`lint` runs the structural validator and Spectral; `rules` is the table of breaking-change rules
(oasdiff 1.28 ids and levels, deviations stated); `types` judges type changes as oasdiff does;
`branches` pairs oneOf/anyOf/allOf branches; `location` words a JSON pointer; `diff` compares
two specs; `versioning` is the version policy; `accepted` reads openapi/accepted-breaks.yaml;
`findings` puts these together into one outcome; `render` prints it (text, Markdown, JSON, see
findings.schema.json); `cli` is what the commands share; `surface` compares generated clients;
`report` assembles the reviewer's Markdown and HTML.
"""
