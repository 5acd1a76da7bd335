"""Benchmarks at national scale: figures and ratios measured in one run, never pass/fail tests.

Run `python -m benchmarks.bench [--quick]` (or `make bench`); the last line printed is one JSON
object with every figure.
"""
