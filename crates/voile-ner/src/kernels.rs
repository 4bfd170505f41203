//! Elementwise kernels as candle custom ops with forward and backward: tanh-approximated GELU
//! (`gelu_pytorch_tanh`) and softmax over the last dimension.
//!
//! Why: candle's CPU `gelu` calls libm `tanhf` and its softmax libm `expf`, one element at a
//! time; together they took ~55% of inference time. Here `tanh` and `exp` are short
//! polynomial/rational approximations (errors ~1e-7, below f32 rounding of the activations)
//! that the compiler vectorises. Training and inference use the same ops, so the parity test
//! stays exact, and candle's fused softmax has no backward anyway.

use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape, Tensor, D};

const SQRT_2_OVER_PI: f32 = 0.797_884_6;
const CUBIC: f32 = 0.044_715;

/// Past this magnitude `tanh` is ±1 in f32.
const TANH_CLAMP: f32 = 7.905_311;

/// Odd/even rational minimax approximation of `tanh` on `[-TANH_CLAMP, TANH_CLAMP]`
/// (degree 13 over degree 6 in `x`).
#[inline(always)]
pub fn fast_tanh(x: f32) -> f32 {
    const A: [f32; 7] = [
        4.893_524_6e-3,
        6.372_619_3e-4,
        1.485_722_4e-5,
        5.122_297e-8,
        -8.604_672e-11,
        2.000_188e-13,
        -2.760_768_5e-16,
    ];
    const B: [f32; 4] = [4.893_525e-3, 2.268_434_7e-3, 1.185_347_1e-4, 1.198_258_4e-6];
    let x = x.clamp(-TANH_CLAMP, TANH_CLAMP);
    let x2 = x * x;
    let mut p = A[6];
    for &a in A[..6].iter().rev() {
        p = p * x2 + a;
    }
    let q = ((B[3] * x2 + B[2]) * x2 + B[1]) * x2 + B[0];
    x * p / q
}

#[inline(always)]
fn gelu(x: f32) -> f32 {
    let t = fast_tanh(SQRT_2_OVER_PI * (x + CUBIC * x * x * x));
    0.5 * x * (1.0 + t)
}

#[inline(always)]
fn gelu_derivative(x: f32) -> f32 {
    let t = fast_tanh(SQRT_2_OVER_PI * (x + CUBIC * x * x * x));
    let du = SQRT_2_OVER_PI * (1.0 + 3.0 * CUBIC * x * x);
    0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du
}

/// `e^x` for f32: round `x/ln 2` to `n` with the 1.5·2^23 trick, a degree-6 Taylor
/// polynomial on the remainder (|r| ≤ ln2/2, relative error < 2e-7), then scale by 2^n
/// through the exponent bits. Inputs are clamped to the normal range.
#[inline(always)]
pub fn fast_exp(x: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0;
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    let x = x.clamp(-87.0, 88.0);
    let k = x * LOG2E + MAGIC;
    let n = k - MAGIC;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    let n_int = k.to_bits() as i32 - MAGIC.to_bits() as i32;
    p * f32::from_bits(((n_int + 127) as u32) << 23)
}

fn contiguous_f32<'a>(storage: &'a CpuStorage, layout: &Layout) -> Result<&'a [f32]> {
    let data = storage.as_slice::<f32>()?;
    let (start, end) = layout
        .contiguous_offsets()
        .ok_or_else(|| candle_core::Error::Msg("kernel needs a contiguous tensor".into()))?;
    Ok(&data[start..end])
}

fn map_f32(
    storage: &CpuStorage,
    layout: &Layout,
    f: impl Fn(f32) -> f32,
) -> Result<(CpuStorage, Shape)> {
    let out: Vec<f32> = contiguous_f32(storage, layout)?
        .iter()
        .map(|&x| f(x))
        .collect();
    Ok((CpuStorage::F32(out), layout.shape().clone()))
}

