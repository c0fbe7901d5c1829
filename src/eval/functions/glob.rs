//! Glob patterns for `fileset`: `*`, `?`, `[class]`, `{alt,alt}` and `**` for any number of
//! directories, matched against slash-separated relative paths.

use std::collections::HashSet;

/// A compiled pattern: its brace alternatives, each split into path segments.
pub(crate) struct Pattern {
    alternatives: Vec<Vec<String>>,
}

/// Brace expansion beyond this many alternatives is refused.
const MAX_ALTERNATIVES: usize = 1024;

impl Pattern {
    pub(crate) fn new(pattern: &str) -> Result<Pattern, String> {
        let mut expanded = Vec::new();
        expand_braces(pattern, &mut expanded)?;
        let mut alternatives = Vec::new();
        for alt in expanded {
            let mut segments: Vec<String> = alt.split('/').map(str::to_string).collect();
            // `**/**` means the same as `**`; collapsing keeps matching cheap.
            segments.dedup_by(|a, b| a == "**" && b == "**");
            for seg in &segments {
                check_classes(seg).map_err(|e| format!("invalid pattern `{pattern}`: {e}"))?;
            }
            alternatives.push(segments);
        }
        Ok(Pattern { alternatives })
    }

    pub(crate) fn matches(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').collect();
        self.alternatives
            .iter()
            .any(|segs| match_segments(segs, &parts, 0, 0, &mut HashSet::new()))
    }
}

fn expand_braces(pattern: &str, out: &mut Vec<String>) -> Result<(), String> {
    let Some(open) = pattern.find('{') else {
        if out.len() >= MAX_ALTERNATIVES {
            return Err(format!("pattern `{pattern}` has too many alternatives"));
        }
        out.push(pattern.to_string());
        return Ok(());
    };
    let mut depth = 0;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, c) in pattern[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(open + i),
            _ => {}
        }
    }
    let close = close.ok_or_else(|| format!("invalid pattern `{pattern}`: unclosed `{{`"))?;
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    let mut start = open + 1;
    for end in commas.into_iter().chain(std::iter::once(close)) {
        expand_braces(&format!("{head}{}{tail}", &pattern[start..end]), out)?;
        start = end + 1;
    }
    Ok(())
}

fn check_classes(seg: &str) -> Result<(), String> {
    let mut chars = seg.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' if !chars.by_ref().any(|c| c == ']') => return Err("unclosed `[`".to_string()),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `segs[si..]` matches `parts[pi..]`; `failed` remembers positions already known not
/// to match, which keeps patterns with several `**` polynomial.
fn match_segments(
    segs: &[String],
    parts: &[&str],
    si: usize,
    pi: usize,
    failed: &mut HashSet<(usize, usize)>,
) -> bool {
    if failed.contains(&(si, pi)) {
        return false;
    }
    let matched = match segs.get(si) {
        None => pi == parts.len(),
        Some(seg) if seg == "**" => {
            (pi..=parts.len()).any(|p| match_segments(segs, parts, si + 1, p, failed))
        }
        Some(seg) => match parts.get(pi) {
            Some(part) => {
                match_segment(seg, part) && match_segments(segs, parts, si + 1, pi + 1, failed)
            }
            None => false,
        },
    };
    if !matched {
        failed.insert((si, pi));
    }
    matched
}

/// Matches one path segment; `*` does not cross `/` because segments hold none.
fn match_segment(pat: &str, text: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking to the last `*`, linear in practice.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = match_class(&p, pi, t[ti]) {
                        if matched {
                            pi = next;
                            ti += 1;
                            continue;
                        }
                    }
                }
                '\\' if pi + 1 < p.len() && p[pi + 1] == t[ti] => {
                    pi += 2;
                    ti += 1;
                    continue;
                }
                c if c == t[ti] => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Matches `c` against the class starting at `p[start] == '['`; returns whether it matched and
/// the index after the closing `]`.
fn match_class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(p.get(i), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negated, i + 1));
        }
        first = false;
        let lo = p[i];
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            matched |= lo <= c && c <= p[i + 2];
            i += 3;
        } else {
            matched |= lo == c;
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_doublestar() {
        let m = |pat: &str, path: &str| Pattern::new(pat).map(|p| p.matches(path)).unwrap_or(false);
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "dir/a.txt"));
        assert!(m("**/*.txt", "a.txt"));
        assert!(m("**/*.txt", "x/y/a.txt"));
        assert!(m("x/**", "x/y/z"));
        assert!(m("?.md", "a.md"));
        assert!(m("[a-c]*.md", "beta.md"));
        assert!(!m("[!a-c]*.md", "beta.md"));
        assert!(m("{a,b}/*.tf", "b/main.tf"));
        assert!(m("a*b*c", "aXXbYYc"));
        assert!(!m("a*b*c", "aXXbYY"));
        assert!(Pattern::new("{a,b").is_err());
        assert!(!m("**/a/**/a/**/a/**/a/**/b", &["a"; 60].join("/")));
        assert!(m("**/**/x", "x"));
        assert!(Pattern::new("[ab").is_err());
    }
}
