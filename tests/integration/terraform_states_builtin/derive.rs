//! The values the builtin providers derive, computed independently of labform: random_id's
//! encodings, a bcrypt by the C library's crypt(3), hashicorp/local's checksums, and a
//! tls_private_key's PEM and OpenSSH forms by openssl and ssh-keygen.

use std::path::Path;
use std::process::Command;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use md5::Md5;
use serde_json::{json, Value as Json};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::ID_PREFIX;

pub(super) fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0; n];
    let mut f = std::fs::File::open("/dev/urandom").expect("/dev/urandom");
    std::io::Read::read_exact(&mut f, &mut bytes).expect("random bytes");
    bytes
}

pub(super) fn random_u32() -> u32 {
    u32::from_be_bytes(random_bytes(4).try_into().unwrap_or_default())
}

/// `n` characters drawn from `alphabet`.
pub(super) fn pick(alphabet: &str, n: usize) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    random_bytes(n)
        .iter()
        .map(|b| chars[*b as usize % chars.len()])
        .collect()
}

pub(super) fn run(program: &str, args: &[&str], dir: &Path) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub(super) fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8 output")
}

/// bcrypt at Go's default cost 10 with the `$2a$` prefix x/crypto writes, computed by the C
/// library's crypt(3) (through perl) with a fresh salt: an implementation independent of labform's.
pub(super) fn bcrypt(password: &str, dir: &Path) -> String {
    const B64: &str = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // The 22nd salt character carries 2 bits: one of the four canonical ones.
    let salt = format!("$2a$10${}{}", pick(B64, 21), pick(".Oeu", 1));
    let hash = crypt(password, &salt, dir);
    assert!(hash.starts_with(&salt) && hash.len() == 60, "{hash}");
    hash
}

/// crypt(3) of `password` with `setting` (a salt, or a whole hash to check against).
pub(super) fn crypt(password: &str, setting: &str, dir: &Path) -> String {
    text(run(
        "perl",
        &["-e", "print crypt($ARGV[0], $ARGV[1])", password, setting],
        dir,
    ))
}

/// random_id's attributes derived from its bytes: `id` unpadded URL-safe base64, the others
/// with the prefix in front (standard base64 padded, lowercase hex, big-endian decimal).
pub(super) fn random_id_encodings(bytes: &[u8]) -> Json {
    let dec = u64::from_be_bytes(bytes.try_into().expect("8 bytes"));
    json!({
        "id": URL_SAFE_NO_PAD.encode(bytes),
        "b64_url": format!("{ID_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)),
        "b64_std": format!("{ID_PREFIX}{}", STANDARD.encode(bytes)),
        "hex": format!("{ID_PREFIX}{}", hex::encode(bytes)),
        "dec": format!("{ID_PREFIX}{dec}"),
    })
}

/// hashicorp/local's checksum attributes (and `id`) of a file's bytes.
pub(super) fn checksums(bytes: &[u8]) -> Json {
    let sha1 = hex::encode(Sha1::digest(bytes));
    json!({
        "id": sha1, "content_sha1": sha1,
        "content_md5": hex::encode(Md5::digest(bytes)),
        "content_sha256": hex::encode(Sha256::digest(bytes)),
        "content_base64sha256": STANDARD.encode(Sha256::digest(bytes)),
        "content_sha512": hex::encode(Sha512::digest(bytes)),
        "content_base64sha512": STANDARD.encode(Sha512::digest(bytes)),
    })
}

pub(super) fn merged(mut a: Json, b: Json) -> Json {
    if let (Some(a), Some(b)) = (a.as_object_mut(), b.as_object()) {
        a.extend(b.clone());
    }
    a
}

/// Go's `pem.EncodeToMemory`: base64 in lines of 64 characters, a final newline.
pub(super) fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// The DER inside a PEM text.
pub(super) fn der_of(pem_text: &str) -> Vec<u8> {
    let body: String = pem_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    STANDARD.decode(body).expect("PEM body")
}

/// An SSH wire `string`: a 32-bit big-endian length, then the bytes.
pub(super) fn ssh_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend((bytes.len() as u32).to_be_bytes());
    out.extend(bytes);
}

/// Go's `strings.TrimSpace` at the end of the DER (a PKIX DER starts with 0x30, never space).
pub(super) fn go_trim_end(mut der: &[u8]) -> &[u8] {
    loop {
        let cut = (1..=4.min(der.len())).find(|n| {
            std::str::from_utf8(&der[der.len() - n..])
                .ok()
                .and_then(|s| s.chars().next().filter(|_| s.chars().count() == 1))
                .is_some_and(char::is_whitespace)
        });
        match cut {
            Some(n) => der = &der[..der.len() - n],
            None => return der,
        }
    }
}

/// The public attributes hashicorp/tls derives, from a PKIX public key and its SSH wire form.
pub(super) fn tls_public(spki: &[u8], wire: &[u8]) -> Json {
    let algorithm = &wire[4..4 + u32::from_be_bytes([wire[0], wire[1], wire[2], wire[3]]) as usize];
    let md5: Vec<String> = Md5::digest(wire)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    json!({
        "id": hex::encode(Sha1::digest(go_trim_end(spki))),
        "public_key_pem": pem("PUBLIC KEY", spki),
        "public_key_openssh": format!(
            "{} {}\n", String::from_utf8_lossy(algorithm), STANDARD.encode(wire)
        ),
        "public_key_fingerprint_md5": md5.join(":"),
        "public_key_fingerprint_sha256": format!(
            "SHA256:{}", STANDARD.encode(Sha256::digest(wire)).trim_end_matches('=')
        ),
    })
}

