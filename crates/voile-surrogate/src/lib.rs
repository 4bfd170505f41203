//! voile-surrogate: pseudonymisation operators (surrogate, tag, redact, hash, keep), keyed stateless consistency, per-scope date shifting and text rewriting
