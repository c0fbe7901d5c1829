//! Command-line definitions. Their doc comments are the `--help` text.
//! Flags accept Terraform's single-dash spelling too (`-auto-approve`, `-var 'k=v'`, `-out=p`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod var_args;
pub use var_args::{VarArgs, VarFlag};

/// labform: Terraform-compatible lab stacks for data-engineering courses.
///
/// One binary with the AWS, Google Cloud, Docker and built-in providers compiled in: no
/// `init`, no downloads. Point it at a directory of `*.tf` files and run `plan`, `apply` and
/// `destroy` as you would with Terraform.
#[derive(Parser, Debug)]
#[command(name = "labform", version, about, long_about, propagate_version = true)]
pub struct Cli {
    /// Switch to this directory before doing anything (like Terraform's `-chdir`).
    #[arg(long, global = true, value_name = "DIR")]
    pub chdir: Option<PathBuf>,

    /// Disable colour (accepted for Terraform compatibility; labform prints no colour codes).
    #[arg(long = "no-color", global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Checks the backend (bucket reachable, credentials) and saves its settings; moves state
    /// between backends with `-migrate-state`. Providers are built in: nothing to download.
    Init(InitArgs),
    /// Checks the stack's files for errors without contacting any provider.
    Validate(ValidateArgs),
    /// Shows what apply would change.
    ///
    /// Reads every recorded object back (unless `-refresh=false`), then compares the stack's
    /// files with them. `-refresh-only` shows only what changed outside labform;
    /// `-generate-config-out=FILE` writes `resource` blocks for `import` blocks that have none;
    /// `-out=FILE` saves the plan for `labform apply FILE`.
    Plan(PlanArgs),
    /// Creates or updates resources to match the stack (or carries out a saved plan).
    Apply(ApplyArgs),
    /// Destroys every resource the stack's state records.
    Destroy(DestroyArgs),
    /// Prints output values from state.
    Output(OutputArgs),
    /// Shows the state (or a saved plan), for people or as JSON.
    Show(ShowArgs),
    /// Inspects and edits recorded state.
    #[command(subcommand)]
    State(StateCommand),
    /// Prints the dependency graph in Graphviz DOT.
    Graph(GraphArgs),
    /// Rewrites `*.tf` and `*.tfvars` files in the canonical style.
    Fmt(FmtArgs),
    /// Finds objects carrying this stack's mark that state does not record, and deletes them.
    ///
    /// For when state was lost or a run was killed before it could record what it made:
    /// nobody should pay for a forgotten bucket.
    Sweep(SweepArgs),
    /// Manages workspaces: separate states of one stack (one per student, say).
    Workspace(WorkspaceArgs),
    /// Shows what of the stack is up, since when, until when, and its estimated cost.
    ///
    /// Reads the state only (no cloud call): every recorded object, when labform created it,
    /// its expiry if one is set, and an estimate per hour and per day from labform's price
    /// table, with totals. Prices are list-price estimates, not a bill.
    Status(StatusArgs),
    /// Releases a state lock left behind by a run that is gone.
    #[command(name = "force-unlock")]
    ForceUnlock(ForceUnlockArgs),
    /// Prints labform's version and the Terraform and provider versions it is compatible with.
    Version(VersionArgs),
    /// Creates or updates everything without asking (`apply -auto-approve`), for Compose users.
    Up(UpDownArgs),
    /// Destroys everything without asking (`destroy -auto-approve`), for Compose users.
    Down(UpDownArgs),
    /// Prints the Terraform configuration a compose file converts to, formatted.
    ///
    /// Applying the printed text gives the same containers, networks and volumes as the
    /// compose file.
    Convert(ConvertArgs),
    /// Brings an existing object under labform's management: `labform import ADDR ID`.
    ///
    /// Reads the object with the given ID (a bucket name, a container ID, ...) and records it in
    /// state at ADDR, which must be declared by a `resource` block. Nothing in the cloud changes.
    /// Run `labform plan` afterwards to see how the configuration differs from the object.
    ///
    /// Example: `labform import aws_s3_bucket.raw my-raw-bucket`
    ///
    /// An `import { to = ADDR  id = "ID" }` block in the configuration does the same during
    /// plan and apply, and `labform plan -generate-config-out=generated.tf` writes the
    /// `resource` block for it when you have none yet.
    Import(ImportArgs),
    /// Updates state to match the real objects, changing nothing in the cloud (deprecated).
    ///
    /// The same as `labform apply -refresh-only -auto-approve`. Prefer `apply -refresh-only`,
    /// which shows what changed and asks before recording it.
    Refresh(RefreshArgs),
    /// Evaluates expressions against the stack and its state, one per line.
    ///
    /// On a terminal it prompts with `> ` and prints each result; `exit` or Ctrl-D ends it.
    /// With standard input from a pipe or a file it evaluates every line and prints the
    /// last result (as Terraform does), stopping with exit code 1 at the first error.
    /// It never changes state or calls a provider.
    ///
    /// Variables, locals, resources recorded in state and the whole function library are
    /// there: `echo 'upper(var.project)' | labform console -var project=lab`.
    Console(ConsoleArgs),
    /// Marks a resource instance as tainted: the next apply replaces it.
    ///
    /// Only state changes: the object stays as it is until `labform apply` destroys and
    /// recreates it (the plan says it is tainted). For a one-off
    /// replacement, `labform apply -replace=ADDR` does the same in one step. `labform untaint`
    /// takes the mark off again.
    Taint(TaintArgs),
    /// Removes the tainted mark from a resource instance: the next apply keeps it.
    ///
    /// Use it when an instance was tainted by `labform taint` or by a create that failed
    /// halfway, and you have checked that the object is fine as it is.
    Untaint(TaintArgs),
    /// Lists the providers the stack uses, with the versions labform's built-in ones implement.
    ///
    /// Shows the providers the configuration needs (with their `required_providers`
    /// constraints) and those the state records. labform's providers are
    /// compiled in: nothing is downloaded, and `labform version` lists them all.
    Providers(DirArgs),
}

