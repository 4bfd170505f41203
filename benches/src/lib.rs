//! Shared helpers for voile benchmarks.
