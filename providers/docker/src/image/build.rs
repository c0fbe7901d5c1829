//! `docker_image { build {...} }`: the context directory as a tar sent to the engine's classic
//! builder, with build output shown as progress.

use std::path::{Path, PathBuf};

use bollard::query_parameters::{BuildImageOptionsBuilder, TagImageOptionsBuilder};
use futures_util::StreamExt;
use labform_sdk::{OpContext, ProviderError, Result, Value};

use crate::client::Client;
use crate::errors;
use crate::image::pull::split_tag;
use crate::labels;

/// Where a Dockerfile that lives outside the context is put inside the tar.
const INJECTED_DOCKERFILE: &str = ".labform.Dockerfile";

/// Builds the image `name` from the `build` block; returns the image id.
pub async fn build(client: &Client, name: &str, build: &Value, ctx: &OpContext) -> Result<String> {
    let context_attr = build.str_attr("context").unwrap_or(".");
    let context = client_path(client, context_attr);
    if !context.is_dir() {
        return Err(ProviderError::invalid(format!(
            "build context `{}` is not a directory",
            context.display()
        ))
        .with_hint("set `build { context = \"...\" }` to a directory; relative paths start at the stack directory"));
    }
    let dockerfile_attr = build.str_attr("dockerfile").unwrap_or("Dockerfile");
    let (dockerfile, outside) = locate_dockerfile(&context, dockerfile_attr)?;
    let context_for_tar = context.clone();
    let outside_for_tar = outside.clone();
    let tar = tokio::task::spawn_blocking(move || {
        context_tar(&context_for_tar, outside_for_tar.as_deref())
    })
    .await
    .map_err(|e| ProviderError::api(format!("packing the build context failed: {e}")))??;

    let mut all_labels = build.string_map_attr("label");
    all_labels.extend(build.string_map_attr("labels"));
    let all_labels = labels::with_mark(all_labels, client.mark());
    let build_args = build.string_map_attr("build_args");
    let mut opts = BuildImageOptionsBuilder::new()
        .dockerfile(&dockerfile)
        .t(name)
        .rm(build.bool_attr("remove", true))
        .forcerm(build.bool_attr("force_remove", false))
        .nocache(build.bool_attr("no_cache", false))
        .labels(&labels::to_hash(&all_labels))
        .buildargs(&labels::to_hash(&build_args));
    if let Some(target) = build.str_attr("target").filter(|t| !t.is_empty()) {
        opts = opts.target(target);
    }
    if let Some(mode) = build.str_attr("network_mode").filter(|t| !t.is_empty()) {
        opts = opts.networkmode(mode);
    }
    if build.bool_attr("pull_parent", false) {
        opts = opts.pull("true");
    }
    ctx.progress(&format!(
        "building image `{name}` from `{}` ({} kB context)",
        context.display(),
        tar.len() / 1024
    ));
    let mut stream =
        client
            .docker
            .build_image(opts.build(), None, Some(bollard::body_full(tar.into())));
    let mut image_id = None;
    let mut tail: Vec<String> = Vec::new();
    while let Some(item) = stream.next().await {
        let info = item.map_err(|e| build_failed(name, &errors::message(&e), &tail))?;
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            return Err(build_failed(name, &detail, &tail));
        }
        if let Some(text) = info.stream {
            for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
                ctx.progress(line);
                tail.push(line.to_string());
                if tail.len() > 5 {
                    tail.remove(0);
                }
                if let Some(id) = line.strip_prefix("Successfully built ") {
                    image_id = Some(id.trim().to_string());
                }
            }
        }
        if let Some(aux) = info.aux.and_then(|a| a.id) {
            image_id = Some(aux);
        }
    }
    for extra in build.string_list_attr("tag") {
        let (repo, tag) = split_tag(&extra);
        let opts = TagImageOptionsBuilder::new().repo(repo).tag(tag).build();
        client
            .docker
            .tag_image(name, Some(opts))
            .await
            .map_err(|e| errors::api(&format!("tagging image `{name}` as `{extra}`"), e))?;
    }
    image_id.ok_or_else(|| ProviderError::api(format!("building image `{name}` gave no image id")))
}

fn client_path(client: &Client, path: &str) -> PathBuf {
    let p = PathBuf::from(path);
    if p.is_absolute() {
        p
    } else {
        client.stack_dir.join(p)
    }
}

