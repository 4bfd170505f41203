//! voile-eval: scoring against reference corpora (JSONL, BRAT): strict/overlap/token metrics, leak rate, bootstrap CIs, JSON and HTML reports
