"""Judging real traffic with the suite's checks: recordings (`nox -s judge`) and a validating
proxy (`nox -s proxy`).

    recording.py     HAR 1.2 and NDJSON, read as a stream
    secrets.py       which key an exchange used (by hash), and the texts never to write
    builtin.py       Schemathesis' built-in response checks over a recorded exchange
    one_exchange.py  the map step: what one exchange shows alone
    state.py         the fold step: bounded state per key, listing and call
    judge.py         TrafficJudge: exchanges in, a run's results and outcome out
    proxy.py         the reverse proxy that judges what passes through it
"""
