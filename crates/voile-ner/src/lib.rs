//! voile-ner: the small BERT-style token-classification model: training, shipping and CPU inference with candle (the only crate depending on candle/tokenizers)
