//! AdamW with decoupled weight decay whose state (moments and step count) can be saved and
//! restored, so an interrupted training run continues exactly where it stopped. Same update as
//! `candle_nn::AdamW` (which keeps its moments private).

use candle_core::backprop::GradStore;
use candle_core::{DType, Device, Tensor, Var};
use std::collections::HashMap;
use std::path::Path;

const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPS: f64 = 1e-8;

struct Slot {
    name: String,
    var: Var,
    m: Tensor,
    v: Tensor,
}

/// AdamW over named variables (names key the saved state).
pub struct AdamW {
    slots: Vec<Slot>,
    lr: f64,
    weight_decay: f64,
    /// Updates done so far (bias correction).
    pub steps: usize,
}

impl AdamW {
    pub fn new(vars: &[(String, Var)], lr: f64, weight_decay: f64) -> candle_core::Result<Self> {
        let slots = vars
            .iter()
            .map(|(name, var)| {
                let zeros = Tensor::zeros(var.shape(), DType::F32, &Device::Cpu)?;
                Ok(Slot {
                    name: name.clone(),
                    var: var.clone(),
                    m: zeros.clone(),
                    v: zeros,
                })
            })
            .collect::<candle_core::Result<_>>()?;
        Ok(AdamW {
            slots,
            lr,
            weight_decay,
            steps: 0,
        })
    }

    pub fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }

    /// One update of every variable that has a gradient.
    pub fn step(&mut self, grads: &GradStore) -> candle_core::Result<()> {
        self.steps += 1;
        let t = self.steps as i32;
        let scale_m = 1.0 / (1.0 - BETA1.powi(t));
        let scale_v = 1.0 / (1.0 - BETA2.powi(t));
        for slot in &mut self.slots {
            let Some(g) = grads.get(slot.var.as_tensor()) else {
                continue;
            };
            let m = ((&slot.m * BETA1)? + (g * (1.0 - BETA1))?)?;
            let v = ((&slot.v * BETA2)? + (g.sqr()? * (1.0 - BETA2))?)?;
            let direction = ((&m * scale_m)? / ((&v * scale_v)?.sqrt()? + EPS)?)?;
            let decayed = (slot.var.as_tensor() * (1.0 - self.lr * self.weight_decay))?;
            slot.var.set(&(decayed - (direction * self.lr)?)?)?;
            slot.m = m;
            slot.v = v;
        }
        Ok(())
    }

    /// Moments as `m.<name>` / `v.<name>` tensors (the step count is kept by the caller).
    pub fn save(&self, path: &Path) -> candle_core::Result<()> {
        let mut tensors = HashMap::new();
        for s in &self.slots {
            tensors.insert(format!("m.{}", s.name), s.m.clone());
            tensors.insert(format!("v.{}", s.name), s.v.clone());
        }
        candle_core::safetensors::save(&tensors, path)
    }

    /// Restore moments saved by [`AdamW::save`] for the same variables, and the step count.
    pub fn load(&mut self, path: &Path, steps: usize) -> candle_core::Result<()> {
        let mut saved = candle_core::safetensors::load(path, &Device::Cpu)?;
        for s in &mut self.slots {
            for (prefix, slot) in [("m", &mut s.m), ("v", &mut s.v)] {
                let key = format!("{prefix}.{}", s.name);
                let t = saved.remove(&key).ok_or_else(|| {
                    candle_core::Error::Msg(format!("optimizer state has no {key}"))
                })?;
                if t.shape() != slot.shape() {
                    candle_core::bail!("optimizer state {key} has shape {:?}", t.shape());
                }
                *slot = t;
            }
        }
        self.steps = steps;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_nn::Optimizer;

    fn problem() -> (Var, Tensor) {
        let w =
            Var::from_tensor(&Tensor::new(&[[0.5f32, -1.0], [2.0, 0.25]], &Device::Cpu).unwrap())
                .unwrap();
        let x = Tensor::new(&[[1.0f32, 2.0], [-1.0, 0.5]], &Device::Cpu).unwrap();
        (w, x)
    }

    fn loss(w: &Var, x: &Tensor) -> Tensor {
        w.as_tensor()
            .matmul(x)
            .unwrap()
            .sqr()
            .unwrap()
            .sum_all()
            .unwrap()
    }

    fn values(w: &Var) -> Vec<f32> {
        w.as_tensor().flatten_all().unwrap().to_vec1().unwrap()
    }

    #[test]
    fn matches_candle_adamw_update_for_update() {
        let (ours, x) = problem();
        let (theirs, _) = problem();
        let mut a = AdamW::new(&[("w".into(), ours.clone())], 0.05, 0.01).unwrap();
        let params = candle_nn::ParamsAdamW {
            lr: 0.05,
            weight_decay: 0.01,
            ..Default::default()
        };
        let mut b = candle_nn::AdamW::new(vec![theirs.clone()], params).unwrap();
        for _ in 0..20 {
            a.step(&loss(&ours, &x).backward().unwrap()).unwrap();
            b.step(&loss(&theirs, &x).backward().unwrap()).unwrap();
        }
        for (p, q) in values(&ours).iter().zip(values(&theirs)) {
            assert!((p - q).abs() < 1e-6, "{p} vs {q}");
        }
    }

    #[test]
    fn saved_state_resumes_exactly() {
        let dir = std::env::temp_dir().join(format!("voile-optim-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (straight, x) = problem();
        let mut a = AdamW::new(&[("w".into(), straight.clone())], 0.05, 0.01).unwrap();
        for _ in 0..10 {
            a.step(&loss(&straight, &x).backward().unwrap()).unwrap();
        }
        let (resumed, _) = problem();
        let mut b = AdamW::new(&[("w".into(), resumed.clone())], 0.05, 0.01).unwrap();
        for _ in 0..4 {
            b.step(&loss(&resumed, &x).backward().unwrap()).unwrap();
        }
        b.save(&dir.join("opt.safetensors")).unwrap();
        let snapshot = resumed.as_tensor().copy().unwrap();
        let (restarted, _) = problem();
        restarted.set(&snapshot).unwrap();
        let mut c = AdamW::new(&[("w".into(), restarted.clone())], 0.05, 0.01).unwrap();
        c.load(&dir.join("opt.safetensors"), b.steps).unwrap();
        for _ in 0..6 {
            c.step(&loss(&restarted, &x).backward().unwrap()).unwrap();
        }
        assert_eq!(values(&straight), values(&restarted));
        std::fs::remove_dir_all(&dir).ok();
    }
}
