//! Sliding windows over a long token sequence: nothing is truncated, consecutive windows
//! overlap, and each token is decoded from the window where it sits farthest from an edge.

use std::ops::Range;

/// A window over tokens and the sub-range whose predictions it owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub tokens: Range<usize>,
    pub owned: Range<usize>,
}

/// Windows of at most `body` tokens covering `0..n`, consecutive ones overlapping by at least
/// `overlap` tokens (`overlap < body`). The last window is shifted back to stay full-length.
pub fn plan(n: usize, body: usize, overlap: usize) -> Vec<Window> {
    assert!(
        body > 0 && overlap < body,
        "window body {body} must exceed overlap {overlap}"
    );
    if n == 0 {
        return Vec::new();
    }
    let step = body - overlap;
    let mut ranges: Vec<Range<usize>> = Vec::new();
    ranges.push(0..n.min(body));
    while ranges.last().expect("non-empty").end < n {
        let start = (ranges.last().expect("non-empty").start + step).min(n.saturating_sub(body));
        ranges.push(start..(start + body).min(n));
    }
    let mut windows: Vec<Window> = Vec::with_capacity(ranges.len());
    for (i, r) in ranges.iter().enumerate() {
        let own_start = if i == 0 { 0 } else { windows[i - 1].owned.end };
        let own_end = match ranges.get(i + 1) {
            Some(next) => next.start + (r.end - next.start) / 2,
            None => n,
        };
        windows.push(Window {
            tokens: r.clone(),
            owned: own_start..own_end,
        });
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_ranges_partition_the_sequence_inside_their_windows() {
        for (n, body, overlap) in [
            (0, 10, 2),
            (5, 10, 2),
            (10, 10, 2),
            (11, 10, 2),
            (3000, 254, 32),
            (257, 254, 0),
        ] {
            let ws = plan(n, body, overlap);
            let mut next = 0;
            for w in &ws {
                assert_eq!(w.owned.start, next);
                assert!(w.tokens.start <= w.owned.start && w.owned.end <= w.tokens.end);
                assert!(w.tokens.len() <= body);
                assert!(w.tokens.len() == body.min(n));
                next = w.owned.end;
            }
            assert_eq!(next, n, "n={n}");
        }
    }
}
