//! The history pages' links: which page numbers a history page shows, with gaps, so no page
//! grows with the history. Pure arithmetic: never touches the disk.

/// Page links on each side of the current history page; the first and last are always linked.
pub const PAGE_WINDOW: usize = 2;

/// The history pages to link from page `current` of `total`: the first, the last, and
/// `PAGE_WINDOW` on each side of the current one, in order, `None` where numbers are skipped.
/// A fixed number of links, so no page grows with the history (10,000 pages at a million
/// incidents would otherwise list 10,000 links each).
pub fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let from = current.saturating_sub(PAGE_WINDOW).max(1);
    let to = (current + PAGE_WINDOW).min(total);
    let mut numbers = vec![1];
    numbers.extend((from..=to).filter(|k| *k != 1 && *k != total));
    if total > 1 {
        numbers.push(total);
    }
    let mut out = Vec::with_capacity(numbers.len() + 2);
    for k in numbers {
        match out.last() {
            // A gap of one number is shown as that number: a "…" would hide no more than it.
            Some(Some(last)) if k == last + 2 => out.push(Some(last + 1)),
            Some(Some(last)) if k > last + 2 => out.push(None),
            _ => {}
        }
        out.push(Some(k));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{PAGE_WINDOW, page_window};

    fn shown(current: usize, total: usize) -> String {
        page_window(current, total)
            .iter()
            .map(|k| k.map_or("…".to_owned(), |k| k.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn pagination_links_a_window_and_both_ends() {
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(1, 2), "1 2");
        assert_eq!(shown(1, 7), "1 2 3 … 7");
        assert_eq!(shown(4, 7), "1 2 3 4 5 6 7");
        assert_eq!(shown(5, 9), "1 2 3 4 5 6 7 8 9");
        assert_eq!(shown(6, 12), "1 … 4 5 6 7 8 … 12");
        assert_eq!(shown(1000, 1000), "1 … 998 999 1000");
        for total in 1..40 {
            for current in 1..=total {
                let links = page_window(current, total);
                assert!(links.len() <= 2 * PAGE_WINDOW + 5, "{current}/{total}");
                let numbers: Vec<usize> = links.iter().flatten().copied().collect();
                assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{current}/{total}");
                assert!(numbers.contains(&current) && numbers.contains(&1));
                assert!(numbers.contains(&total));
            }
        }
    }
}
