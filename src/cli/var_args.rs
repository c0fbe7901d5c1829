//! `-var` and `-var-file` as one list in command-line order: Terraform applies them in the
//! order given (a later one wins), which two separate clap lists would lose.

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

/// One `-var` or `-var-file` flag.
#[derive(Debug, Clone, PartialEq)]
pub enum VarFlag {
    /// `-var 'name=value'`
    Assign(String),
    /// `-var-file FILE`
    File(PathBuf),
}

/// Every `-var` and `-var-file` flag, in command-line order.
#[derive(Debug, Clone, Default)]
pub struct VarArgs {
    pub flags: Vec<VarFlag>,
}

const VAR: &str = "var";
const VAR_FILE: &str = "var-file";

impl Args for VarArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(
            Arg::new(VAR)
                .long(VAR)
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("Set a variable: `-var 'name=value'` (repeatable; later flags win)"),
        )
        .arg(
            Arg::new(VAR_FILE)
                .long(VAR_FILE)
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .action(ArgAction::Append)
                .help("Read variables from a `.tfvars` or `.tfvars.json` file (repeatable)"),
        )
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for VarArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut out = VarArgs::default();
        out.update_from_arg_matches(m)?;
        Ok(out)
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        let mut indexed: Vec<(usize, VarFlag)> = Vec::new();
        if let (Some(values), Some(indices)) = (m.get_many::<String>(VAR), m.indices_of(VAR)) {
            indexed.extend(indices.zip(values.cloned().map(VarFlag::Assign)));
        }
        if let (Some(values), Some(indices)) =
            (m.get_many::<PathBuf>(VAR_FILE), m.indices_of(VAR_FILE))
        {
            indexed.extend(indices.zip(values.cloned().map(VarFlag::File)));
        }
        indexed.sort_by_key(|(i, _)| *i);
        self.flags = indexed.into_iter().map(|(_, f)| f).collect();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        vars: VarArgs,
    }

    #[test]
    fn flags_keep_command_line_order() {
        let cli = Cli::parse_from(["x", "--var", "a=1", "--var-file", "f.tfvars", "--var=a=2"]);
        assert_eq!(
            cli.vars.flags,
            vec![
                VarFlag::Assign("a=1".into()),
                VarFlag::File("f.tfvars".into()),
                VarFlag::Assign("a=2".into()),
            ]
        );
    }
}
