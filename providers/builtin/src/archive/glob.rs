//! `excludes` patterns, matched as hashicorp/archive matches them (bmatcuk/doublestar v4
//! `PathMatch`): `*`, `?`, `[class]`, `{alt,ernatives}`, `\` escapes, and `**` as a whole path
//! segment for zero or more directories. The whole path must match.

/// Whether `path` (`/`-separated, relative to `source_dir`) matches `pattern`.
pub fn path_match(pattern: &str, path: &str) -> Result<bool, String> {
    let names: Vec<&str> = path.split('/').collect();
    for alternative in expand_braces(pattern)? {
        let segments: Vec<&str> = alternative.split('/').collect();
        if match_segments(&segments, &names)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn match_segments(pats: &[&str], names: &[&str]) -> Result<bool, String> {
    match pats.split_first() {
        None => Ok(names.is_empty()),
        Some((&"**", rest)) => {
            for skip in 0..=names.len() {
                if match_segments(rest, &names[skip..])? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Some((pat, rest)) => match names.split_first() {
            Some((name, names)) => {
                let pat: Vec<char> = pat.chars().collect();
                let name: Vec<char> = name.chars().collect();
                Ok(match_segment(&pat, &name)? && match_segments(rest, names)?)
            }
            None => Ok(false),
        },
    }
}

/// One segment: `*` any run of characters, `?` one, `[...]` a class, `\x` a literal x.
fn match_segment(pat: &[char], name: &[char]) -> Result<bool, String> {
    match pat.split_first() {
        None => Ok(name.is_empty()),
        Some(('*', rest)) => {
            for skip in 0..=name.len() {
                if match_segment(rest, &name[skip..])? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Some(('?', rest)) => match name.split_first() {
            Some((_, name)) => match_segment(rest, name),
            None => Ok(false),
        },
        Some(('[', rest)) => {
            let (matches, rest) = class(rest, name.first().copied())?;
            match (matches, name.split_first()) {
                (true, Some((_, name))) => match_segment(rest, name),
                _ => Ok(false),
            }
        }
        Some(('\\', rest)) => match rest.split_first() {
            Some((c, rest)) => literal(*c, rest, name),
            None => Err("the pattern ends in a lone `\\`".to_string()),
        },
        Some((c, rest)) => literal(*c, rest, name),
    }
}

fn literal(c: char, rest: &[char], name: &[char]) -> Result<bool, String> {
    match name.split_first() {
        Some((n, name)) if *n == c => match_segment(rest, name),
        _ => Ok(false),
    }
}

/// A `[...]` class (after the `[`): whether `c` is in it, and the pattern after the `]`.
fn class(pat: &[char], c: Option<char>) -> Result<(bool, &[char]), String> {
    let unclosed = || "a `[` class is not closed".to_string();
    let (negate, mut i) = match pat.first() {
        Some('!') | Some('^') => (true, 1),
        _ => (false, 0),
    };
    let mut found = false;
    let mut first = true;
    loop {
        let mut lo = *pat.get(i).ok_or_else(unclosed)?;
        if lo == ']' && !first {
            break;
        }
        first = false;
        if lo == '\\' {
            i += 1;
            lo = *pat.get(i).ok_or_else(unclosed)?;
        }
        let mut hi = lo;
        if pat.get(i + 1) == Some(&'-') && pat.get(i + 2).is_some_and(|c| *c != ']') {
            i += 2;
            hi = pat[i];
            if hi == '\\' {
                i += 1;
                hi = *pat.get(i).ok_or_else(unclosed)?;
            }
        }
        if c.is_some_and(|c| lo <= c && c <= hi) {
            found = true;
        }
        i += 1;
    }
    Ok((c.is_some() && found != negate, &pat[i + 1..]))
}

/// Every pattern `{a,b}` alternatives stand for (nested braces allowed).
fn expand_braces(pattern: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0usize;
    let mut open = None;
    let mut commas = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            ',' if depth == 1 => commas.push(i),
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let Some(start) = open else { break };
                    let head: String = chars[..start].iter().collect();
                    let tail: String = chars[i + 1..].iter().collect();
                    let mut bounds = vec![start];
                    bounds.extend(&commas);
                    bounds.push(i);
                    let mut out = Vec::new();
                    for pair in bounds.windows(2) {
                        let alt: String = chars[pair[0] + 1..pair[1]].iter().collect();
                        out.extend(expand_braces(&format!("{head}{alt}{tail}"))?);
                    }
                    return Ok(out);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth > 0 {
        return Err("a `{` alternative is not closed".to_string());
    }
    Ok(vec![pattern.to_string()])
}

#[cfg(test)]
mod tests {
    use super::path_match;

    fn m(p: &str, s: &str) -> bool {
        path_match(p, s).unwrap()
    }

    #[test]
    fn stars_stay_within_a_segment() {
        assert!(m("*.pyc", "a.pyc"));
        assert!(!m("*.pyc", "dir/a.pyc"));
        assert!(m("dir/*", "dir/a"));
        assert!(!m("dir/*", "dir/a/b"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "a/c"));
    }

    #[test]
    fn double_star_spans_zero_or_more_directories() {
        assert!(m("**/*.pyc", "a.pyc"));
        assert!(m("**/*.pyc", "x/y/a.pyc"));
        assert!(m("node_modules/**", "node_modules/x/y"));
        assert!(m("a/**/b", "a/b"));
        assert!(m("a/**/b", "a/x/y/b"));
        assert!(m("**", "anything/at/all"));
        assert!(!m("a/**/b", "a/x/c"));
    }

    #[test]
    fn classes_alternatives_and_escapes() {
        assert!(m("file[0-9].txt", "file3.txt"));
        assert!(!m("file[!0-9].txt", "file3.txt"));
        assert!(m("file[!0-9].txt", "filex.txt"));
        assert!(m("*.{js,ts}", "a.ts"));
        assert!(m("{src,test}/**/*.rs", "test/x/y.rs"));
        assert!(!m("*.{js,ts}", "a.rs"));
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
    }

    #[test]
    fn whole_names_only() {
        assert!(m("test-file.txt", "test-file.txt"));
        assert!(!m("test-file", "test-file.txt"));
        assert!(m("test-dir1", "test-dir1"));
        assert!(!m("dir", "dir/file"));
    }

    #[test]
    fn malformed_patterns_are_errors() {
        assert!(path_match("a[bc", "ab").is_err());
        assert!(path_match("{a,b", "a").is_err());
    }
}