/// The Dockerfile path to send, and the file to inject when it lies outside the context.
fn locate_dockerfile(context: &Path, dockerfile: &str) -> Result<(String, Option<PathBuf>)> {
    let inside = context.join(dockerfile);
    if inside.is_file() {
        let canonical_ctx = context
            .canonicalize()
            .unwrap_or_else(|_| context.to_path_buf());
        let canonical = inside.canonicalize().unwrap_or_else(|_| inside.clone());
        if let Ok(rel) = canonical.strip_prefix(&canonical_ctx) {
            return Ok((rel.to_string_lossy().into_owned(), None));
        }
        return Ok((INJECTED_DOCKERFILE.to_string(), Some(canonical)));
    }
    let absolute = PathBuf::from(dockerfile);
    if absolute.is_absolute() && absolute.is_file() {
        return Ok((INJECTED_DOCKERFILE.to_string(), Some(absolute)));
    }
    Err(ProviderError::invalid(format!(
        "dockerfile `{dockerfile}` does not exist in the build context `{}`",
        context.display()
    ))
    .with_hint("`dockerfile` is relative to `context`"))
}

/// The context as a tar, leaving out what `.dockerignore` names (plain paths and `*` globs).
fn context_tar(context: &Path, extra_dockerfile: Option<&Path>) -> Result<Vec<u8>> {
    let ignore = read_dockerignore(context);
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    let io = |e: std::io::Error| {
        ProviderError::api(format!(
            "packing the build context `{}` failed: {e}",
            context.display()
        ))
    };
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = context.join(&rel);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(io)?
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let rel_path = rel.join(entry.file_name());
            let rel_str = rel_path.to_string_lossy().replace('\\', "/");
            if ignored(&ignore, &rel_str) {
                continue;
            }
            let kind = entry.file_type().map_err(io)?;
            if kind.is_dir() {
                builder.append_dir(&rel_path, entry.path()).map_err(io)?;
                stack.push(rel_path);
            } else {
                builder
                    .append_path_with_name(entry.path(), &rel_path)
                    .map_err(io)?;
            }
        }
    }
    if let Some(file) = extra_dockerfile {
        builder
            .append_path_with_name(file, INJECTED_DOCKERFILE)
            .map_err(io)?;
    }
    builder.into_inner().map_err(io)
}

fn read_dockerignore(context: &Path) -> Vec<String> {
    std::fs::read_to_string(context.join(".dockerignore"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_string()
        })
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .collect()
}

fn ignored(patterns: &[String], path: &str) -> bool {
    patterns.iter().any(|p| {
        glob_match(p, path)
            || path
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// `*` matches within one path segment, `**` across segments, `?` one character.
fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                (0..=t.len()).any(|i| go(rest, &t[i..]))
            }
            (Some(b'*'), _) => (0..=t.len())
                .take_while(|&i| i == 0 || t[i - 1] != b'/')
                .any(|i| go(&p[1..], &t[i..])),
            (Some(b'?'), Some(c)) if *c != b'/' => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

fn build_failed(name: &str, error: &str, tail: &[String]) -> ProviderError {
    let mut msg = format!("building image `{name}` failed: {}", error.trim());
    if !tail.is_empty() {
        msg.push_str(&format!(" (last output: {})", tail.join(" | ")));
    }
    ProviderError::api(msg)
        .with_hint("the same build with `DOCKER_BUILDKIT=0 docker build` shows the full output")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_patterns() {
        let p = vec![
            "target".to_string(),
            "*.log".to_string(),
            "**/tmp".to_string(),
        ];
        assert!(ignored(&p, "target"));
        assert!(ignored(&p, "target/debug/x"));
        assert!(ignored(&p, "a.log"));
        assert!(!ignored(&p, "dir/a.log"));
        assert!(ignored(&p, "x/y/tmp"));
        assert!(!ignored(&p, "src/main.rs"));
    }

    #[test]
    fn tar_holds_the_context_without_ignored_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::write(dir.path().join("skip.log"), "x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/keep"), "y").unwrap();
        std::fs::write(dir.path().join(".dockerignore"), "*.log\n").unwrap();
        let bytes = context_tar(dir.path(), None).unwrap();
        let mut archive = tar::Archive::new(bytes.as_slice());
        let names: Vec<String> = archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.contains(&"Dockerfile".to_string()));
        assert!(names.contains(&"sub/keep".to_string()));
        assert!(!names.iter().any(|n| n.contains("skip.log")));
    }
}
