//! tls_private_key and data "tls_public_key" through the provider traits; every key is read back
//! by separate clients (openssl, ssh-keygen, python's `cryptography` when present).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use labform_sdk::Typed;
use labform_sdk::{DataSource, OpContext, Resource, Value};

use super::private_key::TlsPrivateKey;
use super::public_key::TlsPublicKey;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn config(pairs: &[(&str, Value)]) -> Value {
    let r = TlsPrivateKey::new();
    let mut v = r.schema().empty_value();
    for (k, val) in pairs {
        v.set(*k, val.clone());
    }
    v
}

fn create(pairs: &[(&str, Value)]) -> Value {
    let r = TlsPrivateKey::new();
    let cfg = config(pairs);
    r.validate(&cfg).expect("validate");
    let plan = r.plan(None, &cfg).expect("plan");
    let state = block_on(r.create(&plan.planned, &OpContext::silent())).expect("create");
    assert!(state.is_wholly_known());
    state
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run client");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    // ssh-keygen refuses private keys others can read.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.str_attr(k).unwrap_or_else(|| panic!("{k} missing"))
}

/// openssl reads every PEM form; the public key it derives equals `public_key_pem`.
fn check_with_openssl(dir: &Path, state: &Value, label: &str) {
    let native = write(dir, "native.pem", s(state, "private_key_pem"));
    assert!(
        s(state, "private_key_pem").starts_with(&format!("-----BEGIN {label}-----\n")),
        "{}",
        s(state, "private_key_pem")
    );
    let pkcs8 = write(dir, "pkcs8.pem", s(state, "private_key_pem_pkcs8"));
    assert!(s(state, "private_key_pem_pkcs8").starts_with("-----BEGIN PRIVATE KEY-----\n"));
    for file in [&native, &pkcs8] {
        let public = run(Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(file));
        assert_eq!(public, s(state, "public_key_pem"), "{}", file.display());
    }
    // The id is the SHA-1 of the public key's DER.
    let pub_pem = write(dir, "pub.pem", s(state, "public_key_pem"));
    let der = Command::new("openssl")
        .args(["pkey", "-pubin", "-outform", "DER", "-in"])
        .arg(&pub_pem)
        .output()
        .expect("openssl");
    // Go's strings.TrimSpace (ASCII part; the Unicode spaces are covered in export's tests).
    let space = |b: &u8| b" \t\n\x0b\x0c\r".contains(b);
    let start = der.stdout.iter().position(|b| !space(b)).unwrap_or(0);
    let end = der
        .stdout
        .iter()
        .rposition(|b| !space(b))
        .map_or(0, |i| i + 1);
    let trimmed = &der.stdout[start..end];
    use sha1::Digest;
    assert_eq!(
        s(state, "id"),
        crate::encode::hex(&sha1::Sha1::digest(trimmed))
    );
}

/// ssh-keygen reads the OpenSSH private key, derives the same public key, and prints the same
/// fingerprints.
fn check_with_ssh_keygen(dir: &Path, state: &Value, ssh_type: &str) {
    let public_line = s(state, "public_key_openssh");
    assert!(
        public_line.starts_with(&format!("{ssh_type} ")),
        "{public_line}"
    );
    // `type base64` and Go's final newline: no comment.
    assert!(public_line.ends_with('\n'));
    assert_eq!(
        public_line.trim_end().split(' ').count(),
        2,
        "{public_line}"
    );
    let private = write(dir, "id_key", s(state, "private_key_openssh"));
    assert!(s(state, "private_key_openssh").starts_with("-----BEGIN OPENSSH PRIVATE KEY-----\n"));
    let derived = run(Command::new("ssh-keygen").arg("-y").arg("-f").arg(&private));
    assert_eq!(derived.trim(), public_line.trim());
    let public = write(dir, "id_key.pub", public_line);
    // ssh-keygen shows an MD5 fingerprint with an `MD5:` prefix the attribute leaves out.
    let fingerprints = [
        (
            "md5",
            format!("MD5:{}", s(state, "public_key_fingerprint_md5")),
        ),
        (
            "sha256",
            s(state, "public_key_fingerprint_sha256").to_string(),
        ),
    ];
    for (hash, fingerprint) in fingerprints {
        let listed = run(Command::new("ssh-keygen")
            .args(["-l", "-E", hash, "-f"])
            .arg(&public));
        assert!(listed.contains(&format!(" {fingerprint} ")), "{listed}");
    }
}

