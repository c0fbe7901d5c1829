//! Encoding functions: `base64encode`, `base64decode`, `urlencode`, `textencodebase64`,
//! `textdecodebase64` (UTF-8 and UTF-16 only), `csvdecode`.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use labform_sdk::Value;

use super::spec::{f, p, str_at, Func, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("base64encode", &[p("str", S)], base64encode),
    f("base64decode", &[p("str", S)], base64decode),
    f("urlencode", &[p("str", S)], urlencode),
    f(
        "textencodebase64",
        &[p("string", S), p("encoding", S)],
        textencodebase64,
    ),
    f(
        "textdecodebase64",
        &[p("source", S), p("encoding", S)],
        textdecodebase64,
    ),
    f("csvdecode", &[p("str", S)], csvdecode),
];

fn base64encode(a: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::String(STANDARD.encode(str_at(a, 0)?)))
}

/// Decodes standard, padded base64 (line breaks are ignored, as Go does).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let cleaned: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    STANDARD.decode(cleaned).ok()
}

fn base64decode(a: &[Value], _: &FunctionContext) -> FnResult {
    let text = str_at(a, 0)?;
    let bytes = decode_base64(text)
        .ok_or_else(|| FunctionError::arg(0, format!("failed to decode base64 data `{text}`")))?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        FunctionError::arg(
            0,
            "the result of decoding the provided string is not valid UTF-8",
        )
    })
}

/// Go's `url.QueryEscape`: unreserved characters stay, space becomes `+`, the rest `%XX`.
fn urlencode(a: &[Value], _: &FunctionContext) -> FnResult {
    let escaped = labform_sdk::encode::escape_unreserved(str_at(a, 0)?);
    Ok(Value::String(escaped.replace("%20", "+")))
}

#[derive(Clone, Copy)]
enum TextEncoding {
    Utf8,
    Latin1,
    Ascii,
    Utf16Le,
    Utf16Be,
}

fn encoding_arg(a: &[Value], i: usize) -> Result<TextEncoding, FunctionError> {
    let name = str_at(a, i)?;
    match name.to_ascii_uppercase().replace('_', "-").as_str() {
        "UTF-8" | "UTF8" => Ok(TextEncoding::Utf8),
        "UTF-16LE" | "UTF16LE" => Ok(TextEncoding::Utf16Le),
        "UTF-16BE" | "UTF16BE" => Ok(TextEncoding::Utf16Be),
        "ISO-8859-1" | "ISO8859-1" | "LATIN1" | "L1" | "IBM819" | "CP819" | "CSISOLATIN1" => {
            Ok(TextEncoding::Latin1)
        }
        "US-ASCII" | "ASCII" | "CSASCII" => Ok(TextEncoding::Ascii),
        _ => Err(FunctionError::arg(
            i,
            format!("`{name}` is not a supported IANA encoding name or alias in labform (supported: UTF-8, UTF-16LE, UTF-16BE)"),
        )),
    }
}

fn textencodebase64(a: &[Value], _: &FunctionContext) -> FnResult {
    let text = str_at(a, 0)?;
    let encoding = encoding_arg(a, 1)?;
    let unrepresentable = || {
        FunctionError::arg(
            0,
            format!(
                "the given string contains characters that cannot be represented in {}",
                str_at(a, 1).unwrap_or("")
            ),
        )
    };
    let bytes: Vec<u8> = match encoding {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Latin1 | TextEncoding::Ascii => {
            let max = if matches!(encoding, TextEncoding::Latin1) {
                0xff
            } else {
                0x7f
            };
            text.chars()
                .map(|c| u8::try_from(c as u32).ok().filter(|b| u32::from(*b) <= max))
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(unrepresentable)?
        }
        TextEncoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        TextEncoding::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
    };
    Ok(Value::String(STANDARD.encode(bytes)))
}

