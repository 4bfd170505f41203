//! The encoder: Hugging Face `BertForTokenClassification` parameter names and config, and one
//! forward graph written here for both training and inference.
//!
//! Why two kernel sets: candle's fused `layer_norm` has no backward pass (its gradients are
//! silently missing), so training uses the composite `ops::layer_norm_slow`; inference uses
//! the fused kernel. GELU and softmax are our own vectorisable ops with backward passes
//! (`kernels.rs`) in both. Tests check that both kernel sets give the same
//! logits, and that `candle_transformers::models::bert::BertModel` plus a `Linear` head
//! loads the same weights and agrees (the Hugging Face layout is real, not nominal).

use crate::rng::SplitMix;
use candle_core::{DType, Device, Module, Tensor, Var};
use candle_nn::{Embedding, Linear, VarMap};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Architecture hyper-parameters (a subset of a Hugging Face BERT config).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BertShape {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    pub pad_token_id: usize,
}

impl Default for BertShape {
    fn default() -> Self {
        BertShape {
            vocab_size: 8000,
            hidden_size: 128,
            num_hidden_layers: 2,
            num_attention_heads: 4,
            intermediate_size: 512,
            max_position_embeddings: 256,
            type_vocab_size: 2,
            layer_norm_eps: 1e-12,
            pad_token_id: 0,
        }
    }
}

/// `config.json`: a Hugging Face BERT config (`gelu_pytorch_tanh` activation) plus labels.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HfConfig {
    pub architectures: Vec<String>,
    pub model_type: String,
    #[serde(flatten)]
    pub shape: BertShape,
    pub hidden_act: String,
    pub hidden_dropout_prob: f64,
    pub attention_probs_dropout_prob: f64,
    pub initializer_range: f64,
    pub num_labels: usize,
    pub id2label: BTreeMap<String, String>,
    pub label2id: BTreeMap<String, usize>,
}

impl HfConfig {
    pub fn new(shape: &BertShape, tag_names: &[String], dropout: f64) -> Self {
        HfConfig {
            architectures: vec!["BertForTokenClassification".into()],
            model_type: "bert".into(),
            shape: shape.clone(),
            hidden_act: "gelu_pytorch_tanh".into(),
            hidden_dropout_prob: dropout,
            attention_probs_dropout_prob: 0.0,
            initializer_range: 0.02,
            num_labels: tag_names.len(),
            id2label: tag_names
                .iter()
                .enumerate()
                .map(|(i, n)| (i.to_string(), n.clone()))
                .collect(),
            label2id: tag_names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), i))
                .collect(),
        }
    }

    /// Only the tanh GELU used in training is accepted.
    pub fn check_activation(&self) -> Result<(), String> {
        match self.hidden_act.as_str() {
            "gelu_pytorch_tanh" | "gelu_new" | "geluapproximate" => Ok(()),
            other => Err(format!("unsupported hidden_act {other:?}")),
        }
    }
}

/// Every parameter name and shape, in a fixed order, with its initialisation.
pub fn parameter_specs(s: &BertShape, num_labels: usize) -> Vec<(String, Vec<usize>, Init)> {
    let h = s.hidden_size;
    let mut p = vec![
        (
            "bert.embeddings.word_embeddings.weight".to_string(),
            vec![s.vocab_size, h],
            Init::Normal,
        ),
        (
            "bert.embeddings.position_embeddings.weight".into(),
            vec![s.max_position_embeddings, h],
            Init::Normal,
        ),
        (
            "bert.embeddings.token_type_embeddings.weight".into(),
            vec![s.type_vocab_size, h],
            Init::Normal,
        ),
        (
            "bert.embeddings.LayerNorm.weight".into(),
            vec![h],
            Init::One,
        ),
        ("bert.embeddings.LayerNorm.bias".into(), vec![h], Init::Zero),
    ];
    for l in 0..s.num_hidden_layers {
        let pre = format!("bert.encoder.layer.{l}");
        let mut linear = |name: &str, out: usize, inp: usize| {
            p.push((format!("{pre}.{name}.weight"), vec![out, inp], Init::Normal));
            p.push((format!("{pre}.{name}.bias"), vec![out], Init::Zero));
        };
        linear("attention.self.query", h, h);
        linear("attention.self.key", h, h);
        linear("attention.self.value", h, h);
        linear("attention.output.dense", h, h);
        linear("intermediate.dense", s.intermediate_size, h);
        linear("output.dense", h, s.intermediate_size);
        for ln in ["attention.output.LayerNorm", "output.LayerNorm"] {
            p.push((format!("{pre}.{ln}.weight"), vec![h], Init::One));
            p.push((format!("{pre}.{ln}.bias"), vec![h], Init::Zero));
        }
    }
    p.push((
        "classifier.weight".into(),
        vec![num_labels, h],
        Init::Normal,
    ));
    p.push(("classifier.bias".into(), vec![num_labels], Init::Zero));
    p
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    Normal,
    One,
    Zero,
}

