//! How random_string and random_password draw their characters.

use labform_sdk::{ProviderError, Result};

use crate::rng;

pub const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
pub const NUMERIC: &str = "0123456789";
pub const SPECIAL: &str = "!@#$%&*()-_=+[]{}<>:?";

/// The settings of one string, after defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub length: i64,
    pub upper: bool,
    pub lower: bool,
    pub numeric: bool,
    pub special: bool,
    pub min_upper: i64,
    pub min_lower: i64,
    pub min_numeric: i64,
    pub min_special: i64,
    /// Replaces the special set when non-empty.
    pub override_special: Option<String>,
}

impl Params {
    fn special_set(&self) -> &str {
        match self.override_special.as_deref() {
            Some(s) if !s.is_empty() => s,
            _ => SPECIAL,
        }
    }

    /// The characters the non-minimum part is drawn from.
    pub fn pool(&self) -> Vec<char> {
        let mut pool = String::new();
        for (on, set) in [
            (self.upper, UPPER),
            (self.lower, LOWER),
            (self.numeric, NUMERIC),
        ] {
            if on {
                pool.push_str(set);
            }
        }
        if self.special {
            pool.push_str(self.special_set());
        }
        pool.chars().collect()
    }

    /// Each class set with the number of characters drawn from it first. Terraform keys these by
    /// the set's text, so an override_special equal to a built-in set takes that slot and
    /// min_special wins over the class's own minimum (and the result comes out shorter).
    pub fn minimums(&self) -> Vec<(&str, i64)> {
        let mut table: Vec<(&str, i64)> = vec![
            (NUMERIC, self.min_numeric),
            (LOWER, self.min_lower),
            (UPPER, self.min_upper),
        ];
        let special = self.special_set();
        match table.iter_mut().find(|(set, _)| *set == special) {
            Some(slot) => slot.1 = self.min_special,
            None => table.push((special, self.min_special)),
        }
        table
    }
}

/// Draws the string: the minimums from their own sets (even for disabled classes), the rest from
/// the pool, then shuffles everything with random sort keys. Counts are in characters.
pub fn generate(p: &Params) -> Result<String> {
    let mut chars = Vec::new();
    for (set, count) in p.minimums() {
        draw(&set.chars().collect::<Vec<_>>(), count, &mut chars)?;
    }
    let rest = p.length - p.min_upper - p.min_lower - p.min_numeric - p.min_special;
    let pool = p.pool();
    if rest > 0 && pool.is_empty() {
        return Err(ProviderError::invalid("the character set is empty")
            .with_hint("enable at least one of `upper`, `lower`, `numeric` or `special`"));
    }
    draw(&pool, rest, &mut chars)?;
    let mut keyed = chars
        .into_iter()
        .map(|c| rng::u64().map(|k| (k, c)))
        .collect::<Result<Vec<_>, _>>()?;
    keyed.sort_by_key(|(k, _)| *k);
    Ok(keyed.into_iter().map(|(_, c)| c).collect())
}

fn draw(set: &[char], count: i64, out: &mut Vec<char>) -> Result<()> {
    for _ in 0..count.max(0) {
        out.push(set[rng::below(set.len() as u64)? as usize]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(length: i64) -> Params {
        Params {
            length,
            upper: true,
            lower: true,
            numeric: true,
            special: true,
            min_upper: 0,
            min_lower: 0,
            min_numeric: 0,
            min_special: 0,
            override_special: None,
        }
    }

    fn count_in(s: &str, set: &str) -> usize {
        s.chars().filter(|c| set.contains(*c)).count()
    }

    #[test]
    fn default_special_set_has_the_21_terraform_characters() {
        assert_eq!(SPECIAL.chars().count(), 21);
        let s = generate(&params(400)).unwrap();
        assert_eq!(s.chars().count(), 400);
        assert!(
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c)),
            "{s}"
        );
        assert!(
            count_in(&s, SPECIAL) > 0,
            "400 draws over 83 characters found no special one"
        );
    }

    #[test]
    fn disabled_classes_are_left_out_of_the_pool() {
        let p = Params {
            upper: false,
            numeric: false,
            special: false,
            ..params(200)
        };
        let s = generate(&p).unwrap();
        assert!(s.chars().all(|c| c.is_ascii_lowercase()), "{s}");
    }

    #[test]
    fn minimums_are_drawn_even_from_disabled_classes() {
        let p = Params {
            upper: false,
            min_upper: 5,
            numeric: false,
            min_numeric: 3,
            special: false,
            ..params(10)
        };
        for _ in 0..20 {
            let s = generate(&p).unwrap();
            assert_eq!(s.chars().count(), 10);
            assert_eq!(count_in(&s, UPPER), 5, "{s}");
            assert_eq!(count_in(&s, NUMERIC), 3, "{s}");
            assert_eq!(count_in(&s, LOWER), 2, "{s}");
        }
    }

    #[test]
    fn override_special_replaces_the_set_and_counts_runes() {
        let p = Params {
            upper: false,
            lower: false,
            numeric: false,
            min_special: 4,
            override_special: Some("é€".into()),
            ..params(12)
        };
        let s = generate(&p).unwrap();
        assert_eq!(s.chars().count(), 12);
        assert!(s.chars().all(|c| c == 'é' || c == '€'), "{s}");
        let empty = Params {
            upper: false,
            lower: false,
            numeric: false,
            override_special: Some(String::new()),
            ..params(50)
        };
        assert!(generate(&empty)
            .unwrap()
            .chars()
            .all(|c| SPECIAL.contains(c)));
    }

    #[test]
    fn override_equal_to_a_class_set_lets_min_special_win_as_terraform_does() {
        let p = Params {
            min_numeric: 4,
            min_special: 1,
            override_special: Some(NUMERIC.into()),
            ..params(10)
        };
        assert_eq!(p.minimums(), vec![(NUMERIC, 1), (LOWER, 0), (UPPER, 0)]);
        // 1 drawn for the shared slot + (10 - 5) from the pool.
        assert_eq!(generate(&p).unwrap().chars().count(), 6);
    }

    #[test]
    fn the_order_is_shuffled() {
        // With minimums drawn first, an unshuffled result would start with the 8 digits.
        let p = Params {
            min_numeric: 8,
            upper: false,
            numeric: false,
            special: false,
            ..params(16)
        };
        let starts_with_digits = (0..20)
            .filter(|_| {
                generate(&p)
                    .unwrap()
                    .chars()
                    .take(8)
                    .all(|c| c.is_ascii_digit())
            })
            .count();
        assert!(starts_with_digits < 20);
    }

    #[test]
    fn an_empty_pool_is_an_error() {
        let p = Params {
            upper: false,
            lower: false,
            numeric: false,
            special: false,
            ..params(3)
        };
        assert!(generate(&p).is_err());
    }
}