/// Makes `file` readable by its owner only, as ssh-keygen insists for a private key.
pub(super) fn private_file(dir: &Path, file: &str, content: &str) {
    std::fs::write(dir.join(file), content).expect("write key");
    let mut perms = std::fs::metadata(dir.join(file))
        .expect("key")
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    std::fs::set_permissions(dir.join(file), perms).expect("chmod");
}

/// A fresh key of `algorithm` (`ED25519`, or `RSA` at `bits`) made by openssl, as
/// tls_private_key stores it.
pub(super) fn tls_key(dir: &Path, algorithm: &str, bits: u32) -> Json {
    let mut args = vec!["genpkey", "-algorithm", algorithm, "-out", "new.pem"];
    let bits_opt = format!("rsa_keygen_bits:{bits}");
    if algorithm == "RSA" {
        args.extend(["-pkeyopt", &bits_opt]);
    }
    run("openssl", &args, dir);
    let native = match algorithm {
        "RSA" => vec!["pkey", "-in", "new.pem", "-traditional"],
        _ => vec!["pkey", "-in", "new.pem"],
    };
    let private_pem = text(run("openssl", &native, dir));
    merged(
        json!({"algorithm": algorithm, "rsa_bits": bits, "ecdsa_curve": "P224"}),
        tls_derived(dir, &private_pem),
    )
}

/// Every attribute hashicorp/tls derives from `private_key_pem` (RSA as PKCS#1 `RSA PRIVATE
/// KEY`, Ed25519 as PKCS#8 `PRIVATE KEY`): PKCS#8 and public PEMs by openssl, the public key line
/// by ssh-keygen, and the OpenSSH private key as Go's `ssh.MarshalPrivateKey(key, "")` writes it
/// (PROTOCOL.key: no cipher, no KDF, one key, empty comment, padding 1, 2, 3..., 64-column PEM;
/// its two check integers are random).
pub(super) fn tls_derived(dir: &Path, private_pem: &str) -> Json {
    private_file(dir, "key.pem", private_pem);
    let pkcs8 = text(run("openssl", &["pkey", "-in", "key.pem"], dir));
    let spki = der_of(&text(run(
        "openssl",
        &["pkey", "-in", "key.pem", "-pubout"],
        dir,
    )));
    let openssh = if private_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
        // ssh-keygen rewrites a PEM key in the OpenSSH format, its comment empty.
        private_file(dir, "key.openssh", private_pem);
        run(
            "ssh-keygen",
            &["-p", "-q", "-N", "", "-f", "key.openssh"],
            dir,
        );
        let written = std::fs::read_to_string(dir.join("key.openssh")).expect("OpenSSH key");
        pem("OPENSSH PRIVATE KEY", &der_of(&written))
    } else {
        ed25519_openssh(&der_of(&pkcs8)[16..], &spki[12..])
    };
    private_file(dir, "key.openssh", &openssh);
    let line = text(run("ssh-keygen", &["-y", "-f", "key.openssh"], dir));
    let wire = STANDARD
        .decode(line.split_whitespace().nth(1).unwrap_or_default())
        .expect("public key line");
    let public = tls_public(&spki, &wire);
    assert_eq!(
        line,
        public["public_key_openssh"].as_str().unwrap_or_default()
    );
    merged(
        json!({
            "private_key_pem": private_pem, "private_key_pem_pkcs8": pkcs8,
            "private_key_openssh": openssh,
        }),
        public,
    )
}

/// The OpenSSH private key of an Ed25519 `seed` and `public` key.
pub(super) fn ed25519_openssh(seed: &[u8], public: &[u8]) -> String {
    assert_eq!((seed.len(), public.len()), (32, 32));
    let mut wire = Vec::new();
    ssh_string(&mut wire, b"ssh-ed25519");
    ssh_string(&mut wire, public);
    let mut private = random_bytes(4).repeat(2);
    ssh_string(&mut private, b"ssh-ed25519");
    ssh_string(&mut private, public);
    ssh_string(&mut private, &[seed, public].concat());
    ssh_string(&mut private, b"");
    for pad in 1..=((8 - private.len() % 8) % 8) as u8 {
        private.push(pad);
    }
    let mut blob = b"openssh-key-v1\0".to_vec();
    for part in [&b"none"[..], b"none", b""] {
        ssh_string(&mut blob, part);
    }
    blob.extend(1u32.to_be_bytes());
    ssh_string(&mut blob, &wire);
    ssh_string(&mut blob, &private);
    pem("OPENSSH PRIVATE KEY", &blob)
}

/// An OpenSSH private key's bytes with its two random check integers zeroed.
pub(super) fn without_checkints(openssh: &str) -> Vec<u8> {
    let mut blob = der_of(openssh);
    let mut at = b"openssh-key-v1\0".len();
    let skip_string = |at: &mut usize, blob: &[u8]| {
        let n = u32::from_be_bytes(blob[*at..*at + 4].try_into().unwrap_or_default());
        *at += 4 + n as usize;
    };
    for _ in 0..3 {
        skip_string(&mut at, &blob);
    }
    at += 4;
    skip_string(&mut at, &blob);
    at += 4;
    blob[at..at + 8].fill(0);
    blob
}

/// A word of golang-petname's list `name` (the lists random_pet draws from).
pub(super) fn pet_word(name: &str) -> String {
    let path = format!(
        "{}/providers/builtin/words/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let list = std::fs::read_to_string(path).expect("word list");
    let words: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
    words[random_u32() as usize % words.len()].to_string()
}
