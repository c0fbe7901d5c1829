//! Number formatting as Go's `fmt` prints `big.Float` and `big.Int` values, which Terraform's
//! `format` relies on for `%d %b %o %x %X %e %E %f %g %G` and for `%v` of a number.

/// The flags, width and precision of one format verb.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Spec {
    pub zero: bool,
    pub sharp: bool,
    pub plus: bool,
    pub minus: bool,
    pub space: bool,
    pub width: Option<usize>,
    pub prec: Option<usize>,
}

/// Decimal digits of a finite, non-negative number: `0.d1d2d3... * 10^exp`, without trailing
/// zeros (`digits` is empty for zero).
struct Decimal {
    digits: Vec<u8>,
    exp: i32,
}

/// Rust's `{:e}` output ("1.2345e-7") parsed into a [`Decimal`].
fn decimal_from_sci(text: &str) -> Decimal {
    let (mant, exp) = text.split_once('e').unwrap_or((text, "0"));
    let mut digits: Vec<u8> = mant
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let exp = exp.parse::<i32>().unwrap_or(0) + 1;
    if digits.is_empty() {
        return Decimal { digits, exp: 0 };
    }
    Decimal { digits, exp }
}

/// The shortest digits that round-trip.
fn shortest(x: f64) -> Decimal {
    decimal_from_sci(&format!("{:e}", x.abs()))
}

/// Rounded to `sig` significant digits (at least 1).
fn rounded(x: f64, sig: usize) -> Decimal {
    decimal_from_sci(&format!("{:.*e}", sig.max(1) - 1, x.abs()))
}

fn digit_string(d: &Decimal, from: usize, to: usize) -> String {
    (from..to)
        .map(|i| char::from(b'0' + d.digits.get(i).copied().unwrap_or(0)))
        .collect()
}

/// `%e` from a decimal with `frac` fractional digits.
fn fmt_e(d: &Decimal, frac: usize, upper: bool) -> String {
    let mut out = digit_string(d, 0, 1);
    if frac > 0 {
        out.push('.');
        out.push_str(&digit_string(d, 1, frac + 1));
    }
    let exp = if d.digits.is_empty() { 0 } else { d.exp - 1 };
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.unsigned_abs()));
    out
}

/// `%f` from a decimal with `frac` fractional digits.
fn fmt_f(d: &Decimal, frac: usize) -> String {
    let mut out = String::new();
    if d.exp > 0 {
        out.push_str(&digit_string(d, 0, d.exp as usize));
    } else {
        out.push('0');
    }
    if frac > 0 {
        out.push('.');
        for i in 0..frac {
            let idx = d.exp as i64 + i as i64;
            let digit = if idx < 0 {
                0
            } else {
                d.digits.get(idx as usize).copied().unwrap_or(0)
            };
            out.push(char::from(b'0' + digit));
        }
    }
    out
}

/// Go's `%g` of a big.Float: `prec` significant digits, or the shortest representation.
fn fmt_g(x: f64, prec: Option<usize>, upper: bool) -> String {
    let (d, mut prec, short) = match prec {
        None => {
            let d = shortest(x);
            let len = d.digits.len();
            (d, len, true)
        }
        Some(p) => (rounded(x, p.max(1)), p.max(1), false),
    };
    let len = d.digits.len();
    let mut eprec = prec as i64;
    if eprec > len as i64 && len as i64 >= d.exp as i64 {
        eprec = len as i64;
    }
    if short {
        eprec = 6;
    }
    let exp = if len == 0 { 0 } else { d.exp as i64 - 1 };
    if exp < -4 || exp >= eprec {
        if prec > len {
            prec = len;
        }
        return fmt_e(&d, prec.saturating_sub(1), upper);
    }
    if prec as i64 > d.exp as i64 {
        prec = len;
    }
    fmt_f(&d, (prec as i64 - d.exp as i64).max(0) as usize)
}

/// `%v` of a number: Go's `big.Float.Text('g', -1)`.
pub(crate) fn shortest_g(x: f64) -> String {
    let body = fmt_g(x, None, false);
    if x.is_sign_negative() && x != 0.0 {
        format!("-{body}")
    } else {
        body
    }
}

