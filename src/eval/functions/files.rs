//! File functions: `file`, `fileexists`, `filebase64`, the `file*` hashes, `fileset` and
//! `templatefile`. Relative paths resolve against the stack directory.

use std::collections::BTreeMap;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use labform_sdk::types::normalize_set;
use labform_sdk::Value;

use super::crypto::{base64_digest, hex_digest, Hash};
use super::glob;
use super::paths::{clean, resolve};
use super::spec::{f, p, str_at, Func, A, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("file", &[p("path", S)], file),
    f("fileexists", &[p("path", S)], fileexists),
    f("filebase64", &[p("path", S)], |a, c| {
        Ok(Value::String(STANDARD.encode(read(a, c)?)))
    }),
    f("filemd5", &[p("path", S)], |a, c| {
        Ok(hex_digest(Hash::Md5, &read(a, c)?))
    }),
    f("filesha1", &[p("path", S)], |a, c| {
        Ok(hex_digest(Hash::Sha1, &read(a, c)?))
    }),
    f("filesha256", &[p("path", S)], |a, c| {
        Ok(hex_digest(Hash::Sha256, &read(a, c)?))
    }),
    f("filesha512", &[p("path", S)], |a, c| {
        Ok(hex_digest(Hash::Sha512, &read(a, c)?))
    }),
    f("filebase64sha256", &[p("path", S)], |a, c| {
        Ok(base64_digest(Hash::Sha256, &read(a, c)?))
    }),
    f("filebase64sha512", &[p("path", S)], |a, c| {
        Ok(base64_digest(Hash::Sha512, &read(a, c)?))
    }),
    f("fileset", &[p("path", S), p("pattern", S)], fileset),
    f(
        "templatefile",
        &[p("path", S), p("vars", A).unknown()],
        templatefile,
    ),
];

/// The bytes of the file named by argument 0.
fn read(a: &[Value], ctx: &FunctionContext) -> Result<Vec<u8>, FunctionError> {
    read_path(ctx, str_at(a, 0)?)
}

fn read_path(ctx: &FunctionContext, given: &str) -> Result<Vec<u8>, FunctionError> {
    let path = resolve(ctx, given, 0)?;
    let meta = std::fs::metadata(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FunctionError::arg(
            0,
            format!(
                "no file exists at `{given}`; this function works only with files that are distributed as part of the configuration source code, so if this file will be created by a resource in this configuration you must instead obtain this result from an attribute of that resource"
            ),
        ),
        _ => FunctionError::arg(0, format!("cannot read `{given}`: {e}")),
    })?;
    if !meta.is_file() {
        return Err(FunctionError::arg(0, not_regular(given, &meta)));
    }
    std::fs::read(&path)
        .map_err(|e| FunctionError::arg(0, format!("failed to read `{given}`: {e}")))
}

fn not_regular(given: &str, meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        format!("`{given}` is a directory, not a file")
    } else if t.is_block_device() || t.is_char_device() {
        format!("`{given}` is a device node, not a regular file")
    } else if t.is_fifo() {
        format!("`{given}` is a named pipe, not a regular file")
    } else if t.is_socket() {
        format!("`{given}` is a unix domain socket, not a regular file")
    } else {
        format!("`{given}` is not a regular file")
    }
}

fn utf8(bytes: Vec<u8>, given: &str) -> Result<String, FunctionError> {
    String::from_utf8(bytes).map_err(|_| {
        FunctionError::arg(
            0,
            format!(
                "contents of `{given}` are not valid UTF-8; use the filebase64 function to obtain the base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead"
            ),
        )
    })
}

fn file(a: &[Value], ctx: &FunctionContext) -> FnResult {
    let given = str_at(a, 0)?;
    utf8(read_path(ctx, given)?, given).map(Value::String)
}

