//! voile-gazetteer: accent- and case-folded Aho-Corasick matcher over the shipped French word lists, with context gating and per-document known identities
