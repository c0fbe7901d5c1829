//! The only place that prints: plans, progress, outputs, state and errors, for people and as JSON.

pub mod console;
pub mod cost;
pub mod drift;
pub mod json;
pub mod plan_text;
pub mod progress;
pub mod status;
pub mod tf_config;
pub mod tf_show;
pub mod values;

use std::io::Write;

use crate::diag::Diagnostics;

/// Prints diagnostics (errors and warnings) to stderr.
pub fn print_diagnostics(diags: &Diagnostics) {
    if diags.is_empty() {
        return;
    }
    let mut diags = diags.clone();
    diags.dedup();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{diags}");
}

/// Prints text to stdout.
pub fn out(text: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = o.write_all(b"\n");
    }
    let _ = o.flush();
}

/// Prints one line to stderr.
pub fn err(text: &str) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{text}");
}

/// Prints a prompt and reads one line from stdin.
pub fn prompt(text: &str) -> Option<String> {
    use std::io::BufRead;
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes());
    let _ = o.flush();
    drop(o);
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    Some(line)
}

/// Asks for a required variable's value on the terminal (on stderr, as Terraform does); `None`
/// when the answer is empty.
pub fn ask_variable(name: &str, description: Option<&str>) -> Option<String> {
    use std::io::BufRead;
    let mut e = std::io::stderr();
    let _ = writeln!(e, "var.{name}");
    if let Some(d) = description {
        let _ = writeln!(e, "  {d}");
    }
    let _ = write!(e, "\n  Enter a value: ");
    let _ = e.flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    let line = line.trim_end_matches(['\n', '\r']).to_string();
    (!line.is_empty()).then_some(line)
}
