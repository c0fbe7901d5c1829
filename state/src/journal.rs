//! The state journal: one JSON line per change, each naming the state (lineage + serial) it
//! applies to, and its replay onto that state.
//!
//! A line is `{"lineage":"…","serial":7,"op":"put","addr":"…","provider":"…","instance":{…}}`
//! (ops: `put`, `remove`, `move`, `outputs`). Lines are appended and synced one at a time, so a
//! crash can only tear the last one; replay ignores a torn last line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::addr::InstanceAddr;
use crate::error::StateError;
use crate::file::{json_error_message, StateFile};
use crate::resource::{InstanceState, OutputState};

#[derive(Serialize)]
struct LineOut<'a> {
    lineage: &'a str,
    serial: u64,
    #[serde(flatten)]
    op: Op<'a>,
}

/// One change, as written.
#[derive(Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum Op<'a> {
    Put {
        addr: String,
        provider: &'a str,
        instance: &'a InstanceState,
    },
    Remove {
        addr: String,
    },
    Move {
        from: String,
        to: String,
    },
    Outputs {
        outputs: &'a BTreeMap<String, OutputState>,
    },
}

#[derive(Deserialize)]
struct LineIn {
    lineage: String,
    serial: u64,
    #[serde(flatten)]
    op: OpIn,
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum OpIn {
    Put {
        addr: String,
        provider: String,
        instance: Box<InstanceState>,
    },
    Remove {
        addr: String,
    },
    Move {
        from: String,
        to: String,
    },
    Outputs {
        outputs: BTreeMap<String, OutputState>,
    },
}

/// The journal line (with its newline) recording `op` against the state `lineage`/`serial`.
pub(crate) fn line(lineage: &str, serial: u64, op: Op<'_>) -> Vec<u8> {
    // Serialising our own types (string keys, finite numbers) cannot fail.
    let mut bytes = serde_json::to_vec(&LineOut {
        lineage,
        serial,
        op,
    })
    .unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Applies to `state` the journal lines in `text` that were written against it (same lineage
/// and serial), and returns how many. Lines written against another state are already part of
/// a committed state and are skipped. A torn last line is ignored.
///
/// Errors: [`StateError::CorruptJournal`] (naming the journal `path` and line) for a damaged line that is
/// not the last, or a change that does not fit the state.
pub(crate) fn replay(state: &mut StateFile, text: &[u8], path: &Path) -> Result<usize, StateError> {
    let corrupt = |line: usize, message: String| StateError::CorruptJournal {
        path: path.to_path_buf(),
        line,
        message,
    };
    // Only newline-terminated lines were completely written; the remainder is a torn tail.
    let complete = match text.iter().rposition(|b| *b == b'\n') {
        Some(end) => &text[..end],
        None => return Ok(0),
    };
    let lines: Vec<&[u8]> = complete.split(|b| *b == b'\n').collect();
    let (lineage, serial) = (state.lineage.clone(), state.serial);
    let mut applied = 0;
    for (i, raw) in lines.iter().enumerate() {
        let number = i + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let entry: LineIn = match serde_json::from_slice(raw) {
            Ok(entry) => entry,
            // The filesystem may leave garbage in a last line cut short by a crash.
            Err(_)
                if lines[i + 1..]
                    .iter()
                    .all(|l| l.iter().all(u8::is_ascii_whitespace)) =>
            {
                break
            }
            Err(e) => return Err(corrupt(number, json_error_message(&e))),
        };
        if entry.lineage != lineage || entry.serial != serial {
            continue;
        }
        let addr = |text: &str| {
            text.parse::<InstanceAddr>()
                .map_err(|e| corrupt(number, e.to_string()))
        };
        match entry.op {
            OpIn::Put {
                addr: a,
                provider,
                instance,
            } => state.put_instance(&addr(&a)?, &provider, *instance),
            OpIn::Remove { addr: a } => {
                state.remove_instance(&addr(&a)?);
            }
            OpIn::Move { from, to } => state
                .move_instance(&addr(&from)?, &addr(&to)?)
                .map_err(|e| corrupt(number, e.to_string()))?,
            OpIn::Outputs { outputs } => state.outputs = outputs,
        }
        applied += 1;
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use labform_sdk::Value;

    fn put(state: &StateFile, addr: &str, id: &str) -> Vec<u8> {
        let instance = InstanceState::new(Value::from_pairs([("id", Value::from(id))]));
        let addr: InstanceAddr = addr.parse().expect("test address");
        line(
            &state.lineage,
            state.serial,
            Op::Put {
                addr: addr.to_string(),
                provider: "p",
                instance: &instance,
            },
        )
    }

    #[test]
    fn replays_lines_of_this_state_and_skips_those_of_another() {
        let mut state = StateFile::new("1.9.0");
        let mut text = put(&state, "t.a", "1");
        let mut other = state.clone();
        other.serial = 9;
        text.extend(put(&other, "t.stale", "x"));
        text.extend(put(&state, "t.b[0]", "2"));
        text.extend(line(
            &state.lineage,
            state.serial,
            Op::Remove { addr: "t.a".into() },
        ));
        let applied = replay(&mut state, &text, Path::new("j")).expect("replay");
        assert_eq!(applied, 3);
        let addrs: Vec<String> = state.instances().map(|(a, _, _)| a.to_string()).collect();
        assert_eq!(addrs, ["t.b[0]"]);
    }

    #[test]
    fn a_torn_last_line_is_ignored() {
        let mut state = StateFile::new("1.9.0");
        let mut text = put(&state, "t.a", "1");
        let torn = put(&state, "t.b", "2");
        text.extend(&torn[..torn.len() / 2]);
        assert_eq!(
            replay(&mut state.clone(), &text, Path::new("j")).ok(),
            Some(1)
        );
        // Garbage that did end in a newline (a zero-filled block, say) is also a torn tail.
        text.extend(b"\0\0\0\n");
        assert_eq!(replay(&mut state, &text, Path::new("j")).ok(), Some(1));
    }

    #[test]
    fn a_damaged_line_in_the_middle_is_an_error_naming_the_line() {
        let mut state = StateFile::new("1.9.0");
        let mut text = put(&state, "t.a", "1");
        text.extend(b"{not json\n");
        text.extend(put(&state, "t.b", "2"));
        let err = replay(&mut state, &text, Path::new("state.json.journal")).expect_err("corrupt");
        assert!(
            err.to_string()
                .starts_with("state journal `state.json.journal` is not valid at line 2: "),
            "{err}"
        );
    }
}