/// Which compose files to read and which profiles to enable.
#[derive(Args, Debug, Clone, Default)]
pub struct ComposeArgs {
    /// Read this compose file instead of the directory's `compose.yaml` (repeatable: later
    /// files are merged over earlier ones, as `docker compose -f` does).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Enable the services of this Compose profile (repeatable).
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
}

#[derive(Args, Debug)]
pub struct UpDownArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The compose file (default: the current directory's `compose.yaml`, `compose.yml`,
    /// `docker-compose.yaml` or `docker-compose.yml`, with its `.override` file).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub compose: ComposeArgs,
}

#[derive(Args, Debug, Default, Clone)]
pub struct DirArgs {
    /// The stack directory (default: the current directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    /// Accepted as Terraform's `graph` accepts them (scripts pass them); the graph shows every
    /// instance `count` and `for_each` give with these values.
    #[command(flatten)]
    pub vars: VarArgs,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    /// Accepted and ignored (Terraform compatibility).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub upgrade: Option<bool>,
    /// Accepted and ignored (Terraform compatibility).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub input: Option<bool>,
    /// A backend setting (`KEY=VALUE`) or a file of them (`key = "value"` lines), merged over
    /// the `backend` block (repeatable; later ones win).
    #[arg(long = "backend-config", value_name = "KEY=VALUE|FILE")]
    pub backend_config: Vec<String>,
    /// Use the backend as configured now, without moving any state from the previous one.
    #[arg(long)]
    pub reconfigure: bool,
    /// Move every workspace's state from the previous backend to the one configured now,
    /// keeping serial and lineage.
    #[arg(long = "migrate-state")]
    pub migrate_state: bool,
    /// Accepted (Terraform compatibility): labform never asks before migrating, and never
    /// overwrites a different state already in the new backend.
    #[arg(long = "force-copy")]
    pub force_copy: bool,
}