fn fileexists(a: &[Value], ctx: &FunctionContext) -> FnResult {
    let given = str_at(a, 0)?;
    let path = resolve(ctx, given, 0)?;
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => Ok(Value::Bool(true)),
        Ok(meta) => Err(FunctionError::arg(0, not_regular(given, &meta))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(e) => Err(FunctionError::arg(
            0,
            format!("failed to stat `{given}`: {e}"),
        )),
    }
}

/// Regular files under `path` whose path relative to it matches `pattern`, as a set of
/// slash-separated relative paths.
fn fileset(a: &[Value], ctx: &FunctionContext) -> FnResult {
    let given = str_at(a, 0)?;
    let pattern = str_at(a, 1)?;
    let root = resolve(ctx, given, 0)?;
    // Terraform joins the pattern to the path, which cleans it (`./*.txt` is `*.txt`).
    let matcher = glob::Pattern::new(&clean(pattern)).map_err(|e| FunctionError::arg(1, e))?;
    let mut found = Vec::new();
    if root.is_dir() {
        walk(&root, "", &matcher, &mut found, 0)?;
    }
    Ok(Value::List(normalize_set(
        found.into_iter().map(Value::String).collect(),
    )))
}

/// Files beyond this many are refused, so that a pattern over `/` cannot run for ever.
const FILESET_LIMIT: usize = 100_000;

fn walk(
    dir: &Path,
    prefix: &str,
    matcher: &glob::Pattern,
    found: &mut Vec<String>,
    depth: usize,
) -> Result<(), FunctionError> {
    if depth > 64 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        FunctionError::arg(
            0,
            format!("failed to read directory `{}`: {e}", dir.display()),
        )
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        // Symlinked directories are not followed, so that a link loop cannot recurse for ever.
        let is_real_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_real_dir {
            walk(&path, &rel, matcher, found, depth + 1)?;
        } else if path.is_file() && matcher.matches(&rel) {
            if found.len() >= FILESET_LIMIT {
                return Err(FunctionError::new("fileset matched more than 100000 files"));
            }
            found.push(rel);
        }
    }
    Ok(())
}

