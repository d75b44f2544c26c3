"""The contract suite: checks any Calls API server against openapi/calls.yaml and contract.md.

One run flows through four groups, each a subpackage with one job:

    run/settings  ->  run/target  ->  run/plan  ->  suite/ (pytest subprocess)  ->  reports/
    options, env      where to go     what to do     SuiteRun: transport, schema,   summary,
                      (preflight)     (ids, seed)    context; Schemathesis + checks junit, md
                                                          |
                                     run/results <--------+  (observations, merged)
                                     run/progress            (live line while it runs)
                                     run/runner              (the subprocess, signals, verdict)

    exchanges from:  the suite's run,  a replay,  a recording,  a test
                                 |
                     checks: judge(exchange, context) -> typed failures (identity)

- `run/`: settings (options, the team config file), target, plan and the runner that starts
  the suite, shows progress, stops cleanly on a signal and gives the verdict (0 conforms,
  1 violates, 2 could not run, 3 short), with the warnings of a pass that proved little and
  the failures a baseline knows of (`conclude`, a function of the results alone).
- `suite/`: the pytest side: the Schemathesis schema, its hooks, the run's HTTP transport
  (redaction, counting, 429 waits) and follow-up fetches; `launch.py` starts the process with
  the known calls fetched ahead while pytest and Schemathesis are imported (`ahead.py`).
- `checks/`: the judgements: each check a function of one exchange and an explicit context
  that raises its clause's failure class; contract.md's invariants, client conformance, drift.
- `reports/`: what a run leaves: the screen summary, summary.md and junit.xml.
- `reference_server/`: the embedded Calls API with its catalogues of faults and quirks.
- `spec.py`: the one reader of the spec that everything above shares.
"""
