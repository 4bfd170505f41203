//! A tiny deterministic generator (SplitMix64) seeded from a keyed digest. Its output is
//! part of the surrogate contract: changing it changes every surrogate, so it is frozen.

#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn from_digest(d: &[u8; 32]) -> Rng {
        let mut s = 0u64;
        for chunk in d.chunks_exact(8) {
            s ^= u64::from_le_bytes(chunk.try_into().expect("8-byte chunk"));
        }
        Rng(s)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-high (bias below 2^-32 for our sizes).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A random ASCII digit, `1..=9` when `nonzero`.
    pub(crate) fn digit(&mut self, nonzero: bool) -> char {
        let d = if nonzero {
            1 + self.below(9)
        } else {
            self.below(10)
        };
        (b'0' + d as u8) as char
    }
}

/// Items drawn with probability proportional to a weight (cumulative sums + binary search).
#[derive(Debug, Clone, Default)]
pub(crate) struct Weighted {
    pub(crate) items: Vec<u32>,
    cum: Vec<u64>,
}

impl Weighted {
    pub(crate) fn push(&mut self, item: u32, weight: u64) {
        let prev = self.cum.last().copied().unwrap_or(0);
        self.items.push(item);
        self.cum.push(prev + weight.max(1));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn draw(&self, rng: &mut Rng) -> Option<u32> {
        let total = *self.cum.last()?;
        let x = rng.below(total);
        let i = self.cum.partition_point(|&c| c <= x);
        Some(self.items[i])
    }
}

/// Weight of a list entry: square root of its frequency, so common names are common but
/// the surrogates do not collapse onto the top ten.
pub(crate) fn sqrt_weight(freq: u32) -> u64 {
    ((freq as f64).sqrt() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_draws_follow_weights_and_stay_in_range() {
        let mut w = Weighted::default();
        w.push(7, 1);
        w.push(9, 99);
        let mut rng = Rng(42);
        let nines = (0..1000).filter(|_| w.draw(&mut rng) == Some(9)).count();
        assert!(nines > 950, "{nines}");
        assert_eq!(Weighted::default().draw(&mut rng), None);
        assert!((0..1000).all(|_| rng.below(3) < 3));
    }
}

/// A fast non-cryptographic hasher (FxHash-style) for in-memory lookup tables. Lookups only:
/// no output ever depends on a map's iteration order.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;
