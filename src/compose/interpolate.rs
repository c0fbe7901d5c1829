//! Compose interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` for a literal `$`.

use crate::diag::Diagnostic;

/// Looks a variable up: the environment first, then the `.env` file.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Replaces every variable reference in `text`. The error says which reference failed; the
/// caller points it at the value in the file.
pub fn interpolate(text: &str, env: Lookup) -> Result<String, Diagnostic> {
    if !text.contains('$') {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(inner_start) = after.strip_prefix('{') {
            let end = closing_brace(inner_start).ok_or_else(|| {
                Diagnostic::error(format!("unterminated `${{` in `{text}`"))
                    .hint("close it with `}`, or write `$$` for a literal `$`")
            })?;
            out.push_str(&braced(&inner_start[..end], text, env)?);
            rest = &inner_start[end + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                return Err(Diagnostic::error(format!(
                    "invalid interpolation in `{text}`: `$` must be followed by a variable name or `{{`"
                ))
                .hint("write `$$` for a literal `$`"));
            }
            out.push_str(&env(&after[..len]).unwrap_or_default());
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn name_len(s: &str) -> usize {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        n = i + c.len_utf8();
    }
    n
}

/// The index of the `}` closing a `${`, counting nested `${ }` in defaults.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn braced(inner: &str, whole: &str, env: Lookup) -> Result<String, Diagnostic> {
    let len = name_len(inner);
    if len == 0 {
        return Err(Diagnostic::error(format!(
            "invalid interpolation `${{{inner}}}` in `{whole}`: expected a variable name"
        ))
        .hint("names hold letters, digits and `_`; write `$$` for a literal `$`"));
    }
    let (name, op) = inner.split_at(len);
    let value = env(name);
    let set = value.is_some();
    let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
    let arg = |n: usize| interpolate(&op[n..], env);
    match op {
        "" => Ok(value.unwrap_or_default()),
        o if o.starts_with(":-") => if non_empty { Ok(value.unwrap_or_default()) } else { arg(2) },
        o if o.starts_with('-') => if set { Ok(value.unwrap_or_default()) } else { arg(1) },
        o if o.starts_with(":+") => if non_empty { arg(2) } else { Ok(String::new()) },
        o if o.starts_with('+') => if set { arg(1) } else { Ok(String::new()) },
        o if o.starts_with(":?") || o.starts_with('?') => {
            let ok = if o.starts_with(':') { non_empty } else { set };
            if ok {
                return Ok(value.unwrap_or_default());
            }
            let message = arg(if o.starts_with(':') { 2 } else { 1 })?;
            Err(Diagnostic::error(format!(
                "required variable `{name}` is missing a value{}",
                if message.is_empty() { String::new() } else { format!(": {message}") }
            ))
            .hint(format!("set `{name}` in the environment or in the `.env` file beside the compose file")))
        }
        _ => Err(Diagnostic::error(format!(
            "invalid interpolation `${{{inner}}}` in `{whole}`"
        ))
        .hint("use `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` or `${VAR:+alt}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        match k {
            "USER" => Some("ada".into()),
            "EMPTY" => Some(String::new()),
            "PORT" => Some("5432".into()),
            _ => None,
        }
    }

    fn i(s: &str) -> String {
        interpolate(s, &env).unwrap()
    }

    #[test]
    fn forms_of_the_spec() {
        assert_eq!(i("${USER}-$USER"), "ada-ada");
        assert_eq!(i("$${NOT} costs $$5"), "${NOT} costs $5");
        assert_eq!(
            i("${NOPE:-dflt} ${EMPTY:-dflt} ${EMPTY-dflt}|"),
            "dflt dflt |"
        );
        assert_eq!(i("${NOPE-x}${USER-x}"), "xada");
        assert_eq!(i("${USER:+set}${NOPE:+set}${EMPTY+e}"), "sete");
        assert_eq!(i("${NOPE:-${PORT}}"), "5432");
        assert_eq!(i("${NOPE}"), "");
        assert_eq!(i("plain"), "plain");
        assert_eq!(i("${USER:?needed}"), "ada");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = interpolate("${NOPE:?set a password}", &env).unwrap_err();
        assert_eq!(
            e.message,
            "required variable `NOPE` is missing a value: set a password"
        );
        assert!(interpolate("${EMPTY?x}", &env).is_ok());
        assert!(interpolate("${EMPTY:?x}", &env).is_err());
        let e = interpolate("${USER", &env).unwrap_err();
        assert!(e.message.contains("unterminated"), "{}", e.message);
        let e = interpolate("cost $ 5", &env).unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("write `$$` for a literal `$`"));
        assert!(interpolate("${US ER}", &env).is_err());
    }
}