/// Fresh parameters (normal(0, 0.02) weights, BERT-style), reproducible from `seed`.
pub fn init_varmap(
    s: &BertShape,
    num_labels: usize,
    seed: u64,
    zero: bool,
) -> candle_core::Result<VarMap> {
    let varmap = VarMap::new();
    let mut rng = SplitMix::new(seed);
    {
        let mut data = varmap.data().lock().expect("fresh varmap");
        for (name, shape, init) in parameter_specs(s, num_labels) {
            let n: usize = shape.iter().product();
            let values: Vec<f32> = match (init, zero) {
                (Init::One, _) => vec![1.0; n],
                (Init::Zero, _) | (Init::Normal, true) => vec![0.0; n],
                (Init::Normal, false) => (0..n).map(|_| rng.normal() * 0.02).collect(),
            };
            let t = Tensor::from_vec(values, shape, &Device::Cpu)?;
            data.insert(name, Var::from_tensor(&t)?);
        }
    }
    Ok(varmap)
}

/// Variables sorted by name (deterministic optimiser and norm order).
pub fn sorted_vars(varmap: &VarMap) -> Vec<(String, Var)> {
    let data = varmap.data().lock().expect("varmap lock");
    let mut vars: Vec<(String, Var)> = data.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    vars
}

/// Anything producing per-token tag logits `(batch, len, tags)` from ids and a 0/1 mask.
pub trait TokenClassifier {
    fn logits(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor>;
}

/// Dropout masks drawn from our own seeded generator.
pub struct Dropout {
    pub p: f32,
    pub rng: SplitMix,
}

impl Dropout {
    pub(crate) fn apply(&mut self, x: &Tensor) -> candle_core::Result<Tensor> {
        if self.p <= 0.0 {
            return Ok(x.clone());
        }
        let keep = 1.0 / (1.0 - self.p);
        let n = x.elem_count();
        let mask: Vec<f32> = (0..n)
            .map(|_| if self.rng.unit() < self.p { 0.0 } else { keep })
            .collect();
        x.mul(&Tensor::from_vec(mask, x.shape(), x.device())?)
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_ln: (Tensor, Tensor),
    inter: Linear,
    out: Linear,
    out_ln: (Tensor, Tensor),
}

/// Which LayerNorm kernel a [`Bert`] graph uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernels {
    /// Composite ops with a backward pass (training).
    Composite,
    /// candle's fused kernels, forward only (inference).
    Fused,
}

/// The encoder plus its token-classification head, over named tensors (Hugging Face
/// `BertForTokenClassification` names). Training and inference run this same code and differ
/// only in [`Kernels`].
pub struct Bert {
    word: Embedding,
    position: Tensor,
    token_type: Tensor,
    emb_ln: (Tensor, Tensor),
    layers: Vec<Layer>,
    classifier: Linear,
    heads: usize,
    eps: f32,
    kernels: Kernels,
}

/// Named variables of a [`VarMap`], sharing storage with it (so optimiser updates are seen).
fn from_varmap(varmap: &VarMap, name: &str) -> candle_core::Result<Tensor> {
    let data = varmap.data().lock().expect("varmap lock");
    data.get(name)
        .map(|v| v.as_tensor().clone())
        .ok_or_else(|| candle_core::Error::Msg(format!("missing parameter {name}")))
}

type Getter<'a> = dyn Fn(&str) -> candle_core::Result<Tensor> + 'a;

fn linear(get: &Getter, name: &str) -> candle_core::Result<Linear> {
    Ok(Linear::new(
        get(&format!("{name}.weight"))?,
        Some(get(&format!("{name}.bias"))?),
    ))
}

fn norm(get: &Getter, name: &str) -> candle_core::Result<(Tensor, Tensor)> {
    Ok((
        get(&format!("{name}.weight"))?,
        get(&format!("{name}.bias"))?,
    ))
}

impl Bert {
    /// The training graph over a [`VarMap`]'s variables (composite kernels).
    pub fn training(varmap: &VarMap, s: &BertShape) -> candle_core::Result<Self> {
        Self::build(&|n| from_varmap(varmap, n), s, Kernels::Composite)
    }

