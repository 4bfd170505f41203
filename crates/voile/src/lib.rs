//! voile: the facade: a Pipeline built from a serialisable config that chains detectors, resolves spans, pseudonymises, and runs batches with rayon
