"""Benchmarks at negotiation scale, with their baselines measured in the same run.

``python -m bench`` (or ``make bench``) generates a large negotiation (``bench.workload``),
times the text core, the Word writers and readers, the heaviest pages and proposal
submission under concurrency, prints a table and writes ``bench/results/latest.json``.
"""