#[derive(Args, Debug)]
pub struct WorkspaceArgs {
    #[command(subcommand)]
    pub command: WorkspaceCommand,
}

/// `workspace new|select|list|show|delete`.
#[derive(Subcommand, Debug)]
pub enum WorkspaceCommand {
    /// Creates a workspace (an empty state of its own) and selects it.
    New(WorkspaceNameArgs),
    /// Selects a workspace: later commands use its state.
    Select(WorkspaceNameArgs),
    /// Lists the workspaces; the selected one is marked with `*`.
    List(DirArgs),
    /// Prints the selected workspace.
    Show(DirArgs),
    /// Deletes a workspace's state (refused while it records resources, unless `-force`).
    Delete(WorkspaceDeleteArgs),
}

#[derive(Args, Debug)]
pub struct WorkspaceNameArgs {
    /// The workspace name.
    pub name: String,
    /// The stack directory (default: the current directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct WorkspaceDeleteArgs {
    /// The workspace name.
    pub name: String,
    /// The stack directory (default: the current directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Delete even if its state still records resources (they are then forgotten, not destroyed).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The state lock flags of every command that writes state.
#[derive(Args, Debug, Clone, Default)]
pub struct LockArgs {
    /// Hold the state lock for the operation (`-lock=false` skips it).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub lock: Option<bool>,
    /// Wait this long for a state lock held by another run: `10s`, `2m` (default: fail at once).
    #[arg(long = "lock-timeout", value_name = "DURATION")]
    pub lock_timeout: Option<String>,
}

/// Flags shared by plan, apply and destroy.
#[derive(Args, Debug, Clone, Default)]
pub struct RunArgs {
    #[command(flatten)]
    pub vars: VarArgs,
    /// Limit the operation to this resource and what it depends on (repeatable).
    #[arg(long = "target", value_name = "ADDRESS")]
    pub targets: Vec<String>,
    /// Plan to replace this resource instance even if nothing changed (repeatable).
    #[arg(long = "replace", value_name = "ADDRESS")]
    pub replace: Vec<String>,
    /// How many resource operations run at once.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub parallelism: usize,
    /// Read recorded resources back before planning (`-refresh=false` skips it).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub refresh: Option<bool>,
    #[command(flatten)]
    pub locking: LockArgs,
    /// Ask for missing variables on a terminal (`-input=false` never asks).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub input: Option<bool>,
    /// Use this state file instead of `<stack>/.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub compose: ComposeArgs,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Save the plan to this file for `labform apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit 0 with no changes, 1 on error, 2 when there are changes.
    #[arg(long = "detailed-exitcode")]
    pub detailed_exitcode: bool,
    /// Plan to destroy everything instead.
    #[arg(long)]
    pub destroy: bool,
    /// Only read the real objects back and show how they differ from state; plan no change.
    /// With `-out`, the saved plan records that drift when applied.
    #[arg(long = "refresh-only", conflicts_with = "destroy")]
    pub refresh_only: bool,
    /// For `import` blocks whose resource has no `resource` block yet: read each object and
    /// write its configuration to this new `.tf` file in the stack directory, then plan as if
    /// it had been there. Computed attributes, nulls and defaults are left out; a sensitive
    /// value is never written (a comment marks where to set it). Refused when the file exists.
    #[arg(
        long = "generate-config-out",
        value_name = "FILE",
        conflicts_with_all = ["destroy", "refresh_only"]
    )]
    pub generate_config_out: Option<PathBuf>,
    /// Expire the stack this long from now (`8h`, `90m`; `0` or `none`: no expiry): recorded in
    /// state and marked on every object as `labform-expires`, for `labform sweep -expired`.
    /// Overrides `LABFORM_TTL` and the stack's `labform { ttl }`; without it the recorded expiry stays.
    #[arg(long, value_name = "DURATION")]
    pub ttl: Option<String>,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// A stack directory, or a plan file saved with `plan -out`.
    #[arg(value_name = "DIR_OR_PLAN")]
    pub target: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    /// Apply without asking for confirmation.
    #[arg(long = "auto-approve")]
    pub auto_approve: bool,
    /// Destroy everything instead (like `labform destroy`).
    #[arg(long)]
    pub destroy: bool,
    /// Only record in state what changed outside labform; change nothing in the cloud.
    #[arg(long = "refresh-only", conflicts_with = "destroy")]
    pub refresh_only: bool,
    /// Expire the stack this long from now (`8h`, `90m`; `0` or `none`: no expiry): recorded in
    /// state and marked on every object as `labform-expires`, for `labform sweep -expired`.
    /// Overrides `LABFORM_TTL` and the stack's `labform { ttl }`; without it the recorded expiry stays.
    #[arg(long, value_name = "DURATION")]
    pub ttl: Option<String>,
}

