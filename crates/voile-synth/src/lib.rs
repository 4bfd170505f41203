//! voile-synth: deterministic generator of annotated synthetic French clinical documents from hand-written templates and the shipped gazetteers