/// Softmax of one row. Plain loops over slices and 8-wide lane arrays (with `>` rather than
/// NaN-aware `f32::max`) so that max, exp and sum all vectorise.
fn softmax_row(row: &[f32], out: &mut [f32]) {
    const LANES: usize = 8;
    let mut maxes = [f32::NEG_INFINITY; LANES];
    let chunks = row.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for i in 0..LANES {
            maxes[i] = if c[i] > maxes[i] { c[i] } else { maxes[i] };
        }
    }
    let max = maxes
        .iter()
        .chain(rest)
        .fold(f32::NEG_INFINITY, |a, &b| if b > a { b } else { a });
    for (o, &x) in out.iter_mut().zip(row) {
        *o = fast_exp(x - max);
    }
    let mut sums = [0f32; LANES];
    let chunks = out.chunks_exact(LANES);
    let tail: f32 = chunks.remainder().iter().sum();
    for c in chunks {
        for i in 0..LANES {
            sums[i] += c[i];
        }
    }
    let inv = 1.0 / (sums.iter().sum::<f32>() + tail);
    for o in out.iter_mut() {
        *o *= inv;
    }
}

/// Softmax over the last dimension, f32 only.
pub struct SoftmaxLastDim;

impl CustomOp1 for SoftmaxLastDim {
    fn name(&self) -> &'static str {
        "voile-softmax-last-dim"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let data = contiguous_f32(storage, layout)?;
        let width = layout.shape().dims().last().copied().unwrap_or(1).max(1);
        let mut out = vec![0f32; data.len()];
        for (row, o) in data.chunks(width).zip(out.chunks_mut(width)) {
            softmax_row(row, o);
        }
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }

    /// dx = y ⊙ (g − Σ g⊙y) along the last dimension.
    fn bwd(&self, _arg: &Tensor, res: &Tensor, grad_res: &Tensor) -> Result<Option<Tensor>> {
        let dot = (grad_res * res)?.sum_keepdim(D::Minus1)?;
        Ok(Some((grad_res.broadcast_sub(&dot)? * res)?))
    }
}

/// Apply [`SoftmaxLastDim`] with its backward pass recorded.
pub fn softmax_last_dim(x: &Tensor) -> Result<Tensor> {
    x.contiguous()?.apply_op1(SoftmaxLastDim)
}

/// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, elementwise, f32 only.
pub struct TanhGelu;

impl CustomOp1 for TanhGelu {
    fn name(&self) -> &'static str {
        "voile-tanh-gelu"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        map_f32(storage, layout, gelu)
    }

    fn bwd(&self, arg: &Tensor, _res: &Tensor, grad_res: &Tensor) -> Result<Option<Tensor>> {
        let local = arg.apply_op1_no_bwd(&TanhGeluDerivative)?;
        Ok(Some(grad_res.mul(&local)?))
    }
}

/// d/dx of [`TanhGelu`], elementwise (used by its backward pass).
struct TanhGeluDerivative;

impl CustomOp1 for TanhGeluDerivative {
    fn name(&self) -> &'static str {
        "voile-tanh-gelu-derivative"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        map_f32(storage, layout, gelu_derivative)
    }
}