    /// An inference graph over a [`VarMap`]'s current values (fused kernels).
    pub fn inference_from_varmap(varmap: &VarMap, s: &BertShape) -> candle_core::Result<Self> {
        Self::build(&|n| from_varmap(varmap, n), s, Kernels::Fused)
    }

    /// The inference graph over safetensors bytes; every tensor's name and shape is checked
    /// against `s` and `num_labels`.
    pub fn inference_from_safetensors(
        bytes: &[u8],
        s: &BertShape,
        num_labels: usize,
    ) -> candle_core::Result<Self> {
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)?;
        for (name, shape, _) in parameter_specs(s, num_labels) {
            let t = tensors
                .get(&name)
                .ok_or_else(|| candle_core::Error::Msg(format!("missing tensor {name}")))?;
            if t.dims() != shape.as_slice() {
                candle_core::bail!("tensor {name} has shape {:?}, expected {shape:?}", t.dims());
            }
        }
        let get = |n: &str| -> candle_core::Result<Tensor> { tensors[n].to_dtype(DType::F32) };
        Self::build(&get, s, Kernels::Fused)
    }

    fn build(get: &Getter, s: &BertShape, kernels: Kernels) -> candle_core::Result<Self> {
        let word = get("bert.embeddings.word_embeddings.weight")?;
        let layers = (0..s.num_hidden_layers)
            .map(|l| {
                let p = format!("bert.encoder.layer.{l}");
                Ok(Layer {
                    query: linear(get, &format!("{p}.attention.self.query"))?,
                    key: linear(get, &format!("{p}.attention.self.key"))?,
                    value: linear(get, &format!("{p}.attention.self.value"))?,
                    attn_out: linear(get, &format!("{p}.attention.output.dense"))?,
                    attn_ln: norm(get, &format!("{p}.attention.output.LayerNorm"))?,
                    inter: linear(get, &format!("{p}.intermediate.dense"))?,
                    out: linear(get, &format!("{p}.output.dense"))?,
                    out_ln: norm(get, &format!("{p}.output.LayerNorm"))?,
                })
            })
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok(Bert {
            word: Embedding::new(word, s.hidden_size),
            position: get("bert.embeddings.position_embeddings.weight")?,
            token_type: get("bert.embeddings.token_type_embeddings.weight")?,
            emb_ln: norm(get, "bert.embeddings.LayerNorm")?,
            layers,
            classifier: linear(get, "classifier")?,
            heads: s.num_attention_heads,
            eps: s.layer_norm_eps as f32,
            kernels,
        })
    }

    fn ln(&self, x: &Tensor, p: &(Tensor, Tensor)) -> candle_core::Result<Tensor> {
        match self.kernels {
            Kernels::Composite => candle_nn::ops::layer_norm_slow(x, &p.0, &p.1, self.eps),
            Kernels::Fused => candle_nn::ops::layer_norm(x, &p.0, &p.1, self.eps),
        }
    }

    /// Logits `(batch, len, tags)`; `dropout` is applied only when given (training).
    pub fn forward(
        &self,
        ids: &Tensor,
        mask: &Tensor,
        mut dropout: Option<&mut Dropout>,
    ) -> candle_core::Result<Tensor> {
        let hidden = self.encode(ids, mask, dropout.as_deref_mut())?;
        let hidden = match dropout {
            Some(d) => d.apply(&hidden)?,
            None => hidden,
        };
        self.classifier.forward(&hidden)
    }