/// python's `cryptography` (when installed) loads all three private forms.
fn check_with_python(dir: &Path, state: &Value) {
    let Ok(python) = std::env::var("LABFORM_TEST_PYTHON") else {
        return;
    };
    let script = r#"
import sys
from cryptography.hazmat.primitives import serialization as s
d = sys.argv[1]
keys = [s.load_pem_private_key(open(d + "/native.pem", "rb").read(), None),
        s.load_pem_private_key(open(d + "/pkcs8.pem", "rb").read(), None)]
if open(d + "/id_key").read():
    keys.append(s.load_ssh_private_key(open(d + "/id_key", "rb").read(), None))
pubs = {k.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo) for k in keys}
assert len(pubs) == 1, pubs
print(pubs.pop().decode(), end="")
"#;
    let out = run(Command::new(python).args(["-c", script]).arg(dir));
    assert_eq!(out, s(state, "public_key_pem"));
}

/// The algorithm, its curve (ECDSA's), the `private_key_pem` label, the SSH key type.
const ALGORITHMS: [(&str, Option<&str>, &str, &str); 5] = [
    ("ED25519", None, "PRIVATE KEY", "ssh-ed25519"),
    ("RSA", None, "RSA PRIVATE KEY", "ssh-rsa"),
    (
        "ECDSA",
        Some("P256"),
        "EC PRIVATE KEY",
        "ecdsa-sha2-nistp256",
    ),
    (
        "ECDSA",
        Some("P384"),
        "EC PRIVATE KEY",
        "ecdsa-sha2-nistp384",
    ),
    (
        "ECDSA",
        Some("P521"),
        "EC PRIVATE KEY",
        "ecdsa-sha2-nistp521",
    ),
];

#[test]
fn every_algorithm_gives_keys_that_other_clients_read() {
    for (algorithm, curve, label, ssh_type) in ALGORITHMS {
        let dir = tempfile::tempdir().expect("tmp");
        let mut pairs = vec![("algorithm", Value::from(algorithm))];
        if let Some(curve) = curve {
            pairs.push(("ecdsa_curve", curve.into()));
        }
        let state = create(&pairs);
        check_with_openssl(dir.path(), &state, label);
        check_with_ssh_keygen(dir.path(), &state, ssh_type);
        check_with_python(dir.path(), &state);
    }
}

#[test]
fn p224_has_no_openssh_forms_and_the_curve_is_named_in_the_pem() {
    let dir = tempfile::tempdir().expect("tmp");
    let state = create(&[("algorithm", "ECDSA".into())]);
    assert_eq!(
        state.str_attr("ecdsa_curve"),
        Some("P224"),
        "the default curve"
    );
    assert_eq!(
        state.get("rsa_bits"),
        &Value::Number(2048.0),
        "defaults are planned"
    );
    check_with_openssl(dir.path(), &state, "EC PRIVATE KEY");
    let native = dir.path().join("native.pem");
    let text = run(Command::new("openssl")
        .args(["ec", "-noout", "-text", "-in"])
        .arg(&native));
    assert!(text.contains("secp224r1"), "{text}");
    for attr in [
        "private_key_openssh",
        "public_key_openssh",
        "public_key_fingerprint_md5",
        "public_key_fingerprint_sha256",
    ] {
        assert_eq!(state.str_attr(attr), Some(""), "{attr}");
    }
}

#[test]
fn rsa_bits_sets_the_modulus_size() {
    let dir = tempfile::tempdir().expect("tmp");
    let state = create(&[
        ("algorithm", "RSA".into()),
        ("rsa_bits", Value::Number(3072.0)),
    ]);
    let native = write(dir.path(), "native.pem", s(&state, "private_key_pem"));
    let text = run(Command::new("openssl")
        .args(["rsa", "-check", "-noout", "-text", "-in"])
        .arg(&native));
    assert!(text.contains("3072 bit"), "{text}");
    assert!(text.contains("RSA key ok"), "{text}");
}