/// Apply [`TanhGelu`] with its backward pass recorded.
pub fn tanh_gelu(x: &Tensor) -> Result<Tensor> {
    x.contiguous()?.apply_op1(TanhGelu)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    #[test]
    fn fast_tanh_matches_libm_everywhere() {
        let mut worst = 0f32;
        for i in -20_000..=20_000 {
            let x = i as f32 * 0.001;
            worst = worst.max((fast_tanh(x) - x.tanh()).abs());
        }
        assert!(worst < 2e-6, "max abs error {worst}");
        assert_eq!(fast_tanh(50.0), 1.0);
        assert_eq!(fast_tanh(-50.0), -1.0);
    }

    #[test]
    fn forward_matches_candle_gelu_and_backward_matches_finite_differences() {
        let xs: Vec<f32> = (-60..=60).map(|i| i as f32 * 0.1).collect();
        let x = Var::new(xs.as_slice(), &Device::Cpu).unwrap();
        let ours = tanh_gelu(x.as_tensor()).unwrap();
        let reference = x.as_tensor().gelu().unwrap();
        let diff: f32 = (ours.clone() - reference)
            .unwrap()
            .abs()
            .unwrap()
            .max(0)
            .unwrap()
            .to_scalar()
            .unwrap();
        assert!(diff < 1e-5, "forward differs by {diff}");
        let grads = ours.sum_all().unwrap().backward().unwrap();
        let g: Vec<f32> = grads.get(x.as_tensor()).unwrap().to_vec1().unwrap();
        let h = 1e-2f32;
        for (&x, &g) in xs.iter().zip(&g) {
            let numeric = (gelu(x + h) - gelu(x - h)) / (2.0 * h);
            assert!(
                (numeric - g).abs() < 2e-3,
                "gradient at {x}: {g} vs {numeric}"
            );
        }
    }

    #[test]
    fn fast_exp_matches_libm_relatively() {
        let mut worst = 0f32;
        for i in -8_700..=8_800 {
            let x = i as f32 * 0.01;
            worst = worst.max(((fast_exp(x) - x.exp()) / x.exp()).abs());
        }
        assert!(worst < 1e-6, "max relative error {worst}");
        assert_eq!(fast_exp(-1e9), fast_exp(-87.0));
        assert!(fast_exp(-1e9) < 1e-37 && fast_exp(-1e9) > 0.0);
    }

    #[test]
    fn softmax_matches_candle_and_its_gradient_matches_candle_autodiff() {
        let xs: Vec<f32> = (0..3 * 19)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) * 0.7)
            .collect();
        let x = Var::from_tensor(&Tensor::from_vec(xs, (3, 19), &Device::Cpu).unwrap()).unwrap();
        let weights = Tensor::arange(0f32, 57.0, &Device::Cpu)
            .unwrap()
            .reshape((3, 19))
            .unwrap();
        let ours = softmax_last_dim(x.as_tensor()).unwrap();
        let reference = candle_nn::ops::softmax(x.as_tensor(), D::Minus1).unwrap();
        let close = |a: &Tensor, b: &Tensor, tol: f32| {
            let d: f32 = (a - b)
                .unwrap()
                .abs()
                .unwrap()
                .flatten_all()
                .unwrap()
                .max(0)
                .unwrap()
                .to_scalar()
                .unwrap();
            assert!(d < tol, "differs by {d}");
        };
        close(&ours, &reference, 1e-6);
        let row_sums: Vec<f32> = ours.sum(1).unwrap().to_vec1().unwrap();
        assert!(row_sums.iter().all(|s| (s - 1.0).abs() < 1e-5));
        let g_ours = (ours * &weights)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        let g_ref = (reference * &weights)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        close(
            g_ours.get(x.as_tensor()).unwrap(),
            g_ref.get(x.as_tensor()).unwrap(),
            1e-4,
        );
    }

    #[test]
    fn masked_positions_get_zero_probability() {
        let x = Tensor::new(&[[1f32, 2.0, -1e9, -1e9]], &Device::Cpu).unwrap();
        let p: Vec<Vec<f32>> = softmax_last_dim(&x).unwrap().to_vec2().unwrap();
        assert!(p[0][2] < 1e-30 && p[0][3] < 1e-30);
        assert!((p[0][0] + p[0][1] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn strided_input_is_handled() {
        let t = Tensor::arange(0f32, 12.0, &Device::Cpu)
            .unwrap()
            .reshape((3, 4))
            .unwrap()
            .t()
            .unwrap();
        let ours: Vec<Vec<f32>> = tanh_gelu(&t).unwrap().to_vec2().unwrap();
        let reference: Vec<Vec<f32>> = t.gelu().unwrap().to_vec2().unwrap();
        for (a, b) in ours.iter().flatten().zip(reference.iter().flatten()) {
            assert!((a - b).abs() < 1e-5);
        }
    }
}
