//! Sorting with one compiled sort for the whole crate.
//!
//! `slice::sort_by_key` is compiled once per element type and key closure, about 4 KB of Wasm
//! each; the crate sorted a dozen kinds of lists (docs/benchmarks-log.md, "Code size"). Here
//! one merge sort orders indices through a comparison callback, and the list is then permuted in
//! place: what is compiled per call site is only the two small closures. The sort is stable, so the
//! result is exactly `sort_by`'s (and `sort_unstable`'s wherever equal elements are identical).

use std::cmp::Ordering;

/// Sorts `v` by `key`, stably: `slice::sort_by_key`.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` by `cmp`, stably: `slice::sort_by`.
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let Some(mut order) = stable_order(v.len(), &mut |i, j| cmp(&v[i], &v[j])) else {
        return;
    };
    permute(&mut order, &mut |i, j| v.swap(i, j));
}

/// The stable sorted order of `n` items compared by index: `order[k]` is the index of the item
/// that goes to position `k`. `None` when the items are already in order (the usual case for
/// histories), without allocating.
fn stable_order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Option<Vec<usize>> {
    if (1..n).all(|i| cmp(i - 1, i) != Ordering::Greater) {
        return None;
    }
    let mut a: Vec<usize> = (0..n).collect();
    let mut b = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                // Take from the right run only when strictly smaller: equal items keep their order.
                if cmp(a[j], a[i]) == Ordering::Less {
                    b[k] = a[j];
                    j += 1;
                } else {
                    b[k] = a[i];
                    i += 1;
                }
                k += 1;
            }
            b[k..k + (mid - i)].copy_from_slice(&a[i..mid]);
            k += mid - i;
            b[k..k + (hi - j)].copy_from_slice(&a[j..hi]);
            lo = hi;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    Some(a)
}

/// Moves item `order[k]` to position `k` for every `k`, by swaps along each cycle (`order` is
/// used up as the record of the positions done).
fn permute(order: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut cur = start;
        loop {
            let next = order[cur];
            order[cur] = cur;
            if next == start {
                break;
            }
            swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_stable_sort(v in prop::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut ours = v.clone();
            sort_by_key(&mut ours, |x| x.0);
            let mut std = v;
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn small_cases() {
        let mut v: Vec<i32> = vec![];
        sort_by(&mut v, |a, b| a.cmp(b));
        let mut v = vec![3, 1, 2];
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, [1, 2, 3]);
        let mut v = vec![(1, 'b'), (0, 'x'), (1, 'a'), (0, 'y')];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'x'), (0, 'y'), (1, 'b'), (1, 'a')]);
    }
}