#[test]
fn private_parts_are_sensitive_and_every_argument_replaces() {
    let r = TlsPrivateKey::new();
    let schema = r.schema();
    for name in [
        "private_key_pem",
        "private_key_pem_pkcs8",
        "private_key_openssh",
    ] {
        assert!(schema.is_sensitive(name), "{name}");
    }
    for name in ["public_key_pem", "public_key_openssh", "id"] {
        assert!(!schema.is_sensitive(name), "{name}");
    }
    let prior = create(&[("algorithm", "ED25519".into())]);
    let same = r
        .plan(Some(&prior), &config(&[("algorithm", "ED25519".into())]))
        .unwrap();
    assert!(same.requires_replace.is_empty());
    assert_eq!(same.planned, prior, "no diff: the key stays");
    for (k, v) in [
        ("algorithm", Value::from("RSA")),
        ("rsa_bits", Value::Number(4096.0)),
        ("ecdsa_curve", Value::from("P256")),
    ] {
        let mut pairs = vec![("algorithm", Value::from("ED25519"))];
        pairs.retain(|(name, _)| *name != k);
        pairs.push((k, v));
        let plan = r.plan(Some(&prior), &config(&pairs)).unwrap();
        assert_eq!(plan.requires_replace, vec![vec![k.to_string()]], "{k}");
    }
}

#[test]
fn invalid_arguments_are_refused_before_apply() {
    let r = TlsPrivateKey::new();
    let err = r
        .validate(&config(&[("algorithm", "DSA".into())]))
        .unwrap_err();
    assert!(
        err.to_string().contains("`RSA`, `ECDSA`, `ED25519`"),
        "{err}"
    );
    let err = r
        .validate(&config(&[
            ("algorithm", "ECDSA".into()),
            ("ecdsa_curve", "P999".into()),
        ]))
        .unwrap_err();
    assert!(err.to_string().contains("P999"), "{err}");
    let plan = r
        .plan(
            None,
            &config(&[
                ("algorithm", "RSA".into()),
                ("rsa_bits", Value::Number(512.0)),
            ]),
        )
        .unwrap();
    let err = block_on(r.create(&plan.planned, &OpContext::silent())).unwrap_err();
    assert!(
        err.to_string().contains("`rsa_bits` must be between 1024"),
        "{err}"
    );
}

#[test]
fn public_key_data_source_reads_every_form_back_to_the_same_attributes() {
    let d = TlsPublicKey::new();
    for pairs in [
        vec![("algorithm", Value::from("ED25519"))],
        vec![("algorithm", Value::from("RSA"))],
        vec![
            ("algorithm", Value::from("ECDSA")),
            ("ecdsa_curve", Value::from("P384")),
        ],
        vec![("algorithm", Value::from("ECDSA"))],
    ] {
        let key = create(&pairs);
        let mut inputs = vec!["private_key_pem", "private_key_pem_pkcs8"];
        if !s(&key, "private_key_openssh").is_empty() {
            inputs.push("private_key_openssh");
        }
        for input in inputs {
            let mut cfg = d.schema().empty_value();
            let attr = if input == "private_key_openssh" {
                input
            } else {
                "private_key_pem"
            };
            cfg.set(attr, key.get(input).clone());
            let got = block_on(d.read(&cfg)).unwrap_or_else(|e| panic!("{pairs:?} {input}: {e}"));
            assert_eq!(got.get("algorithm"), key.get("algorithm"), "{input}");
            for name in super::private_key::PUBLIC {
                assert_eq!(got.get(name), key.get(name), "{input} {name}");
            }
        }
    }
    let mut cfg = d.schema().empty_value();
    cfg.set(
        "private_key_pem",
        "-----BEGIN NOPE-----\nAAAA\n-----END NOPE-----\n".into(),
    );
    let err = block_on(d.read(&cfg)).unwrap_err();
    assert!(
        err.to_string().contains("unsupported PEM preamble `NOPE`"),
        "{err}"
    );
}

#[test]
fn a_key_made_by_ssh_keygen_reads_to_the_fingerprints_ssh_keygen_prints() {
    let dir = tempfile::tempdir().expect("tmp");
    let key = dir.path().join("k");
    run(Command::new("ssh-keygen")
        .args(["-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "", "-f"])
        .arg(&key));
    let d = TlsPublicKey::new();
    let mut cfg = d.schema().empty_value();
    cfg.set(
        "private_key_openssh",
        std::fs::read_to_string(&key).unwrap().into(),
    );
    let got = block_on(d.read(&cfg)).unwrap();
    let pub_line = std::fs::read_to_string(dir.path().join("k.pub")).unwrap();
    assert_eq!(s(&got, "public_key_openssh").trim(), pub_line.trim());
    let sha = run(Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(dir.path().join("k.pub")));
    assert!(
        sha.contains(s(&got, "public_key_fingerprint_sha256")),
        "{sha}"
    );
}