#[derive(Args, Debug)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Where to record the object, e.g. `aws_s3_bucket.b` or `random_string.s["k"]`.
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// The object's ID as its provider knows it (e.g. the bucket name).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The stack directory (default: the current directory; Terraform's `-config`).
    #[arg(long = "config", value_name = "DIR")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct ConsoleArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    #[command(flatten)]
    pub vars: VarArgs,
    /// Read this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct TaintArgs {
    /// The resource instance, e.g. `aws_instance.web` or `aws_instance.web[0]`.
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// Succeed without a change when the instance is not in state.
    #[arg(long = "allow-missing")]
    pub allow_missing: bool,
    #[command(flatten)]
    pub locking: LockArgs,
    /// Use this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Destroy without asking for confirmation.
    #[arg(long = "auto-approve")]
    pub auto_approve: bool,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// List the leftovers without deleting them.
    #[arg(long = "dry-run")]
    pub dry_run: bool,
    /// Every labform-marked object of any stack (in the accounts and projects this directory's
    /// provider blocks name, and the local Docker engine), grouped by stack.
    #[arg(long)]
    pub all: bool,
    /// Destroy the stacks whose expiry (`apply -ttl`) has passed: the stack here through its
    /// state (by mark when its state is gone); with `-all`, every expired stack found by mark.
    /// Unexpired stacks and unmarked objects are never touched.
    #[arg(long)]
    pub expired: bool,
    /// Delete without asking for confirmation.
    #[arg(long = "auto-approve")]
    pub auto_approve: bool,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    pub dir: DirArgs,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Read this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Every stack found by mark (in the accounts and projects this directory's provider
    /// blocks name, and the local Docker engine), read from the clouds rather than a state,
    /// with totals.
    #[arg(long, conflicts_with = "state")]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Print only this output.
    pub name: Option<String>,
    /// Print as JSON (Terraform's `output -json` shape).
    #[arg(long)]
    pub json: bool,
    /// Print a string output's raw text, without quotes.
    #[arg(long)]
    pub raw: bool,
    /// Read this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// A plan file saved with `plan -out`; without it, the state is shown.
    pub plan: Option<PathBuf>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Read this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum StateCommand {
    /// Lists every resource instance in state.
    List(StateArgs),
    /// Shows one resource instance's attributes.
    Show(StateShowArgs),
    /// Forgets resource instances without destroying them.
    Rm(StateRmArgs),
    /// Moves a resource instance to another address.
    Mv(StateMvArgs),
    /// Prints the state file as JSON on standard output.
    ///
    /// Prints it exactly as Terraform would (state v4): `labform state pull > backup.tfstate`
    /// makes a copy that `labform state push` (and Terraform) can read back. Prints nothing
    /// when there is no state yet.
    Pull(StatePullArgs),
    /// Replaces the state with a state file (`-` reads standard input).
    ///
    /// Refused when the file's lineage differs from the current state's (another stack's state)
    /// or its serial is older than the current one (it would undo recorded changes), unless
    /// `-force` is given.
    Push(StatePushArgs),
    /// Changes the provider recorded for resources, e.g. after a fork moved to a new source.
    ///
    /// Rewrites the provider address recorded beside every resource that uses FROM, after
    /// showing which and asking (unless `-auto-approve`). Nothing in the cloud changes.
    /// Example: `labform state replace-provider hashicorp/aws registry.acme.corp/acme/aws`.
    #[command(name = "replace-provider")]
    ReplaceProvider(ReplaceProviderArgs),
}

#[derive(Args, Debug)]
pub struct StatePullArgs {
    /// Read this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StatePushArgs {
    /// The state file to push; `-` reads it from standard input.
    #[arg(value_name = "PATH", allow_hyphen_values = true)]
    pub path: PathBuf,
    /// Push even when lineage or serial say the file is not a newer version of this state.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub locking: LockArgs,
    /// Write to this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ReplaceProviderArgs {
    /// The provider source recorded now, e.g. `hashicorp/aws` or `registry.terraform.io/hashicorp/aws`.
    #[arg(value_name = "FROM")]
    pub from: String,
    /// The provider source to record instead.
    #[arg(value_name = "TO")]
    pub to: String,
    /// Replace without asking for confirmation.
    #[arg(long = "auto-approve")]
    pub auto_approve: bool,
    #[command(flatten)]
    pub locking: LockArgs,
    /// Use this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct StateArgs {
    /// Only addresses starting with these (e.g. `aws_s3_bucket` or `aws_s3_bucket.b`).
    pub filters: Vec<String>,
    /// Use this state file instead of `.labform/state.json`.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StateShowArgs {
    pub address: String,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StateRmArgs {
    #[arg(required = true)]
    pub addresses: Vec<String>,
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StateMvArgs {
    pub from: String,
    pub to: String,
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Files or directories to format (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Check only: exit 3 when a file is not formatted, change nothing.
    #[arg(long)]
    pub check: bool,
    /// Show what would change as a diff.
    #[arg(long)]
    pub diff: bool,
    /// Also format files in subdirectories.
    #[arg(long)]
    pub recursive: bool,
    /// List the files whose formatting changed (default true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub list: Option<bool>,
    /// Write the result back to the files (default true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub write: Option<bool>,
}

#[derive(Args, Debug)]
pub struct ForceUnlockArgs {
    /// The lock ID shown in the "state is locked" error.
    pub lock_id: String,
    #[command(flatten)]
    pub dir: DirArgs,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct VersionArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Rewrites Terraform's single-dash long flags (`-auto-approve`, `-var=x`) to clap's double-dash
/// form. Short flags (`-h`, `-V`) and negative numbers are left alone.
pub fn normalize_args(args: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_separator = false;
    for a in args {
        if after_separator {
            out.push(a);
            continue;
        }
        if a == "--" {
            after_separator = true;
            out.push(a);
            continue;
        }
        let is_single_dash_long = a.starts_with('-')
            && !a.starts_with("--")
            && a.len() > 2
            && a[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic());
        if is_single_dash_long {
            out.push(format!("-{a}"));
        } else {
            out.push(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_style_flags_parse() {
        let args = normalize_args(
            [
                "labform",
                "-chdir=stack",
                "plan",
                "-var",
                "a=b",
                "-var-file=x.tfvars",
                "-out=p",
                "-refresh=false",
                "-detailed-exitcode",
            ]
            .map(String::from),
        );
        let cli = Cli::try_parse_from(args).unwrap();
        assert_eq!(cli.chdir, Some(PathBuf::from("stack")));
        let Command::Plan(p) = cli.command else {
            panic!("not plan")
        };
        assert_eq!(
            p.run.vars.flags,
            vec![
                VarFlag::Assign("a=b".into()),
                VarFlag::File("x.tfvars".into())
            ]
        );
        assert_eq!(p.run.refresh, Some(false));
        assert!(p.detailed_exitcode);
        assert_eq!(p.out, Some(PathBuf::from("p")));
    }

    #[test]
    fn negative_numbers_and_short_flags_are_kept() {
        assert_eq!(
            normalize_args(["-h".to_string(), "-1".to_string()]),
            vec!["-h", "-1"]
        );
    }
}
