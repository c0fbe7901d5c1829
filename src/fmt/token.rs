//! The token model the formatter works on: the same token kinds as Terraform's native HCL
//! scanner, each token carrying its exact text and the spaces written before it.

/// Kinds of token, matching the native HCL scanner one for one so that the layout rules
/// can be stated in the same terms as `terraform fmt`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    OBrace,
    CBrace,
    OBrack,
    CBrack,
    OParen,
    CParen,
    OQuote,
    CQuote,
    OHeredoc,
    CHeredoc,
    Star,
    Slash,
    Plus,
    Minus,
    Percent,
    Equal,
    EqualOp,
    NotEqual,
    LessThan,
    LessThanEq,
    GreaterThan,
    GreaterThanEq,
    And,
    Or,
    Bang,
    Dot,
    Comma,
    DoubleColon,
    Ellipsis,
    FatArrow,
    Question,
    Colon,
    TemplateInterp,
    TemplateControl,
    TemplateSeqEnd,
    /// Literal text inside a quoted template.
    QuotedLit,
    /// Literal text inside a heredoc template (may hold its line ending).
    StringLit,
    NumberLit,
    Ident,
    /// `#` and `//` comments hold their line ending; `/* */` comments do not.
    Comment,
    Newline,
    /// A character the native scanner accepts as a token but no rule of the grammar uses
    /// (`&`, `|`, `~`, `^`, `;`, backquote, quote); the parser rejects them.
    Stray,
    Eof,
}

/// One token: its kind, its exact text and the number of spaces written before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: Kind,
    pub text: String,
    pub spaces: usize,
}

impl Token {
    pub fn new(kind: Kind, text: impl Into<String>) -> Token {
        Token {
            kind,
            text: text.into(),
            spaces: 0,
        }
    }

    /// How the token changes the bracket nesting (interpolations count as brackets).
    pub fn bracket_change(&self) -> i32 {
        match self.kind {
            Kind::OBrace
            | Kind::OBrack
            | Kind::OParen
            | Kind::TemplateControl
            | Kind::TemplateInterp => 1,
            Kind::CBrace | Kind::CBrack | Kind::CParen | Kind::TemplateSeqEnd => -1,
            _ => 0,
        }
    }

    /// Newline tokens and single-line comments (which hold their line ending) end a line.
    pub fn ends_line(&self) -> bool {
        match self.kind {
            Kind::Newline => true,
            Kind::Comment => self.text.ends_with('\n'),
            _ => false,
        }
    }

    pub fn is_keyword(&self, word: &str) -> bool {
        self.kind == Kind::Ident && self.text == word
    }
}
