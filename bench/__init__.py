"""Benchmark tooling: `python -m bench.generate` fills a PostgreSQL database with a province-scale
dataset; `bench.generate.usernames(role)` names the accounts a load test logs in with."""
