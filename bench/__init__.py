"""Benchmarks of ictdash: ETL throughput and quality (synthetic corpus, real news), dashboard speed.

Run them all with `make bench` (`python -m bench.run_all`); see bench/README.md.
"""
