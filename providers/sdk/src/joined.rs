//! The bracketed, comma-separated lists the `Display` impls of values and types write
//! (`[1, 2]`, `{a = 1}`, `tuple([string, number])`).

use std::fmt;

/// Writes `open`, each item through `write_item` with `", "` between them, then `close`.
pub(crate) fn write_joined<T>(
    f: &mut fmt::Formatter<'_>,
    open: &str,
    items: impl IntoIterator<Item = T>,
    close: &str,
    mut write_item: impl FnMut(&mut fmt::Formatter<'_>, T) -> fmt::Result,
) -> fmt::Result {
    f.write_str(open)?;
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_item(f, item)?;
    }
    f.write_str(close)
}
