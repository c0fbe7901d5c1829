//! File and directory permission strings (`"0644"`), as hashicorp/local validates and parses them.

use labform_sdk::{ProviderError, Result};

/// Parses a 3 or 4 digit octal mode no greater than `0777`.
pub fn parse(attr: &str, text: &str) -> Result<u32> {
    let hint = || format!("write `{attr}` as 3 or 4 octal digits, such as `\"0644\"`");
    if text.len() != 3 && text.len() != 4 {
        return Err(ProviderError::invalid(format!(
            "`{attr}` must be 3 or 4 digits long, got `{text}`"
        ))
        .with_hint(hint()));
    }
    let octal = text.chars().all(|c| ('0'..='7').contains(&c));
    let mode = u32::from_str_radix(text, 8)
        .ok()
        .filter(|_| octal)
        .ok_or_else(|| {
            ProviderError::invalid(format!("`{attr}` must be octal, got `{text}`"))
                .with_hint(hint())
        })?;
    if mode > 0o777 {
        return Err(ProviderError::invalid(format!(
            "`{attr}` must be at most `0777`, got `{text}`"
        ))
        .with_hint(hint()));
    }
    Ok(mode)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_octal_modes_up_to_0777() {
        assert_eq!(parse("p", "0644").unwrap(), 0o644);
        assert_eq!(parse("p", "755").unwrap(), 0o755);
        assert_eq!(parse("p", "0777").unwrap(), 0o777);
    }

    #[test]
    fn refuses_what_terraform_refuses() {
        for bad in ["64", "00644", "0688", "1777", "rwx", "", "+644", "-64"] {
            assert!(parse("p", bad).is_err(), "{bad}");
        }
    }
}