fn textdecodebase64(a: &[Value], _: &FunctionContext) -> FnResult {
    let source = str_at(a, 0)?;
    let encoding = encoding_arg(a, 1)?;
    let bytes = decode_base64(source)
        .ok_or_else(|| FunctionError::arg(0, "the given value is has an invalid base64 symbol"))?;
    let invalid = || {
        FunctionError::arg(
            0,
            "the given string contains symbols that are not defined for the encoding",
        )
    };
    let text = match encoding {
        TextEncoding::Utf8 => String::from_utf8(bytes).map_err(|_| invalid())?,
        TextEncoding::Latin1 => bytes.iter().map(|b| char::from(*b)).collect(),
        TextEncoding::Ascii if bytes.is_ascii() => bytes.iter().map(|b| char::from(*b)).collect(),
        TextEncoding::Ascii => return Err(invalid()),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            if bytes.len() % 2 != 0 {
                return Err(invalid());
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| match encoding {
                    TextEncoding::Utf16Le => u16::from_le_bytes([c[0], c[1]]),
                    _ => u16::from_be_bytes([c[0], c[1]]),
                })
                .collect();
            String::from_utf16(&units).map_err(|_| invalid())?
        }
    };
    Ok(Value::String(text))
}

/// RFC 4180 CSV: the first row names the columns; every row becomes an object of strings.
fn csvdecode(a: &[Value], _: &FunctionContext) -> FnResult {
    let rows = parse_csv(str_at(a, 0)?).map_err(|e| FunctionError::arg(0, e))?;
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Ok(Value::List(Vec::new()));
    };
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        if row.len() != header.len() {
            return Err(FunctionError::arg(
                0,
                format!("record on line {} has wrong number of fields", i + 2),
            ));
        }
        let obj: BTreeMap<String, Value> = header
            .iter()
            .cloned()
            .zip(row.into_iter().map(Value::String))
            .collect();
        out.push(Value::Object(obj));
    }
    Ok(Value::List(out))
}

fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut line = 1;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => {
                    if other == '\n' {
                        line += 1;
                    }
                    field.push(other);
                }
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => return Err(format!("bare `\"` in non-quoted field on line {line}")),
            ',' => {
                row.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_field_start = true;
                line += 1;
            }
            other => {
                field.push(other);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(format!(
            "extraneous or missing `\"` in quoted field on line {line}"
        ));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    // Go's reader skips empty lines.
    rows.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn base64_matches_the_docs() {
        assert_eq!(
            call_ok("base64encode", vec![s("Hello World")]),
            s("SGVsbG8gV29ybGQ=")
        );
        assert_eq!(
            call_ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]),
            s("Hello World")
        );
        assert!(try_call("base64decode", vec![s("SGVsbG8gV29ybGQ")]).is_err());
        assert!(try_call("base64decode", vec![s("/w==")]).is_err());
        assert_eq!(
            call_ok("textencodebase64", vec![s("Hello World"), s("UTF-16LE")]),
            s("SABlAGwAbABvACAAVwBvAHIAbABkAA==")
        );
        assert_eq!(
            call_ok(
                "textdecodebase64",
                vec![s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")]
            ),
            s("Hello World")
        );
        assert!(try_call("textencodebase64", vec![s("x"), s("EBCDIC")]).is_err());
        assert_eq!(
            call_ok("textencodebase64", vec![s("é"), s("latin1")]),
            s("6Q==")
        );
        assert_eq!(
            call_ok("textdecodebase64", vec![s("6Q=="), s("ISO-8859-1")]),
            s("é")
        );
        assert!(try_call("textencodebase64", vec![s("é"), s("US-ASCII")]).is_err());
    }

    #[test]
    fn urlencode_matches_the_docs() {
        assert_eq!(
            call_ok("urlencode", vec![s("Hello World!")]),
            s("Hello+World%21")
        );
        assert_eq!(call_ok("urlencode", vec![s("☃")]), s("%E2%98%83"));
        assert_eq!(
            call_ok("urlencode", vec![s("foo:bar@localhost?foo=bar&bar=baz")]),
            s("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")
        );
    }

    #[test]
    fn csvdecode_matches_the_docs() {
        assert_eq!(
            call_ok("csvdecode", vec![s("a,b,c\n1,2,3\n4,5,6")]),
            list(vec![
                obj(vec![("a", s("1")), ("b", s("2")), ("c", s("3"))]),
                obj(vec![("a", s("4")), ("b", s("5")), ("c", s("6"))]),
            ])
        );
        assert_eq!(
            call_ok(
                "csvdecode",
                vec![s("name,note\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n")]
            ),
            list(vec![obj(vec![
                ("name", s("x, y")),
                ("note", s("say \"hi\""))
            ])])
        );
        assert!(try_call("csvdecode", vec![s("a,b\n1")]).is_err());
        assert!(try_call("csvdecode", vec![s("a\n\"1")]).is_err());
    }
}
