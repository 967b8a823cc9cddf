"""The Voice Coach benchmark suite: `python -m benchmarks [--quick]` (or `voice-coach bench`).

Figures, not tests: accuracy on real and synthetic speech, latency, footprint
and scaling, written to `benchmarks/results/<date>-<machine>.json` and `.md`.
"""