    /// Final hidden states `(batch, len, hidden)` of the encoder (no head, no final dropout).
    pub fn encode(
        &self,
        ids: &Tensor,
        mask: &Tensor,
        mut dropout: Option<&mut Dropout>,
    ) -> candle_core::Result<Tensor> {
        let mut drop = |x: Tensor| -> candle_core::Result<Tensor> {
            match dropout.as_deref_mut() {
                Some(d) => d.apply(&x),
                None => Ok(x),
            }
        };
        let (b, len) = ids.dims2()?;
        let hidden = self.position.dim(1)?;
        let head_dim = hidden / self.heads;
        let emb = self
            .word
            .forward(ids)?
            .broadcast_add(&self.position.narrow(0, 0, len)?)?
            .broadcast_add(&self.token_type.narrow(0, 0, 1)?)?;
        let mut x = drop(self.ln(&emb, &self.emb_ln)?)?;
        // Additive mask (batch, 1, 1, len): 0 for tokens, very negative for padding.
        let additive = ((mask.to_dtype(DType::F32)? - 1.0)? * 1e9)?.reshape((b, 1, 1, len))?;
        // Scaling queries (b·len·hidden values) is cheaper than scaling scores (b·heads·len²).
        let scale = 1.0 / (head_dim as f64).sqrt();
        for layer in &self.layers {
            let split = |t: Tensor| -> candle_core::Result<Tensor> {
                t.reshape((b, len, self.heads, head_dim))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let q = split((layer.query.forward(&x)? * scale)?)?;
            let k = split(layer.key.forward(&x)?)?;
            let v = split(layer.value.forward(&x)?)?;
            let scores = q.matmul(&k.t()?)?.broadcast_add(&additive)?;
            let probs = crate::kernels::softmax_last_dim(&scores)?;
            let ctx = probs
                .matmul(&v)?
                .transpose(1, 2)?
                .contiguous()?
                .reshape((b, len, hidden))?;
            let attn = drop(layer.attn_out.forward(&ctx)?)?;
            let attn = self.ln(&(attn + &x)?, &layer.attn_ln)?;
            let inter = crate::kernels::tanh_gelu(&layer.inter.forward(&attn)?)?;
            let out = drop(layer.out.forward(&inter)?)?;
            x = self.ln(&(out + &attn)?, &layer.out_ln)?;
        }
        Ok(x)
    }
}

impl TokenClassifier for Bert {
    fn logits(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        self.forward(ids, mask, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_nn::VarBuilder;
    use candle_transformers::models::bert::{
        BertModel, Config as CandleBertConfig, HiddenAct, PositionEmbeddingType,
    };

    fn small() -> BertShape {
        BertShape {
            vocab_size: 50,
            hidden_size: 16,
            num_hidden_layers: 2,
            num_attention_heads: 4,
            intermediate_size: 32,
            max_position_embeddings: 12,
            ..Default::default()
        }
    }

    fn candle_config(s: &BertShape) -> CandleBertConfig {
        CandleBertConfig {
            vocab_size: s.vocab_size,
            hidden_size: s.hidden_size,
            num_hidden_layers: s.num_hidden_layers,
            num_attention_heads: s.num_attention_heads,
            intermediate_size: s.intermediate_size,
            hidden_act: HiddenAct::GeluApproximate,
            hidden_dropout_prob: 0.0,
            max_position_embeddings: s.max_position_embeddings,
            type_vocab_size: s.type_vocab_size,
            initializer_range: 0.02,
            layer_norm_eps: s.layer_norm_eps,
            pad_token_id: s.pad_token_id,
            position_embedding_type: PositionEmbeddingType::Absolute,
            use_cache: false,
            classifier_dropout: None,
            model_type: Some("bert".into()),
        }
    }

    /// `candle_transformers`' BERT plus a linear head: the reference reading of the weights.
    struct Reference {
        bert: BertModel,
        head: Linear,
    }

    impl TokenClassifier for Reference {
        fn logits(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
            let hidden = self.bert.forward(ids, &ids.zeros_like()?, Some(mask))?;
            self.head.forward(&hidden)
        }
    }

    fn reference(vm: &VarMap, s: &BertShape) -> Reference {
        let vb = VarBuilder::from_varmap(vm, DType::F32, &Device::Cpu);
        Reference {
            bert: BertModel::load(vb.pp("bert"), &candle_config(s)).unwrap(),
            head: candle_nn::linear(s.hidden_size, 29, vb.pp("classifier")).unwrap(),
        }
    }

    fn batch() -> (Tensor, Tensor) {
        let ids = Tensor::new(&[[2u32, 7, 9, 11, 3, 0], [2, 5, 3, 0, 0, 0]], &Device::Cpu).unwrap();
        let mask = Tensor::new(&[[1u32, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]], &Device::Cpu).unwrap();
        (ids, mask)
    }

    /// Random weights with non-trivial LayerNorm parameters, so comparisons cover them too.
    fn noisy_varmap(s: &BertShape, seed: u64) -> VarMap {
        let vm = init_varmap(s, 29, seed, false).unwrap();
        for (name, var) in sorted_vars(&vm) {
            if name.contains("LayerNorm") {
                let t = var.as_tensor();
                let noise = Tensor::randn(0f32, 0.1, t.shape(), &Device::Cpu).unwrap();
                var.set(&(t + noise).unwrap()).unwrap();
            }
        }
        vm
    }

    /// Largest absolute logit difference over unpadded positions.
    fn max_diff(a: &dyn TokenClassifier, b: &dyn TokenClassifier) -> f32 {
        let (ids, mask) = batch();
        let a = a.logits(&ids, &mask).unwrap();
        let b = b.logits(&ids, &mask).unwrap();
        assert_eq!(a.dims(), &[2, 6, 29]);
        assert_eq!(b.dims(), &[2, 6, 29]);
        let m: Vec<Vec<u32>> = mask.to_vec2().unwrap();
        let a: Vec<Vec<Vec<f32>>> = a.to_vec3().unwrap();
        let b: Vec<Vec<Vec<f32>>> = b.to_vec3().unwrap();
        let mut max = 0f32;
        for i in 0..2 {
            for j in 0..6 {
                if m[i][j] == 1 {
                    for k in 0..29 {
                        max = max.max((a[i][j][k] - b[i][j][k]).abs());
                    }
                }
            }
        }
        max
    }

    #[test]
    fn every_parameter_receives_a_nonzero_gradient() {
        let s = small();
        let vm = init_varmap(&s, 29, 3, false).unwrap();
        let model = Bert::training(&vm, &s).unwrap();
        let (ids, mask) = batch();
        let mut drop = Dropout {
            p: 0.1,
            rng: SplitMix::new(1),
        };
        let logits = model.forward(&ids, &mask, Some(&mut drop)).unwrap();
        let target = Tensor::new(&[3u32, 4, 0, 1, 2, 0, 5, 6, 7, 0, 0, 0], &Device::Cpu).unwrap();
        let loss =
            candle_nn::loss::cross_entropy(&logits.reshape((12, 29)).unwrap(), &target).unwrap();
        let grads = loss.backward().unwrap();
        let vars = sorted_vars(&vm);
        assert_eq!(vars.len(), parameter_specs(&s, 29).len());
        for (name, var) in vars {
            let g = grads
                .get(var.as_tensor())
                .unwrap_or_else(|| panic!("no gradient for {name}"));
            let norm: f32 = g.sqr().unwrap().sum_all().unwrap().to_scalar().unwrap();
            assert!(
                norm > 0.0 && norm.is_finite(),
                "zero or non-finite gradient for {name}"
            );
        }
    }

    #[test]
    fn training_and_inference_graphs_agree() {
        let s = small();
        let vm = noisy_varmap(&s, 5);
        let train = Bert::training(&vm, &s).unwrap();
        let infer = Bert::inference_from_varmap(&vm, &s).unwrap();
        let diff = max_diff(&train, &infer);
        assert!(diff < 1e-4, "max logit difference {diff}");
    }

    #[test]
    fn candle_transformers_bert_reads_the_same_weights_the_same_way() {
        let s = small();
        let vm = noisy_varmap(&s, 8);
        let ours = Bert::inference_from_varmap(&vm, &s).unwrap();
        let diff = max_diff(&ours, &reference(&vm, &s));
        assert!(diff < 1e-4, "max logit difference {diff}");
    }

    #[test]
    fn safetensors_round_trip_and_shape_check() {
        let s = small();
        let vm = noisy_varmap(&s, 9);
        let path =
            std::env::temp_dir().join(format!("voile-ner-st-{}.safetensors", std::process::id()));
        vm.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).ok();
        let loaded = Bert::inference_from_safetensors(&bytes, &s, 29).unwrap();
        let direct = Bert::inference_from_varmap(&vm, &s).unwrap();
        assert_eq!(max_diff(&loaded, &direct), 0.0);
        let wider = BertShape {
            hidden_size: 32,
            ..s.clone()
        };
        let err = Bert::inference_from_safetensors(&bytes, &wider, 29)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("word_embeddings") && err.contains("shape"),
            "{err}"
        );
        assert!(Bert::inference_from_safetensors(&bytes, &s, 30).is_err());
        assert!(Bert::inference_from_safetensors(b"not safetensors", &s, 29).is_err());
    }

    #[test]
    fn zero_weights_give_zero_logits_of_the_right_shape() {
        let s = small();
        let vm = init_varmap(&s, 29, 0, true).unwrap();
        let infer = Bert::inference_from_varmap(&vm, &s).unwrap();
        let (ids, mask) = batch();
        let out = infer.logits(&ids, &mask).unwrap();
        assert_eq!(out.dims(), &[2, 6, 29]);
        let total: f32 = out.abs().unwrap().sum_all().unwrap().to_scalar().unwrap();
        assert_eq!(total, 0.0);
        let config = HfConfig::new(&s, &crate::tags::TagSet::standard().names(), 0.1);
        let json = serde_json::to_string(&config).unwrap();
        assert!(json.contains("\"hidden_size\":16") && json.contains("BertForTokenClassification"));
        let back: HfConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back.shape.hidden_size, 16);
        assert!(back.check_activation().is_ok());
        let relu = HfConfig {
            hidden_act: "relu".into(),
            ..back
        };
        assert!(relu.check_activation().is_err());
    }
}
