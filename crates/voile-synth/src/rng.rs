//! A small, portable random source: ChaCha8 plus integer-only sampling helpers, so a seed gives
//! the same documents on every platform and Rust version (no `usize`- or float-width-dependent
//! sampling from external crates).

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Deterministic random source for one document.
pub struct Rng(ChaCha8Rng);

/// SplitMix64 finaliser: spreads (seed, split, index) into independent-looking seeds.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a 64-bit: a stable string hash (std's hasher is not guaranteed stable across releases).
pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Rng {
    /// A generator seeded from a list of words (e.g. corpus seed, split tag, document index).
    pub fn from_parts(parts: &[u64]) -> Self {
        let mut seed = [0u8; 32];
        let mut acc = 0x5EED_u64;
        for (i, chunk) in seed.chunks_mut(8).enumerate() {
            for &p in parts {
                acc = mix64(acc ^ p.rotate_left(i as u32 * 7 + 1));
            }
            acc = mix64(acc.wrapping_add(i as u64));
            chunk.copy_from_slice(&acc.to_le_bytes());
        }
        Rng(ChaCha8Rng::from_seed(seed))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform integer in `0..n` (`n > 0`), unbiased by rejection.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// Uniform index into a collection of length `n`.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform integer in the inclusive range `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille / 1000` (integer odds keep it portable).
    pub fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    /// True with probability `p` (quantised to 1e-6).
    pub fn prob(&mut self, p: f64) -> bool {
        let q = (p.clamp(0.0, 1.0) * 1_000_000.0).round() as u64;
        self.below(1_000_000) < q
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// Index drawn from integer weights given as a cumulative table (last = total).
    pub fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = *cumulative.last().expect("non-empty weight table");
        if total == 0 {
            return self.index(cumulative.len());
        }
        let x = self.below(total);
        cumulative.partition_point(|&c| c <= x)
    }

    /// A string of `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// Cumulative table for [`Rng::weighted`].
pub fn cumulative(weights: impl IntoIterator<Item = u64>) -> Vec<u64> {
    let mut acc = 0u64;
    weights
        .into_iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_parts_same_stream_different_parts_differ() {
        let a: Vec<u64> = (0..4)
            .map(|_| Rng::from_parts(&[1, 2, 3]).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::from_parts(&[1, 2, 3]).next_u64(),
            Rng::from_parts(&[1, 2, 4]).next_u64()
        );
        assert_ne!(
            Rng::from_parts(&[1, 2]).next_u64(),
            Rng::from_parts(&[2, 1]).next_u64()
        );
    }

    #[test]
    fn weighted_respects_zero_weights_and_bounds() {
        let mut r = Rng::from_parts(&[7]);
        let cum = cumulative([0, 5, 0, 5]);
        for _ in 0..500 {
            let i = r.weighted(&cum);
            assert!(i == 1 || i == 3, "{i}");
            let x = r.range(-3, 3);
            assert!((-3..=3).contains(&x));
        }
    }
}