/// A template variable name must be an HCL identifier.
fn valid_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn templatefile(a: &[Value], ctx: &FunctionContext) -> FnResult {
    let given = str_at(a, 0)?;
    let text = utf8(read_path(ctx, given)?, given)?;
    let vars: BTreeMap<String, Value> = match &a[1] {
        Value::Unknown => return Ok(Value::Unknown),
        Value::Object(map) => map.clone(),
        _ => return Err(FunctionError::arg(1, "invalid vars value: must be a map")),
    };
    for name in vars.keys() {
        if !valid_identifier(name) {
            return Err(FunctionError::arg(
                1,
                format!(
                    "invalid template variable name `{name}`: must start with a letter, followed by zero or more letters, digits, and underscores"
                ),
            ));
        }
    }
    (ctx.render_template)(&text, &vars)
        .map_err(|e| FunctionError::new(format!("in template `{given}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;
    use std::fs;

    fn dir() -> tempfile::TempDir {
        let d = tempfile::tempdir().expect("tempdir");
        fs::write(d.path().join("hello.txt"), "Hello World").expect("write");
        fs::write(d.path().join("bin.dat"), [0xff, 0xfe, 0x00]).expect("write");
        fs::write(d.path().join("greet.tpl"), "Hello, ${name}!").expect("write");
        fs::create_dir_all(d.path().join("sub/deeper")).expect("mkdir");
        fs::write(d.path().join("sub/a.txt"), "a").expect("write");
        fs::write(d.path().join("sub/deeper/b.txt"), "b").expect("write");
        d
    }

    #[test]
    fn file_reads_relative_to_the_stack_dir() {
        let d = dir();
        assert_eq!(
            call_in(d.path(), "file", vec![s("hello.txt")]).unwrap(),
            s("Hello World")
        );
        assert_eq!(
            call_in(d.path(), "file", vec![s("./sub/../hello.txt")]).unwrap(),
            s("Hello World")
        );
        let abs = d.path().join("hello.txt").to_string_lossy().into_owned();
        assert_eq!(
            call_in(d.path(), "file", vec![s(&abs)]).unwrap(),
            s("Hello World")
        );
        let err = call_in(d.path(), "file", vec![s("missing.txt")]).unwrap_err();
        assert!(
            err.message
                .starts_with("invalid value for `path` parameter: no file exists at `missing.txt`"),
            "{}",
            err.message
        );
        let err = call_in(d.path(), "file", vec![s("bin.dat")]).unwrap_err();
        assert!(err.message.contains("not valid UTF-8"), "{}", err.message);
        let err = call_in(d.path(), "file", vec![s("sub")]).unwrap_err();
        assert!(err.message.contains("is a directory"), "{}", err.message);
        assert!(call_in(d.path(), "file", vec![s("/dev/zero")]).is_err());
    }

    #[test]
    fn file_hashes_and_existence() {
        let d = dir();
        let c = |name: &str| call_in(d.path(), name, vec![s("hello.txt")]).unwrap();
        assert_eq!(c("filemd5"), s("b10a8db164e0754105b7a99be72e3fe5"));
        assert_eq!(c("filesha1"), s("0a4d55a8d778e5022fab701977c5d840bbc486d0"));
        assert_eq!(
            c("filesha256"),
            s("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e")
        );
        assert_eq!(
            c("filebase64sha256"),
            s("pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=")
        );
        assert_eq!(c("filebase64"), s("SGVsbG8gV29ybGQ="));
        assert_eq!(c("fileexists"), b(true));
        assert_eq!(
            call_in(d.path(), "filebase64", vec![s("bin.dat")]).unwrap(),
            s("//4A")
        );
        assert_eq!(
            call_in(d.path(), "fileexists", vec![s("nope")]).unwrap(),
            b(false)
        );
        assert!(call_in(d.path(), "fileexists", vec![s("sub")]).is_err());
    }

    #[test]
    fn fileset_matches_globs() {
        let d = dir();
        let set = |pat: &str| call_in(d.path(), "fileset", vec![s("."), s(pat)]).unwrap();
        assert_eq!(set("*.txt"), strs(&["hello.txt"]));
        assert_eq!(
            set("**/*.txt"),
            strs(&["hello.txt", "sub/a.txt", "sub/deeper/b.txt"])
        );
        assert_eq!(set("sub/*"), strs(&["sub/a.txt"]));
        assert_eq!(set("./sub//*"), strs(&["sub/a.txt"]));
        assert_eq!(set("{hello,greet}.*"), strs(&["greet.tpl", "hello.txt"]));
        assert_eq!(
            call_in(d.path(), "fileset", vec![s("sub"), s("**")]).unwrap(),
            strs(&["a.txt", "deeper/b.txt"])
        );
        assert_eq!(
            call_in(d.path(), "fileset", vec![s("nope"), s("*")]).unwrap(),
            strs(&[])
        );
    }

    #[test]
    fn templatefile_renders_with_the_evaluator() {
        let d = dir();
        let vars = obj(vec![("name", s("Ander"))]);
        assert_eq!(
            call_in(d.path(), "templatefile", vec![s("greet.tpl"), vars]).unwrap(),
            s("Hello, Ander!")
        );
        assert_eq!(
            call_in(
                d.path(),
                "templatefile",
                vec![s("greet.tpl"), Value::Unknown]
            )
            .unwrap(),
            Value::Unknown
        );
        let bad = obj(vec![("1x", s("a"))]);
        assert!(call_in(d.path(), "templatefile", vec![s("greet.tpl"), bad]).is_err());
        assert!(call_in(d.path(), "templatefile", vec![s("greet.tpl"), s("x")]).is_err());
        assert!(call_in(
            d.path(),
            "templatefile",
            vec![s("missing.tpl"), obj(vec![])]
        )
        .is_err());
    }
}
