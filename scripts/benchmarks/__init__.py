"""Benchmarks of the contract kit beside the Schemathesis CLI (`python -m scripts.bench`).

Both tools run against one counting server (`counting_server`), so requests are counted the
same way for each, whatever either tool reports about itself.
"""
