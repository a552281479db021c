"""Benchmarks run by pytest and the checks of the benchmarks' references: `make bench-checks`,
with the test suite's fixtures loaded as plugins; the test suite never imports them."""
