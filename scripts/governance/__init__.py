"""API governance for openapi/calls.yaml: spec lint, breaking-change review, review report.

Modules, one job each: `spec` reads a spec from a file or a git ref, `lint` runs the
structural validator and Spectral, `rules` is the table of breaking-change rules (oasdiff ids),
`diff` compares two specs, `render` prints changes, `surface` compares generated clients,
`report` assembles the reviewer's Markdown and HTML.
"""
