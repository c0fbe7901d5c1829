//! Hash and identifier functions: `md5`, `sha1`, `sha256`, `sha512`, `base64sha256`,
//! `base64sha512`, `uuid`, `uuidv5`. Hashes are of the string's UTF-8 bytes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use labform_sdk::Value;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::spec::{f, p, str_at, Func, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("md5", &[p("str", S)], |a, _| hex_of(Hash::Md5, a)),
    f("sha1", &[p("str", S)], |a, _| hex_of(Hash::Sha1, a)),
    f("sha256", &[p("str", S)], |a, _| hex_of(Hash::Sha256, a)),
    f("sha512", &[p("str", S)], |a, _| hex_of(Hash::Sha512, a)),
    f("base64sha256", &[p("str", S)], |a, _| {
        base64_of(Hash::Sha256, a)
    }),
    f("base64sha512", &[p("str", S)], |a, _| {
        base64_of(Hash::Sha512, a)
    }),
    f("uuid", &[], uuid),
    f("uuidv5", &[p("namespace", S), p("name", S)], uuidv5),
];

#[derive(Clone, Copy)]
pub(crate) enum Hash {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

pub(crate) fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Md5 => Md5::digest(data).to_vec(),
        Hash::Sha1 => Sha1::digest(data).to_vec(),
        Hash::Sha256 => Sha256::digest(data).to_vec(),
        Hash::Sha512 => Sha512::digest(data).to_vec(),
    }
}

pub(crate) fn hex_digest(hash: Hash, data: &[u8]) -> Value {
    Value::String(hex::encode(digest(hash, data)))
}

pub(crate) fn base64_digest(hash: Hash, data: &[u8]) -> Value {
    Value::String(STANDARD.encode(digest(hash, data)))
}

fn hex_of(hash: Hash, a: &[Value]) -> FnResult {
    Ok(hex_digest(hash, str_at(a, 0)?.as_bytes()))
}

fn base64_of(hash: Hash, a: &[Value]) -> FnResult {
    Ok(base64_digest(hash, str_at(a, 0)?.as_bytes()))
}

fn uuid(_: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::String(uuid::Uuid::new_v4().to_string()))
}

fn uuidv5(a: &[Value], _: &FunctionContext) -> FnResult {
    let namespace = match str_at(a, 0)? {
        "dns" => uuid::Uuid::NAMESPACE_DNS,
        "url" => uuid::Uuid::NAMESPACE_URL,
        "oid" => uuid::Uuid::NAMESPACE_OID,
        "x500" => uuid::Uuid::NAMESPACE_X500,
        other => uuid::Uuid::parse_str(other).map_err(|_| {
            FunctionError::arg(0, format!("uuidv5() doesn't support namespace `{other}`"))
        })?,
    };
    Ok(Value::String(
        uuid::Uuid::new_v5(&namespace, str_at(a, 1)?.as_bytes()).to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    #[test]
    fn hashes_match_the_docs() {
        assert_eq!(
            call_ok("md5", vec![s("hello world")]),
            s("5eb63bbbe01eeed093cb22bb8f5acdc3")
        );
        assert_eq!(
            call_ok("sha1", vec![s("hello world")]),
            s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
        );
        assert_eq!(
            call_ok("sha256", vec![s("hello world")]),
            s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        );
        assert_eq!(
            call_ok("sha512", vec![s("hello world")]),
            s("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")
        );
        assert_eq!(
            call_ok("base64sha256", vec![s("hello world")]),
            s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
        );
        assert_eq!(
            call_ok("base64sha512", vec![s("hello world")]),
            s("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")
        );
    }

    #[test]
    fn uuids_have_the_right_shape() {
        let Value::String(u) = call_ok("uuid", vec![]) else {
            panic!("not a string")
        };
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert_ne!(call_ok("uuid", vec![]), call_ok("uuid", vec![]));
        assert_eq!(
            call_ok("uuidv5", vec![s("dns"), s("www.terraform.io")]),
            s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
        );
        assert_eq!(
            call_ok("uuidv5", vec![s("url"), s("https://www.terraform.io/")]),
            s("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5")
        );
        assert_eq!(
            call_ok(
                "uuidv5",
                vec![
                    s("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
                    s("www.terraform.io")
                ]
            ),
            s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")
        );
        assert!(try_call("uuidv5", vec![s("bogus"), s("x")]).is_err());
    }
}
