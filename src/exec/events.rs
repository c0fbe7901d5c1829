//! What the executor reports while it works; the UI decides how to show it.

use std::time::Duration;

use labform_state::InstanceAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Create,
    Update,
    Delete,
    Read,
}

impl OpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Create => "create",
            OpKind::Update => "update",
            OpKind::Delete => "delete",
            OpKind::Read => "read",
        }
    }
}

pub enum Event<'a> {
    Start {
        addr: &'a InstanceAddr,
        op: OpKind,
        id: Option<&'a str>,
    },
    Done {
        addr: &'a InstanceAddr,
        op: OpKind,
        elapsed: Duration,
        id: Option<&'a str>,
    },
    Failed {
        addr: &'a InstanceAddr,
        op: OpKind,
        message: &'a str,
    },
    /// An object an `import` block names, recorded in state as read during plan.
    Imported { addr: &'a InstanceAddr, id: &'a str },
    /// A dependency failed, so this one was not attempted.
    Skipped { addr: &'a InstanceAddr, op: OpKind },
    /// A line of progress from a provider.
    Progress { addr: &'a str, message: &'a str },
    /// The first interrupt: no new operations start.
    Interrupted,
}

pub trait Reporter: Send + Sync {
    fn event(&self, event: Event);
}