/// `%e %E %f %g %G` of a finite number, with flags, width and precision.
pub(crate) fn float(x: f64, verb: char, spec: &Spec) -> String {
    let body = match verb {
        'e' | 'E' => fmt_e(
            &rounded(x, spec.prec.unwrap_or(6) + 1),
            spec.prec.unwrap_or(6),
            verb == 'E',
        ),
        'f' => format!("{:.*}", spec.prec.unwrap_or(6), x.abs()),
        _ => fmt_g(x, spec.prec, verb == 'G'),
    };
    let sign = if x.is_sign_negative() {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    pad_number(sign, "", "", &body, spec, false)
}

/// `%b %d %o %x %X` of a whole number.
pub(crate) fn integer(x: f64, verb: char, spec: &Spec) -> Result<String, String> {
    let base = match verb {
        'b' => 2,
        'o' => 8,
        'x' | 'X' => 16,
        _ => 10,
    };
    let magnitude = x.abs();
    let mut digits = if magnitude < 3.4e38 {
        to_base(magnitude as u128, base)
    } else if base == 10 {
        format!("{magnitude:.0}")
    } else {
        return Err("number is too large to format in this base".to_string());
    };
    if verb == 'X' {
        digits = digits.to_uppercase();
    }
    let sign = if x < 0.0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let prefix = match (spec.sharp, verb) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let mut zeros = String::new();
    if let Some(p) = spec.prec {
        if digits.len() < p {
            zeros = "0".repeat(p - digits.len());
        } else if digits == "0" && p == 0 {
            return Ok(String::new());
        }
    }
    Ok(pad_number(sign, prefix, &zeros, &digits, spec, true))
}

fn to_base(mut n: u128, base: u128) -> String {
    if n == 0 {
        return "0".to_string();
    }
    let mut out = Vec::new();
    while n > 0 {
        let d = (n % base) as u32;
        out.push(char::from_digit(d, base as u32).unwrap_or('?'));
        n /= base;
    }
    out.iter().rev().collect()
}

/// Applies the width: `-` pads on the right (and wins over `0`), `0` pads with zeros after
/// the sign (for integers only when no precision is given), otherwise spaces on the left.
fn pad_number(
    sign: &str,
    prefix: &str,
    zeros: &str,
    digits: &str,
    spec: &Spec,
    is_int: bool,
) -> String {
    let len = sign.len() + prefix.len() + zeros.len() + digits.chars().count();
    let pad = spec.width.map(|w| w.saturating_sub(len)).unwrap_or(0);
    let zero_ok = spec.zero && !spec.minus && !(is_int && spec.prec.is_some());
    if spec.minus {
        format!("{sign}{prefix}{zeros}{digits}{}", " ".repeat(pad))
    } else if zero_ok {
        format!("{sign}{prefix}{}{zeros}{digits}", "0".repeat(pad))
    } else {
        format!("{}{sign}{prefix}{zeros}{digits}", " ".repeat(pad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(width: Option<usize>, prec: Option<usize>) -> Spec {
        Spec {
            width,
            prec,
            ..Spec::default()
        }
    }

    #[test]
    fn shortest_g_matches_go() {
        assert_eq!(shortest_g(2.0), "2");
        assert_eq!(shortest_g(1000.0), "1000");
        assert_eq!(shortest_g(100000.0), "100000");
        assert_eq!(shortest_g(1234567.0), "1.234567e+06");
        assert_eq!(shortest_g(1e-23), "1e-23");
        assert_eq!(shortest_g(0.0001), "0.0001");
        assert_eq!(shortest_g(0.00001), "1e-05");
        assert_eq!(shortest_g(-3.5), "-3.5");
        assert_eq!(shortest_g(0.0), "0");
    }

    #[test]
    fn floats_match_go() {
        assert_eq!(float(10.0, 'f', &Spec::default()), "10.000000");
        assert_eq!(float(1000.0, 'e', &Spec::default()), "1.000000e+03");
        assert_eq!(float(1000.0, 'E', &Spec::default()), "1.000000E+03");
        assert_eq!(float(1000.0, 'g', &Spec::default()), "1000");
        assert_eq!(float(1.06, 'f', &spec(None, Some(1))), "1.1");
        assert_eq!(
            float(
                7.12345,
                'f',
                &Spec {
                    zero: true,
                    ..spec(Some(5), Some(2))
                }
            ),
            "07.12"
        );
        assert_eq!(
            float(
                -7.12345,
                'f',
                &Spec {
                    zero: true,
                    ..spec(Some(7), Some(2))
                }
            ),
            "-007.12"
        );
        assert_eq!(
            float(
                7.12345,
                'f',
                &Spec {
                    minus: true,
                    zero: true,
                    ..spec(Some(6), Some(2))
                }
            ),
            "7.12  "
        );
        assert_eq!(
            float(
                10.0,
                'f',
                &Spec {
                    plus: true,
                    ..Spec::default()
                }
            ),
            "+10.000000"
        );
        assert_eq!(
            float(
                10.0,
                'f',
                &Spec {
                    space: true,
                    ..Spec::default()
                }
            ),
            " 10.000000"
        );
        assert_eq!(
            float(
                -10.0,
                'f',
                &Spec {
                    space: true,
                    ..Spec::default()
                }
            ),
            "-10.000000"
        );
        assert_eq!(float(1234.5678, 'g', &spec(None, Some(3))), "1.23e+03");
        assert_eq!(float(0.000012345, 'e', &spec(None, Some(2))), "1.23e-05");
        assert_eq!(float(0.0, 'e', &Spec::default()), "0.000000e+00");
    }

    #[test]
    fn integers_match_go() {
        let d = Spec::default();
        assert_eq!(integer(10.0, 'd', &d).unwrap(), "10");
        assert_eq!(integer(5.0, 'b', &d).unwrap(), "101");
        assert_eq!(integer(9.0, 'o', &d).unwrap(), "11");
        assert_eq!(integer(254.0, 'x', &d).unwrap(), "fe");
        assert_eq!(integer(254.0, 'X', &d).unwrap(), "FE");
        assert_eq!(
            integer(-254.0, 'x', &Spec { sharp: true, ..d }).unwrap(),
            "-0xfe"
        );
        assert_eq!(integer(10.0, 'd', &spec(Some(5), None)).unwrap(), "   10");
        assert_eq!(
            integer(
                -10.0,
                'd',
                &Spec {
                    zero: true,
                    ..spec(Some(5), None)
                }
            )
            .unwrap(),
            "-0010"
        );
        assert_eq!(
            integer(
                10.0,
                'd',
                &Spec {
                    minus: true,
                    ..spec(Some(5), None)
                }
            )
            .unwrap(),
            "10   "
        );
        assert_eq!(integer(7.0, 'd', &spec(Some(5), Some(3))).unwrap(), "  007");
        assert_eq!(integer(1e20, 'd', &d).unwrap(), "100000000000000000000");
    }
}
