//! A reader of one-line POSIX shell scripts: enough of the shell's grammar (quotes, expansions,
//! command substitutions, compound commands, `case`, redirections, keywords in command position)
//! to answer two questions exactly, where a first-word match guesses:
//!
//! - **How does the script join others with `&&` on one line?** ([`Shape`]) `a || b` after `&&`
//!   needs braces, `a &` and `a;` cannot be followed by `&&` at all, and a `# comment` swallows
//!   whatever follows it on the line.
//! - **Can the script leave state behind in its shell, or read state an earlier script left?**
//!   ([`Effect`]) A `cd` inside an `if`, `export` behind `command`, a function, `${X:=1}`, a
//!   background job, an assignment before `:`.
//!
//! It reads the script the way `dash` and `bash` both do, and refuses ([`Unsupported`]) what they
//! read differently (`&>`, `[[`, `$'...'`, here-strings, ...), what spans lines, and what is not
//! valid shell. A refusal is never a guess: the callers then keep the script on its own. Imports
//! nothing from the crate.

/// How a script that [`analyze`] accepted joins others on one line with `&&`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Pipelines joined by `&&` only (`a && b | c`, `if ...; fi`): as it is, before or after `&&`.
    AndList,
    /// A list with `;`, `&` or `||` at its top level (`a || b`, `a; b`): as it is before `&&`,
    /// in braces after one (`x && a || b` would run `b` when `x` fails).
    List,
    /// A list that ends in `;` or `&` (`a &`): `&&` cannot follow it, so always in braces.
    Terminated,
}

/// Why a script cannot be joined with others on one line. Such a script keeps its own RUN, or
/// is carried whole in exec form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// Nothing but blanks.
    Empty,
    /// A line break or another control character (tab aside): a Dockerfile line cannot hold it.
    MultiLine,
    /// A `# comment`: on a joined line it would swallow every command after it.
    Comment,
    /// A here-document (`<<`): its body needs lines of its own.
    HereDoc,
    /// An unterminated quote, expansion or substitution, or a trailing `\`.
    Unterminated,
    /// Not valid shell: an operator without a command, a keyword out of place, an unclosed
    /// group or compound command.
    Unbalanced,
    /// A function definition.
    Function,
    /// Syntax that `dash` and `bash` read differently (or only one of them reads).
    NonPortable(&'static str),
    /// Expansions nested deeper than [`MAX_NESTING`].
    TooDeep,
}

/// How deep expansions and substitutions may nest (`$(a $(b ...))`): far beyond any real
/// script, and a bound on the reader's recursion.
pub const MAX_NESTING: usize = 64;

/// Something a script does that another script in the same shell could see, or that depends on
/// what ran before it in that shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A builtin that changes the shell (`cd`, `export`, `set`, `trap`, `exit`, ...), or runs
    /// code it cannot see (`eval`, `.`, `command`, `builtin`).
    Builtin(String),
    /// A variable assignment that outlives its command (`X=1` alone, or before `:`).
    Assignment,
    /// A command whose name is computed (`$CMD`, `"$(which x)"`, a glob): it may be any builtin.
    DynamicCommand,
    /// An expansion that assigns (`${X:=1}`, `$((i+=1))`, `$((i++))`).
    ExpansionAssigns,
    /// A `for` loop outside a subshell: its variable outlives it.
    LoopVariable,
    /// A background job (`&`): it would outlive its RUN and run on into the next commands.
    Background,
    /// A shell variable whose value depends on what ran before (`$_`, `$PIPESTATUS`, `$SECONDS`).
    ShellVariable(String),
    /// It names the shell's own binary (`ln -sf bash /bin/sh`, `apt-get install dash`): a later
    /// RUN would start the new shell, a joined command still runs in the old one.
    ShellBinary,
}

/// What [`analyze`] found in a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub shape: Shape,
    /// Empty for a script that can share its shell with others, before or after them.
    pub effects: Vec<Effect>,
}

/// Read `script` as one line of POSIX shell.
pub fn analyze(script: &str) -> Result<Analysis, Unsupported> {
    let mut p = Parser::new(script.as_bytes(), 0);
    p.run()?;
    let shape = if !p.root_list {
        Shape::AndList
    } else if p.root_terminated {
        Shape::Terminated
    } else {
        Shape::List
    };
    Ok(Analysis {
        shape,
        effects: p.effects,
    })
}

/// `script` as an operand of `&&` on one joined line: as it is when `&&` takes it whole (an
/// `&&` list, or any list in first place that does not end in `;` or `&`), else in braces
/// (`{ a || b; }`, `{ a & }`). `None` when it cannot be on a joined line at all (more than one
/// line, a comment, a here-doc, or anything [`analyze`] refuses).
pub fn and_operand(script: &str, first: bool) -> Option<String> {
    let script = script.trim();
    Some(match (analyze(script).ok()?.shape, first) {
        (Shape::AndList, _) | (Shape::List, true) => script.to_string(),
        (Shape::List, false) => format!("{{ {script}; }}"),
        (Shape::Terminated, _) => format!("{{ {script} }}"),
    })
}

/// Builtins whose effect stays in the shell that runs them; harmless inside a subshell.
const STATEFUL: &[&str] = &[
    "cd",
    "pushd",
    "popd",
    "dirs",
    "export",
    "unset",
    "set",
    "shift",
    "readonly",
    "local",
    "declare",
    "typeset",
    "alias",
    "unalias",
    "umask",
    "ulimit",
    "exec",
    "exit",
    "return",
    "break",
    "continue",
    "logout",
    "read",
    "getopts",
    "mapfile",
    "readarray",
    "let",
    "hash",
    "shopt",
    "enable",
    "jobs",
    "fg",
    "bg",
    "disown",
    "suspend",
    "wait",
    "history",
];

/// Builtins that run code this reader does not see: flagged even inside a subshell, where that
/// code could still start a background job or read `$_`.
const OPAQUE: &[&str] = &["eval", ".", "source", "command", "builtin", "trap", "fc"];

/// Special builtins after which a prefix assignment (`X=1 :`) stays in the shell (the others
/// are in [`STATEFUL`] or [`OPAQUE`] already).
const KEEPS_ASSIGNMENTS: &[&str] = &[":", "times"];

/// Variables the shell sets from what ran before.
const HISTORY_VARIABLES: &[&str] = &[
    "_",
    "PIPESTATUS",
    "BASH_COMMAND",
    "BASH_LINENO",
    "BASH_SUBSHELL",
    "SECONDS",
];

/// Words that name the shell binary (see [`Effect::ShellBinary`]).
fn names_shell_binary(value: &str) -> bool {
    matches!(value, "dash" | "bash" | "busybox")
        || ["bin/sh", "bin/bash", "bin/dash"]
            .iter()
            .any(|p| value.contains(p))
}

/// Reserved words, recognized as the first word of a command only.
const KEYWORDS: &[&str] = &[
    "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "case", "esac",
    "in", "{", "}", "!", "time", "select", "function", "coproc", "[[", "]]",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `( ... )`
    Paren,
    /// `$( ... )`
    Subst,
    /// `{ ...; }`
    Brace,
    /// `if` / `elif` condition, waiting for `then`.
    IfCond,
    /// After `then` (or `else` when `else_seen`).
    IfBody { else_seen: bool },
    /// `while` / `until` condition, waiting for `do`.
    LoopCond,
    /// After `do`, waiting for `done`.
    LoopBody,
    /// `for`, waiting for the variable name.
    ForName,
    /// `for NAME`, waiting for `in`, `;` or `do`.
    ForAfterName,
    /// `for NAME in`, reading words until `;`.
    ForWords,
    /// `for NAME ...;`, waiting for `do`.
    ForExpectDo,
    /// `case`, waiting for the subject word.
    CaseSubject,
    /// `case WORD`, waiting for `in`.
    CaseIn,
    /// Waiting for a pattern or `esac`.
    CasePattern,
    /// Inside a pattern, until `)`.
    CasePatternWords,
    /// After `)`, until `;;` or `esac`.
    CaseBody,
}

struct Frame {
    kind: Kind,
    /// A command started in the current part (condition, body, group).
    seen: bool,
}

/// What the last token was, to tell which tokens may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// The start, or right after `;` / `&`: a command or the end may follow.
    Sep,
    /// After `&&`, `||`, `!`, `time`: a command must follow.
    Op,
    /// After `|`: a command must follow, and `!` may not.
    Pipe,
    /// After a keyword or bracket that opens a list (`if`, `then`, `{`, `(`, a case `)`).
    Opener,
    /// Inside a simple command, after a word or a redirection.
    Word,
    /// After `)`, `}`, `fi`, `done`, `esac`: only operators and redirections may follow.
    Closer,
}

/// The simple command being read.
#[derive(Default)]
struct Cmd {
    /// Words before the command name that assign (`X=1`).
    assignments: usize,
    redirections: usize,
    /// The command name's value after quote removal (`None` when computed), once read.
    name: Option<Option<String>>,
    args: usize,
    /// `time` was read: a `-p` may follow before the command.
    after_time: bool,
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    /// Expansions open around the current position (bounded by [`MAX_NESTING`]).
    nesting: usize,
    /// Subshells around the current position: state changed in them stays in them.
    isolated: usize,
    frames: Vec<Frame>,
    prev: Prev,
    cmd: Cmd,
    effects: Vec<Effect>,
    /// The root level had `;`, `&`, `||`.
    root_list: bool,
    /// The root level ended in `;` or `&`.
    root_terminated: bool,
    /// Anything but blanks was read.
    any: bool,
}

/// A word as read: its value after quote removal when nothing in it expands, and whether it was
/// written without any quoting (keywords and assignments must be).
struct Word {
    start: usize,
    end: usize,
    value: Option<String>,
    plain: bool,
}

impl<'a> Parser<'a> {
    fn new(s: &'a [u8], isolated: usize) -> Self {
        Parser {
            s,
            i: 0,
            nesting: 0,
            isolated,
            frames: Vec::new(),
            prev: Prev::Sep,
            cmd: Cmd::default(),
            effects: Vec::new(),
            root_list: false,
            root_terminated: false,
            any: false,
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.s.get(self.i + ahead).copied()
    }

    fn effect(&mut self, effect: Effect) {
        if !self.effects.contains(&effect) {
            self.effects.push(effect);
        }
    }

    /// An effect that a subshell contains.
    fn local_effect(&mut self, effect: Effect) {
        if self.isolated == 0 {
            self.effect(effect);
        }
    }

    fn at_root(&self) -> bool {
        self.frames.is_empty()
    }

    fn top(&self) -> Option<Kind> {
        self.frames.last().map(|f| f.kind)
    }

    fn set_top(&mut self, kind: Kind) {
        if let Some(f) = self.frames.last_mut() {
            f.kind = kind;
            f.seen = false;
        }
    }

    fn top_seen(&self) -> bool {
        self.frames.last().is_some_and(|f| f.seen)
    }

    fn mark_seen(&mut self) {
        if let Some(f) = self.frames.last_mut() {
            f.seen = true;
        }
    }

    fn push(&mut self, kind: Kind) {
        self.mark_seen();
        if matches!(kind, Kind::Paren | Kind::Subst) {
            self.isolated += 1;
        }
        self.frames.push(Frame { kind, seen: false });
    }

    fn pop(&mut self) {
        if let Some(f) = self.frames.pop() {
            if matches!(f.kind, Kind::Paren | Kind::Subst) {
                self.isolated -= 1;
            }
        }
    }

    /// Read the whole input (or, inside `$(`, up to its `)`).
    fn run(&mut self) -> Result<(), Unsupported> {
        let base = self.frames.len();
        loop {
            while matches!(self.peek(0), Some(b' ' | b'\t')) {
                self.i += 1;
            }
            let Some(c) = self.peek(0) else { break };
            self.any = true;
            if c != b';' && c != b'&' && self.at_root() {
                self.root_terminated = false;
            }
            match c {
                b'#' => return Err(Unsupported::Comment),
                b'\n' | b'\r' => return Err(Unsupported::MultiLine),
                c if c.is_ascii_control() => return Err(Unsupported::MultiLine),
                b';' => self.semicolon()?,
                b'&' => match self.peek(1) {
                    Some(b'&') => {
                        self.i += 2;
                        self.and_or(false)?;
                    }
                    Some(b'>') => return Err(Unsupported::NonPortable("&>")),
                    _ => {
                        self.i += 1;
                        self.effect(Effect::Background);
                        self.separator()?;
                    }
                },
                b'|' => match self.peek(1) {
                    Some(b'|') => {
                        self.i += 2;
                        self.and_or(true)?;
                    }
                    Some(b'&') => return Err(Unsupported::NonPortable("|&")),
                    _ => {
                        self.i += 1;
                        self.and_or(false)?;
                        if self.prev == Prev::Op {
                            self.prev = Prev::Pipe;
                        }
                    }
                },
                b'(' => self.open_paren()?,
                b')' => {
                    if self.close_paren()? && self.frames.len() < base {
                        return Ok(());
                    }
                }
                b'<' | b'>' => self.redirection()?,
                _ => {
                    let word = self.word()?;
                    self.handle_word(word)?;
                }
            }
        }
        if base > 0 {
            // Inside `$(`: the input ended before its `)`.
            return Err(Unsupported::Unterminated);
        }
        if !self.any {
            return Err(Unsupported::Empty);
        }
        self.end_command();
        if !self.frames.is_empty() {
            return Err(Unsupported::Unbalanced);
        }
        if matches!(self.prev, Prev::Op | Prev::Pipe | Prev::Opener) {
            return Err(Unsupported::Unbalanced);
        }
        Ok(())
    }

    /// The simple command ended: judge what it did.
    fn end_command(&mut self) {
        let cmd = std::mem::take(&mut self.cmd);
        match &cmd.name {
            None if cmd.assignments > 0 => self.local_effect(Effect::Assignment),
            Some(Some(name))
                if cmd.assignments > 0 && KEEPS_ASSIGNMENTS.contains(&name.as_str()) =>
            {
                self.local_effect(Effect::Assignment)
            }
            _ => {}
        }
    }

    /// May a command start here?
    fn command_may_start(&self) -> Result<(), Unsupported> {
        match self.prev {
            Prev::Closer => Err(Unsupported::Unbalanced),
            _ => Ok(()),
        }
    }

    fn semicolon(&mut self) -> Result<(), Unsupported> {
        match self.peek(1) {
            Some(b';') => {
                if self.peek(2) == Some(b'&') {
                    return Err(Unsupported::NonPortable(";;&"));
                }
                self.i += 2;
                // `;;` ends a case body.
                if self.top() != Some(Kind::CaseBody) || matches!(self.prev, Prev::Op | Prev::Pipe)
                {
                    return Err(Unsupported::Unbalanced);
                }
                self.end_command();
                self.set_top(Kind::CasePattern);
                self.prev = Prev::Opener;
                Ok(())
            }
            Some(b'&') => Err(Unsupported::NonPortable(";&")),
            _ => {
                self.i += 1;
                self.separator()
            }
        }
    }

    /// `;` or `&` (already consumed).
    fn separator(&mut self) -> Result<(), Unsupported> {
        if !matches!(self.prev, Prev::Word | Prev::Closer) {
            return Err(Unsupported::Unbalanced);
        }
        self.end_command();
        match self.top() {
            Some(Kind::ForAfterName | Kind::ForWords) => self.set_top(Kind::ForExpectDo),
            Some(
                Kind::ForName
                | Kind::ForExpectDo
                | Kind::CaseSubject
                | Kind::CaseIn
                | Kind::CasePattern
                | Kind::CasePatternWords,
            ) => return Err(Unsupported::Unbalanced),
            _ => {}
        }
        if self.at_root() {
            self.root_list = true;
            self.root_terminated = true;
        }
        self.prev = Prev::Sep;
        Ok(())
    }

    /// `&&`, `||` (`or`) or `|` (already consumed).
    fn and_or(&mut self, or: bool) -> Result<(), Unsupported> {
        if self.top() == Some(Kind::CasePatternWords) && !or && self.prev == Prev::Word {
            // `a|b)`: alternatives of a case pattern.
            self.prev = Prev::Op;
            return Ok(());
        }
        if !matches!(self.prev, Prev::Word | Prev::Closer) || self.in_header() {
            return Err(Unsupported::Unbalanced);
        }
        self.end_command();
        if or && self.at_root() {
            self.root_list = true;
        }
        self.prev = Prev::Op;
        Ok(())
    }

    /// Inside a `for` or `case` header, where operators have no place.
    fn in_header(&self) -> bool {
        matches!(
            self.top(),
            Some(
                Kind::ForName
                    | Kind::ForAfterName
                    | Kind::ForWords
                    | Kind::ForExpectDo
                    | Kind::CaseSubject
                    | Kind::CaseIn
                    | Kind::CasePattern
                    | Kind::CasePatternWords
            )
        )
    }

    fn cmd_is_empty(&self) -> bool {
        self.cmd.assignments == 0 && self.cmd.redirections == 0 && self.cmd.name.is_none()
    }

    fn open_paren(&mut self) -> Result<(), Unsupported> {
        if self.top() == Some(Kind::CasePattern) && self.prev == Prev::Opener {
            // The optional `(` before a case pattern.
            self.i += 1;
            self.set_top(Kind::CasePatternWords);
            self.prev = Prev::Op;
            return Ok(());
        }
        if self.in_header() {
            return Err(Unsupported::Unbalanced);
        }
        if self.prev == Prev::Word {
            return Err(
                if matches!(self.cmd.name, Some(Some(_)))
                    && self.cmd.args == 0
                    && self.cmd.assignments == 0
                {
                    Unsupported::Function
                } else {
                    Unsupported::Unbalanced
                },
            );
        }
        self.command_may_start()?;
        if !self.cmd_is_empty() {
            return Err(Unsupported::Unbalanced);
        }
        if self.peek(1) == Some(b'(') {
            return Err(Unsupported::NonPortable("(("));
        }
        self.i += 1;
        self.push(Kind::Paren);
        self.prev = Prev::Opener;
        Ok(())
    }

    /// `)`. True when it closed a `$(`.
    fn close_paren(&mut self) -> Result<bool, Unsupported> {
        self.i += 1;
        match self.top() {
            Some(Kind::CasePatternWords) if self.prev == Prev::Word => {
                self.set_top(Kind::CaseBody);
                self.prev = Prev::Opener;
                Ok(false)
            }
            Some(Kind::Paren)
                if matches!(self.prev, Prev::Word | Prev::Closer | Prev::Sep)
                    && self.top_seen() =>
            {
                self.end_command();
                self.pop();
                self.prev = Prev::Closer;
                Ok(false)
            }
            Some(Kind::Subst) if matches!(self.prev, Prev::Word | Prev::Closer | Prev::Sep) => {
                // `$( )` may be empty.
                self.end_command();
                self.pop();
                Ok(true)
            }
            _ => Err(Unsupported::Unbalanced),
        }
    }

    fn redirection(&mut self) -> Result<(), Unsupported> {
        let c = self.s[self.i];
        let next = self.peek(1);
        match (c, next) {
            (b'<', Some(b'<')) => {
                return Err(if self.peek(2) == Some(b'<') {
                    Unsupported::NonPortable("<<<")
                } else {
                    Unsupported::HereDoc
                })
            }
            (_, Some(b'(')) => return Err(Unsupported::NonPortable("process substitution")),
            (b'>', Some(b'>' | b'|' | b'&')) | (b'<', Some(b'&' | b'>')) => self.i += 2,
            _ => self.i += 1,
        }
        if self.in_header() {
            return Err(Unsupported::Unbalanced);
        }
        while matches!(self.peek(0), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        match self.peek(0) {
            None | Some(b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' | b'\n' | b'#') => {
                return Err(Unsupported::Unbalanced)
            }
            _ => {}
        }
        let target = self.word()?;
        if let Some(v) = &target.value {
            if names_shell_binary(v) {
                self.effect(Effect::ShellBinary);
            }
        }
        if self.prev != Prev::Closer {
            if self.cmd_is_empty() {
                self.mark_seen();
            }
            self.cmd.redirections += 1;
            self.prev = Prev::Word;
        }
        Ok(())
    }

    fn handle_word(&mut self, w: Word) -> Result<(), Unsupported> {
        let raw = &self.s[w.start..w.end];
        // `2>file`: the digits are the redirection's file descriptor; `{fd}>file` assigns one.
        if matches!(self.peek(0), Some(b'<' | b'>')) {
            if raw.iter().all(u8::is_ascii_digit) && w.plain {
                return Ok(());
            }
            if raw.first() == Some(&b'{') && raw.last() == Some(&b'}') {
                return Err(Unsupported::NonPortable("{fd}> redirection"));
            }
        }
        let keyword = if w.plain {
            w.value.as_deref().filter(|v| KEYWORDS.contains(v))
        } else {
            None
        };
        // Headers of `for` and `case` read words of their own.
        match self.top() {
            Some(Kind::ForName) => {
                if !is_name(raw) || !w.plain {
                    return Err(Unsupported::Unbalanced);
                }
                self.local_effect(Effect::LoopVariable);
                self.set_top(Kind::ForAfterName);
                self.prev = Prev::Word;
                return Ok(());
            }
            Some(Kind::ForAfterName) => {
                match keyword {
                    Some("in") => self.set_top(Kind::ForWords),
                    Some("do") => {
                        self.set_top(Kind::LoopBody);
                        self.prev = Prev::Opener;
                        return Ok(());
                    }
                    _ => return Err(Unsupported::Unbalanced),
                }
                self.prev = Prev::Word;
                return Ok(());
            }
            Some(Kind::ForWords) => {
                self.prev = Prev::Word;
                return Ok(());
            }
            Some(Kind::CaseSubject) => {
                self.set_top(Kind::CaseIn);
                self.prev = Prev::Word;
                return Ok(());
            }
            Some(Kind::CaseIn) => {
                if keyword != Some("in") {
                    return Err(Unsupported::Unbalanced);
                }
                self.set_top(Kind::CasePattern);
                self.prev = Prev::Opener;
                return Ok(());
            }
            Some(Kind::ForExpectDo) if keyword != Some("do") => {
                return Err(Unsupported::Unbalanced)
            }
            Some(Kind::CasePattern) if keyword == Some("esac") => {
                self.pop();
                self.prev = Prev::Closer;
                return Ok(());
            }
            Some(Kind::CasePattern) | Some(Kind::CasePatternWords) => {
                if self.prev == Prev::Word {
                    return Err(Unsupported::Unbalanced);
                }
                self.set_top(Kind::CasePatternWords);
                self.prev = Prev::Word;
                return Ok(());
            }
            _ => {}
        }
        self.command_may_start()?;
        let at_command = self.cmd.name.is_none();
        if at_command && self.cmd_is_empty() {
            if let Some(k) = keyword {
                return self.keyword(k);
            }
        }
        if at_command && self.cmd.after_time && w.value.as_deref() == Some("-p") {
            self.cmd.after_time = false;
            return Ok(());
        }
        if self.cmd_is_empty() {
            self.mark_seen();
        }
        self.prev = Prev::Word;
        if at_command && is_assignment(raw) {
            self.cmd.assignments += 1;
            return Ok(());
        }
        if at_command {
            self.command_name(&w);
            self.cmd.name = Some(w.value);
            return Ok(());
        }
        self.cmd.args += 1;
        if let Some(v) = &w.value {
            if names_shell_binary(v) {
                self.effect(Effect::ShellBinary);
            }
            if self.cmd.args == 1
                && v.starts_with("-v")
                && matches!(&self.cmd.name, Some(Some(n)) if n == "printf")
            {
                self.local_effect(Effect::Builtin("printf -v".into()));
            }
        }
        Ok(())
    }

    fn command_name(&mut self, w: &Word) {
        let Some(name) = &w.value else {
            self.effect(Effect::DynamicCommand);
            return;
        };
        if OPAQUE.contains(&name.as_str()) {
            self.effect(Effect::Builtin(name.clone()));
        } else if STATEFUL.contains(&name.as_str()) {
            self.local_effect(Effect::Builtin(name.clone()));
        }
    }

    fn keyword(&mut self, k: &str) -> Result<(), Unsupported> {
        let top = self.top();
        let seen = self.top_seen();
        match k {
            "if" => self.push(Kind::IfCond),
            "while" | "until" => self.push(Kind::LoopCond),
            "{" => self.push(Kind::Brace),
            "for" => {
                self.push(Kind::ForName);
                self.prev = Prev::Word;
                return Ok(());
            }
            "case" => {
                self.push(Kind::CaseSubject);
                self.prev = Prev::Word;
                return Ok(());
            }
            "then" if top == Some(Kind::IfCond) && seen => {
                self.set_top(Kind::IfBody { else_seen: false })
            }
            "elif" if top == Some(Kind::IfBody { else_seen: false }) && seen => {
                self.set_top(Kind::IfCond)
            }
            "else" if top == Some(Kind::IfBody { else_seen: false }) && seen => {
                self.set_top(Kind::IfBody { else_seen: true })
            }
            "do" if top == Some(Kind::LoopCond) && seen => self.set_top(Kind::LoopBody),
            "do" if top == Some(Kind::ForExpectDo) => self.set_top(Kind::LoopBody),
            "fi" if matches!(top, Some(Kind::IfBody { .. })) && seen => return self.close(),
            "done" if top == Some(Kind::LoopBody) && seen => return self.close(),
            "}" if top == Some(Kind::Brace) && seen => return self.close(),
            "esac" if top == Some(Kind::CaseBody) => return self.close(),
            "!" | "time" if self.prev == Prev::Pipe => return Err(Unsupported::Unbalanced),
            "!" => {
                self.mark_seen();
                self.prev = Prev::Op;
                return Ok(());
            }
            "time" => {
                self.mark_seen();
                self.cmd.after_time = true;
                self.prev = Prev::Op;
                return Ok(());
            }
            "select" | "function" | "coproc" | "[[" | "]]" => {
                return Err(Unsupported::NonPortable(match k {
                    "select" => "select",
                    "function" => "function",
                    "coproc" => "coproc",
                    _ => "[[",
                }))
            }
            _ => return Err(Unsupported::Unbalanced),
        }
        self.prev = Prev::Opener;
        Ok(())
    }

    fn close(&mut self) -> Result<(), Unsupported> {
        self.pop();
        self.prev = Prev::Closer;
        Ok(())
    }

    /// Read one word from the current position (which is not a blank or an operator).
    fn word(&mut self) -> Result<Word, Unsupported> {
        let start = self.i;
        let mut value: Option<Vec<u8>> = Some(Vec::new());
        let mut plain = true;
        let push = |value: &mut Option<Vec<u8>>, b: &[u8]| {
            if let Some(v) = value.as_mut() {
                v.extend_from_slice(b);
            }
        };
        while let Some(c) = self.peek(0) {
            match c {
                b' ' | b'\t' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\n' | b'\r' => return Err(Unsupported::MultiLine),
                c if c.is_ascii_control() => return Err(Unsupported::MultiLine),
                b'\\' => {
                    plain = false;
                    match self.peek(1) {
                        None => return Err(Unsupported::Unterminated),
                        Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                        Some(n) => {
                            push(&mut value, &[n]);
                            self.i += 2;
                        }
                    }
                }
                b'\'' => {
                    plain = false;
                    self.i += 1;
                    let from = self.i;
                    loop {
                        match self.peek(0) {
                            None => return Err(Unsupported::Unterminated),
                            Some(b'\'') => break,
                            Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                            Some(_) => self.i += 1,
                        }
                    }
                    push(&mut value, &self.s[from..self.i]);
                    self.i += 1;
                }
                b'"' => {
                    plain = false;
                    self.i += 1;
                    if !self.double_quoted(&mut value)? {
                        value = None;
                    }
                }
                b'$' => {
                    plain = false;
                    // `$"..."` is a translated string in bash, `$` and a string in dash.
                    let lone_before_quote = self.peek(1) == Some(b'"');
                    if self.dollar(false)? || lone_before_quote {
                        value = None;
                    } else {
                        push(&mut value, b"$");
                    }
                }
                b'`' => {
                    plain = false;
                    value = None;
                    self.backtick(false)?;
                }
                b'*' | b'?' | b'[' | b'{' | b'}' | b'~' => {
                    // Globs, brace expansion (bash) and tildes may expand to other words, so
                    // the value is unknown; alone, `[`, `[[`, `{` and `}` are themselves.
                    let end = |j: usize| {
                        matches!(
                            self.s.get(j),
                            None | Some(
                                b' ' | b'\t' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
                            )
                        )
                    };
                    if self.i == start && matches!(c, b'[' | b'{' | b'}') && end(self.i + 1) {
                        push(&mut value, &[c]);
                    } else if self.i == start
                        && c == b'['
                        && self.peek(1) == Some(b'[')
                        && end(self.i + 2)
                    {
                        push(&mut value, b"[[");
                        self.i += 1;
                    } else {
                        value = None;
                    }
                    self.i += 1;
                }
                _ => {
                    push(&mut value, &[c]);
                    self.i += 1;
                }
            }
        }
        Ok(Word {
            start,
            end: self.i,
            value: value.map(|v| String::from_utf8_lossy(&v).into_owned()),
            plain,
        })
    }

    /// After an opening `"`: up to and past the closing one. False when something expands.
    fn double_quoted(&mut self, value: &mut Option<Vec<u8>>) -> Result<bool, Unsupported> {
        let mut literal = true;
        loop {
            match self.peek(0) {
                None => return Err(Unsupported::Unterminated),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(literal);
                }
                Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                Some(c) if c.is_ascii_control() && c != b'\t' => {
                    return Err(Unsupported::MultiLine)
                }
                Some(b'\\') => match self.peek(1) {
                    None => return Err(Unsupported::Unterminated),
                    Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                    Some(n @ (b'$' | b'`' | b'"' | b'\\')) => {
                        if let Some(v) = value.as_mut() {
                            v.push(n);
                        }
                        self.i += 2;
                    }
                    Some(n) => {
                        if let Some(v) = value.as_mut() {
                            v.extend_from_slice(&[b'\\', n]);
                        }
                        self.i += 2;
                    }
                },
                Some(b'$') => {
                    if self.dollar(true)? {
                        literal = false;
                    } else if let Some(v) = value.as_mut() {
                        v.push(b'$');
                    }
                }
                Some(b'`') => {
                    literal = false;
                    self.backtick(true)?;
                }
                Some(c) => {
                    if let Some(v) = value.as_mut() {
                        v.push(c);
                    }
                    self.i += 1;
                }
            }
        }
    }

    /// At a `$`: read the expansion. False when it was a lone `$` (consumed as a character).
    fn dollar(&mut self, in_dq: bool) -> Result<bool, Unsupported> {
        if self.nesting >= MAX_NESTING {
            return Err(Unsupported::TooDeep);
        }
        self.nesting += 1;
        let read = self.expansion(in_dq);
        self.nesting -= 1;
        read
    }

    fn expansion(&mut self, in_dq: bool) -> Result<bool, Unsupported> {
        match self.peek(1) {
            Some(b'{') => {
                self.i += 2;
                self.parameter(in_dq)?;
                Ok(true)
            }
            Some(b'(') if self.peek(2) == Some(b'(') => {
                self.i += 3;
                self.arithmetic()?;
                Ok(true)
            }
            Some(b'(') => {
                self.i += 2;
                self.substitution()?;
                Ok(true)
            }
            Some(b'\'') if !in_dq => Err(Unsupported::NonPortable("$'...'")),
            Some(b'[') => Err(Unsupported::NonPortable("$[...]")),
            Some(c) if c == b'_' || c.is_ascii_alphabetic() => {
                self.i += 1;
                let from = self.i;
                while matches!(self.peek(0), Some(c) if c == b'_' || c.is_ascii_alphanumeric()) {
                    self.i += 1;
                }
                self.variable(from);
                Ok(true)
            }
            Some(c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.i += 2;
                Ok(true)
            }
            _ => {
                self.i += 1;
                Ok(false)
            }
        }
    }

    fn variable(&mut self, from: usize) {
        let name = String::from_utf8_lossy(&self.s[from..self.i]).into_owned();
        if HISTORY_VARIABLES.contains(&name.as_str()) {
            self.effect(Effect::ShellVariable(name));
        }
    }

    /// After `${`: up to and past its `}`.
    fn parameter(&mut self, in_dq: bool) -> Result<(), Unsupported> {
        match self.peek(0) {
            Some(b'!') if self.peek(1) != Some(b'}') => {
                return Err(Unsupported::NonPortable("${!...}"))
            }
            Some(b'#') if self.peek(1) != Some(b'}') => self.i += 1,
            _ => {}
        }
        match self.peek(0) {
            Some(c) if c == b'_' || c.is_ascii_alphabetic() => {
                let from = self.i;
                while matches!(self.peek(0), Some(c) if c == b'_' || c.is_ascii_alphanumeric()) {
                    self.i += 1;
                }
                self.variable(from);
            }
            Some(c) if c.is_ascii_digit() => {
                while matches!(self.peek(0), Some(c) if c.is_ascii_digit()) {
                    self.i += 1;
                }
            }
            Some(c) if b"@*#?-$!".contains(&c) => self.i += 1,
            None => return Err(Unsupported::Unterminated),
            _ => return Err(Unsupported::Unbalanced),
        }
        if self.peek(0) == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        // The operator: `=` and `:=` assign.
        let colon = self.peek(0) == Some(b':');
        let op = if colon { self.peek(1) } else { self.peek(0) };
        if op == Some(b'=') {
            self.local_effect(Effect::ExpansionAssigns);
        }
        // The word, up to the `}`.
        loop {
            match self.peek(0) {
                None => return Err(Unsupported::Unterminated),
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                Some(c) if c.is_ascii_control() && c != b'\t' => {
                    return Err(Unsupported::MultiLine)
                }
                Some(b'{') => return Err(Unsupported::NonPortable("{ inside ${...}")),
                Some(b'\\') => {
                    if self.peek(1).is_none() {
                        return Err(Unsupported::Unterminated);
                    }
                    self.i += 2;
                }
                Some(b'\'') if in_dq => {
                    return Err(Unsupported::NonPortable("' inside \"${...}\""))
                }
                Some(b'\'') => {
                    self.i += 1;
                    while self.peek(0) != Some(b'\'') {
                        match self.peek(0) {
                            None => return Err(Unsupported::Unterminated),
                            Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                            _ => self.i += 1,
                        }
                    }
                    self.i += 1;
                }
                Some(b'"') => {
                    self.i += 1;
                    let mut none = None;
                    self.double_quoted(&mut none)?;
                }
                Some(b'$') => {
                    self.dollar(in_dq)?;
                }
                Some(b'`') => self.backtick(in_dq)?,
                Some(_) => self.i += 1,
            }
        }
    }

    /// After `$((`: up to and past its `))`.
    fn arithmetic(&mut self) -> Result<(), Unsupported> {
        let mut depth = 0usize;
        loop {
            match self.peek(0) {
                None => return Err(Unsupported::Unterminated),
                Some(b'(') => {
                    depth += 1;
                    self.i += 1;
                }
                Some(b')') if depth > 0 => {
                    depth -= 1;
                    self.i += 1;
                }
                Some(b')') => {
                    if self.peek(1) != Some(b')') {
                        return Err(Unsupported::NonPortable("$(( read as $( ("));
                    }
                    self.i += 2;
                    return Ok(());
                }
                Some(b'$') => match self.peek(1) {
                    Some(b'(') if self.peek(2) == Some(b'(') => {
                        if self.nesting >= MAX_NESTING {
                            return Err(Unsupported::TooDeep);
                        }
                        self.i += 3;
                        self.nesting += 1;
                        let read = self.arithmetic();
                        self.nesting -= 1;
                        read?;
                    }
                    Some(b'(') => return Err(Unsupported::NonPortable("$( inside $((")),
                    _ => {
                        self.dollar(false)?;
                    }
                },
                Some(b'`' | b'\'' | b'"' | b'\\') => {
                    return Err(Unsupported::NonPortable("quoting inside $(("))
                }
                Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                Some(c) if c.is_ascii_control() && c != b'\t' => {
                    return Err(Unsupported::MultiLine)
                }
                Some(b'=') => {
                    let before = self.i.checked_sub(1).map(|j| self.s[j]);
                    let before2 = self.i.checked_sub(2).map(|j| self.s[j]);
                    let comparison = match before {
                        Some(b'!') => true,
                        Some(b'<' | b'>') => before2 != before,
                        _ => self.peek(1) == Some(b'='),
                    };
                    if comparison {
                        self.i += if self.peek(1) == Some(b'=') { 2 } else { 1 };
                    } else {
                        self.local_effect(Effect::ExpansionAssigns);
                        self.i += 1;
                    }
                }
                Some(c @ (b'+' | b'-')) if self.peek(1) == Some(c) => {
                    self.local_effect(Effect::ExpansionAssigns);
                    self.i += 2;
                }
                Some(c) if c == b'_' || c.is_ascii_alphabetic() => {
                    // A bare name is a variable.
                    let from = self.i;
                    while matches!(self.peek(0), Some(c) if c == b'_' || c.is_ascii_alphanumeric())
                    {
                        self.i += 1;
                    }
                    self.variable(from);
                }
                Some(c) if c.is_ascii_digit() => {
                    while matches!(self.peek(0), Some(c) if c == b'_' || c.is_ascii_alphanumeric())
                    {
                        self.i += 1;
                    }
                }
                Some(_) => self.i += 1,
            }
        }
    }

    /// After `$(`: a script of its own (in a subshell), up to and past its `)`.
    fn substitution(&mut self) -> Result<(), Unsupported> {
        let saved_prev = self.prev;
        let saved_cmd = std::mem::take(&mut self.cmd);
        let saved_terminated = self.root_terminated;
        self.push(Kind::Subst);
        self.prev = Prev::Sep;
        self.run()?;
        self.prev = saved_prev;
        self.cmd = saved_cmd;
        self.root_terminated = saved_terminated;
        Ok(())
    }

    /// At a backquote: the old form of command substitution, up to and past the closing one.
    fn backtick(&mut self, in_dq: bool) -> Result<(), Unsupported> {
        self.i += 1;
        let mut inner = Vec::new();
        loop {
            match self.peek(0) {
                None => return Err(Unsupported::Unterminated),
                Some(b'`') => {
                    self.i += 1;
                    break;
                }
                Some(b'\n' | b'\r') => return Err(Unsupported::MultiLine),
                Some(b'\\') => match self.peek(1) {
                    None => return Err(Unsupported::Unterminated),
                    Some(n @ (b'`' | b'\\' | b'$')) => {
                        inner.push(n);
                        self.i += 2;
                    }
                    Some(b'"') if in_dq => {
                        inner.push(b'"');
                        self.i += 2;
                    }
                    Some(n) => {
                        inner.extend_from_slice(&[b'\\', n]);
                        self.i += 2;
                    }
                },
                Some(c) => {
                    inner.push(c);
                    self.i += 1;
                }
            }
        }
        if inner.iter().all(|c| matches!(c, b' ' | b'\t')) {
            return Ok(());
        }
        if self.nesting >= MAX_NESTING {
            return Err(Unsupported::TooDeep);
        }
        let mut sub = Parser::new(&inner, self.isolated + 1);
        sub.nesting = self.nesting + 1;
        sub.run()?;
        for e in sub.effects {
            self.effect(e);
        }
        Ok(())
    }
}

/// `NAME`, as the shell names variables.
fn is_name(raw: &[u8]) -> bool {
    matches!(raw.first(), Some(c) if *c == b'_' || c.is_ascii_alphabetic())
        && raw.iter().all(|c| *c == b'_' || c.is_ascii_alphanumeric())
}

/// `NAME=...`, `NAME+=...` (bash) or `NAME[...]=...` (bash arrays), the name unquoted.
fn is_assignment(raw: &[u8]) -> bool {
    let name_len = raw
        .iter()
        .take_while(|c| **c == b'_' || c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || raw[0].is_ascii_digit() {
        return false;
    }
    let mut rest = &raw[name_len..];
    if rest.first() == Some(&b'[') {
        match rest.iter().position(|c| *c == b']') {
            Some(end) => rest = &rest[end + 1..],
            None => return false,
        }
    }
    if rest.first() == Some(&b'+') {
        rest = &rest[1..];
    }
    rest.first() == Some(&b'=')
}

#[cfg(test)]
mod tests {
    use super::Effect::*;
    use super::Shape::*;
    use super::Unsupported::*;
    use super::*;

    fn builtin(name: &str) -> Effect {
        Builtin(name.to_string())
    }

    fn self_contained() -> Vec<(&'static str, Shape)> {
        vec![
            ("go build ./...", AndList),
            (
                "apt-get update && apt-get install -y --no-install-recommends curl",
                AndList,
            ),
            ("mkdir -p /out && cp \"$1\" /out/app.jar", AndList),
            ("pip install -r requirements.txt || true", List),
            ("echo a; echo b", List),
            ("npm ci | tee log", AndList),
            ("! grep -q x f", AndList),
            ("CGO_ENABLED=0 go build -o /out/app .", AndList),
            ("X=\"a b\" Y=$(date) env", AndList),
            ("if [ -d sub ]; then echo yes; else echo no; fi", AndList),
            ("if a; then b; elif c; then d; fi && e", AndList),
            ("while false; do echo x; done", AndList),
            ("until true; do :; done", AndList),
            ("{ echo a; echo b; } > out", AndList),
            ("(cd sub && make)", AndList),
            ("(export X=1; exit 3) || echo failed", List),
            ("echo $(cd /tmp && pwd) `unset X; echo y`", AndList),
            (
                "case $f in *-sources.jar|*-javadoc.jar) ;; *) echo \"$f\" ;; esac",
                AndList,
            ),
            ("case x in (a) echo a;; esac", AndList),
            ("case x in a) echo a; esac", AndList),
            (
                "echo ${X:-default} ${#X} ${X%.jar} ${1} $# $? $@ \"$*\"",
                AndList,
            ),
            (
                "echo $((1 + 2)) $((a == b)) $((a <= b)) $((a != b))",
                AndList,
            ),
            ("echo 'it''s' \"q\\\"uote\" a\\ b", AndList),
            ("echo a#b ${#} '#'", AndList),
            ("cmd 2>&1 >/dev/null <in 3<>rw >|clobber", AndList),
            ("find . -name '*.pyc' -exec rm {} +", AndList),
            ("[ -f x ] && test -n \"$X\"", AndList),
            ("time -p make", AndList),
            ("echo if then fi done esac", AndList),
            ("printf '%s\\n' a", AndList),
            ("echo a; echo b;", Terminated),
            ("env cd x", AndList),
            ("sh -c 'cd /; export X=1'", AndList),
            ("echo x >> 'my file'", AndList),
            ("echo é ü", AndList),
            ("\techo\ttab", AndList),
        ]
    }

    /// Scripts that share a shell safely, and how they join.
    #[test]
    fn self_contained_scripts() {
        let cases = self_contained();
        let cases = &cases;
        for (script, shape) in cases {
            assert_eq!(
                analyze(script),
                Ok(Analysis {
                    shape: *shape,
                    effects: vec![]
                }),
                "{script:?}"
            );
        }
    }

    fn with_effects() -> Vec<(&'static str, Effect)> {
        vec![
            ("cd sub", builtin("cd")),
            ("if [ -d sub ]; then cd sub; fi", builtin("cd")),
            ("true && cd sub", builtin("cd")),
            ("false || cd sub", builtin("cd")),
            ("while false; do cd x; done", builtin("cd")),
            ("{ cd sub; }", builtin("cd")),
            ("! cd sub", builtin("cd")),
            ("time cd sub", builtin("cd")),
            ("2>/dev/null cd sub", builtin("cd")),
            ("X=1 cd sub", builtin("cd")),
            ("\"cd\" sub", builtin("cd")),
            ("c'd' sub", builtin("cd")),
            ("cd sub | cat", builtin("cd")),
            ("case x in x) cd sub;; esac", builtin("cd")),
            ("pushd sub", builtin("pushd")),
            ("export PATH=/x:$PATH", builtin("export")),
            ("unset X", builtin("unset")),
            ("set -e", builtin("set")),
            ("set -- a b", builtin("set")),
            ("shift", builtin("shift")),
            ("readonly X=1", builtin("readonly")),
            ("declare -x X=1", builtin("declare")),
            ("umask 077", builtin("umask")),
            ("ulimit -n 1024", builtin("ulimit")),
            ("exec >log", builtin("exec")),
            ("exit 0", builtin("exit")),
            ("return", builtin("return")),
            ("alias ll='ls -l'", builtin("alias")),
            ("read -r line < f", builtin("read")),
            ("getopts ab o", builtin("getopts")),
            ("hash -r", builtin("hash")),
            ("shopt -s globstar", builtin("shopt")),
            ("wait", builtin("wait")),
            ("printf -v X '%s' a", builtin("printf -v")),
            ("eval \"$SCRIPT\"", builtin("eval")),
            (". ./env.sh", builtin(".")),
            ("source ./env.sh", builtin("source")),
            ("command cd sub", builtin("command")),
            ("builtin export X=1", builtin("builtin")),
            ("trap 'rm -f x' EXIT", builtin("trap")),
            ("(eval 'sleep 1 &')", builtin("eval")),
            ("X=1", Assignment),
            ("X=1 Y=2", Assignment),
            ("X+=1", Assignment),
            ("a[0]=1", Assignment),
            ("X=1 >file", Assignment),
            ("X=1 :", Assignment),
            ("X=1 times", Assignment),
            ("if true; then X=1; fi", Assignment),
            ("$CMD sub", DynamicCommand),
            ("\"$(which cd)\" sub", DynamicCommand),
            ("`echo cd` sub", DynamicCommand),
            ("c* sub", DynamicCommand),
            ("{c,}d sub", DynamicCommand),
            ("~/bin/tool", DynamicCommand),
            ("( $CMD )", DynamicCommand),
            (": ${X:=1}", ExpansionAssigns),
            ("echo ${X=1}", ExpansionAssigns),
            ("echo $((i += 1))", ExpansionAssigns),
            ("echo $((i = 1))", ExpansionAssigns),
            ("echo $((i <<= 1))", ExpansionAssigns),
            ("echo $((i++))", ExpansionAssigns),
            ("echo \"${X:=1}\"", ExpansionAssigns),
            ("for f in a b; do echo $f; done", LoopVariable),
            ("for f; do echo $f; done", LoopVariable),
            ("sleep 100 &", Background),
            ("sleep 100 & echo started", Background),
            ("(sleep 100 &)", Background),
            ("echo $(sleep 100 &)", Background),
            ("{ sleep 100 & }", Background),
            ("echo $_", ShellVariable("_".into())),
            ("echo ${_}", ShellVariable("_".into())),
            (
                "echo \"${PIPESTATUS[0]}\"",
                ShellVariable("PIPESTATUS".into()),
            ),
            ("echo $(echo $SECONDS)", ShellVariable("SECONDS".into())),
            ("echo $((SECONDS + 1))", ShellVariable("SECONDS".into())),
            ("echo $BASH_COMMAND", ShellVariable("BASH_COMMAND".into())),
            ("echo ${BASH_LINENO}", ShellVariable("BASH_LINENO".into())),
            ("echo $BASH_SUBSHELL", ShellVariable("BASH_SUBSHELL".into())),
            ("apt-get install -y bash", ShellBinary),
            ("apk add busybox", ShellBinary),
            ("chsh -s /bin/bash", ShellBinary),
            ("ln -sf bash /bin/sh", ShellBinary),
            ("apt-get install -y dash", ShellBinary),
            ("cp x /usr/bin/dash", ShellBinary),
            ("echo x > /bin/sh", ShellBinary),
        ]
    }

    /// Scripts that leave state in their shell or read it: each rule has a line here, so
    /// removing the rule fails this test.
    #[test]
    fn scripts_with_effects() {
        let cases = with_effects();
        let cases = &cases;
        for (script, effect) in cases {
            let got = analyze(script);
            assert!(
                matches!(&got, Ok(a) if a.effects.contains(effect)),
                "{script:?}: expected {effect:?}, got {got:?}"
            );
        }
    }

    /// Every builtin by name, written out (not read from the lists), so that dropping one from
    /// a list fails here.
    #[test]
    fn every_stateful_builtin_is_caught() {
        let local = [
            "cd",
            "pushd",
            "popd",
            "dirs",
            "export",
            "unset",
            "set",
            "shift",
            "readonly",
            "local",
            "declare",
            "typeset",
            "alias",
            "unalias",
            "umask",
            "ulimit",
            "exec",
            "exit",
            "return",
            "break",
            "continue",
            "logout",
            "read",
            "getopts",
            "mapfile",
            "readarray",
            "let",
            "hash",
            "shopt",
            "enable",
            "jobs",
            "fg",
            "bg",
            "disown",
            "suspend",
            "wait",
            "history",
        ];
        let opaque = ["eval", ".", "source", "command", "builtin", "trap", "fc"];
        for name in local.iter().chain(&opaque) {
            let script = format!("true && {name} x");
            assert_eq!(
                analyze(&script).map(|a| a.effects),
                Ok(vec![builtin(name)]),
                "{script}"
            );
        }
        for name in local {
            let script = format!("( {name} x )");
            assert_eq!(analyze(&script).map(|a| a.effects), Ok(vec![]), "{script}");
        }
        for name in opaque {
            let script = format!("( {name} x )");
            assert_eq!(
                analyze(&script).map(|a| a.effects),
                Ok(vec![builtin(name)]),
                "{script}"
            );
        }
        for harmless in [
            "echo", "printf", "test", "[", "true", "false", "pwd", "kill", "type",
        ] {
            let script = format!("{harmless} x");
            assert_eq!(analyze(&script).map(|a| a.effects), Ok(vec![]), "{script}");
        }
    }

    /// Inside a subshell, state stays there.
    #[test]
    fn subshells_contain_state() {
        for script in [
            "(cd sub && make)",
            "(export X=1; unset Y; set -e; exit 1)",
            "(X=1)",
            "(for f in a; do echo $f; done)",
            "echo $(cd / && pwd)",
            "echo `X=1; echo $X`",
            "(: ${X:=1})",
            "echo $(echo $((i += 1)))",
        ] {
            assert_eq!(analyze(script).map(|a| a.effects), Ok(vec![]), "{script:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        for (open, close) in [("$(", ")"), ("${X:-", "}"), ("$((", "))"), ("\"$(", ")\"")] {
            let deep = format!("echo {}x{}", open.repeat(100_000), close.repeat(100_000));
            assert_eq!(analyze(&deep), Err(TooDeep), "{open}");
            let fine = format!("echo {}x{}", open.repeat(10), close.repeat(10));
            assert!(analyze(&fine).is_ok(), "{fine}");
        }
        let backticks = "echo `echo \\`echo \\\\\\`x\\\\\\`\\``";
        assert!(analyze(backticks).is_ok(), "{backticks}");
    }

    #[test]
    fn operands_of_and() {
        let cases: &[(&str, bool, Option<&str>)] = &[
            ("a && b | c", false, Some("a && b | c")),
            ("a || b", true, Some("a || b")),
            ("a || b", false, Some("{ a || b; }")),
            ("a; b", false, Some("{ a; b; }")),
            ("a;", true, Some("{ a; }")),
            ("a &", false, Some("{ a & }")),
            ("  a  ", false, Some("a")),
            ("if a; then b; fi", false, Some("if a; then b; fi")),
            ("a # c", true, None),
            ("a\nb", false, None),
        ];
        for (script, first, want) in cases {
            assert_eq!(
                and_operand(script, *first).as_deref(),
                *want,
                "{script:?} first={first}"
            );
        }
    }

    fn unsupported() -> Vec<(&'static str, Unsupported)> {
        vec![
            ("", Empty),
            ("   ", Empty),
            ("echo a\necho b", MultiLine),
            ("echo 'a\nb'", MultiLine),
            ("echo \"a\nb\"", MultiLine),
            ("echo a \\\n b", MultiLine),
            ("echo a\rb", MultiLine),
            ("echo \u{1}", MultiLine),
            ("echo one # first", Comment),
            ("# only a comment", Comment),
            ("echo a;# c", Comment),
            ("cat <<EOF", HereDoc),
            ("cat <<-EOF", HereDoc),
            ("echo 'open", Unterminated),
            ("echo \"open", Unterminated),
            ("echo $(open", Unterminated),
            ("echo ${open", Unterminated),
            ("echo $((1 + 2", Unterminated),
            ("echo `open", Unterminated),
            ("echo trailing \\", Unterminated),
            ("&& echo a", Unbalanced),
            ("echo a &&", Unbalanced),
            ("echo a | ", Unbalanced),
            ("echo a && && b", Unbalanced),
            ("; echo a", Unbalanced),
            ("echo a;;", Unbalanced),
            ("echo a & && echo b", Unbalanced),
            ("echo a; && echo b", Unbalanced),
            ("if true; then echo a", Unbalanced),
            ("if true; then fi", Unbalanced),
            ("then echo", Unbalanced),
            ("fi", Unbalanced),
            ("{ echo a }", Unbalanced),
            ("( echo a", Unbalanced),
            ("echo a )", Unbalanced),
            ("()", Unbalanced),
            ("while true; done", Unbalanced),
            ("for 1 in a; do :; done", Unbalanced),
            ("for x; echo; done", Unbalanced),
            ("case x in a) echo", Unbalanced),
            ("if true; then :; fi echo", Unbalanced),
            ("a=(1 2)", Unbalanced),
            ("echo a | ! b", Unbalanced),
            ("> ", Unbalanced),
            ("f() { echo f; }", Function),
            ("&> log echo", NonPortable("&>")),
            ("echo a &> log", NonPortable("&>")),
            ("echo a |& cat", NonPortable("|&")),
            ("cat <<< word", NonPortable("<<<")),
            ("diff <(a) <(b)", NonPortable("process substitution")),
            ("echo $'a\\'b'", NonPortable("$'...'")),
            ("echo $[1+1]", NonPortable("$[...]")),
            ("[[ -f x && -f y ]]", NonPortable("[[")),
            ("((i++))", NonPortable("((")),
            ("function f { :; }", NonPortable("function")),
            ("select x in a; do :; done", NonPortable("select")),
            ("coproc cat", NonPortable("coproc")),
            ("]] x", NonPortable("[[")),
            ("echo ${!ref}", NonPortable("${!...}")),
            ("echo {fd}>x", NonPortable("{fd}> redirection")),
            ("case x in a) :;& esac", NonPortable(";&")),
            ("case x in a) :;;& esac", NonPortable(";;&")),
            ("echo \"${X:-'}'}\"", NonPortable("' inside \"${...}\"")),
            ("echo ${X:-{}}", NonPortable("{ inside ${...}")),
            ("echo $((`a`))", NonPortable("quoting inside $((")),
            ("echo $(( $(a) ))", NonPortable("$( inside $((")),
            ("echo $((a) )", NonPortable("$(( read as $( (")),
        ]
    }

    /// The reader against the shells: every script it reads parses in dash (and bash), and every
    /// script it calls invalid is one dash rejects too.
    #[test]
    fn the_shells_agree_with_the_reader() {
        let parses = |shell: &str, script: &str| {
            std::process::Command::new(shell)
                .args(["-n", "-c", script])
                .stderr(std::process::Stdio::null())
                .status()
                .map(|s| s.success())
        };
        let mut wrong = Vec::new();
        let read: Vec<&str> = self_contained()
            .iter()
            .map(|(s, _)| *s)
            .chain(with_effects().iter().map(|(s, _)| *s))
            .collect();
        for shell in ["dash", "bash"] {
            if parses(shell, "true").is_err() {
                assert_ne!(shell, "dash", "dash is needed for this test");
                continue;
            }
            for script in &read {
                if parses(shell, script).ok() != Some(true) {
                    wrong.push(format!("{shell} does not parse {script:?}"));
                }
            }
        }
        for (script, why) in unsupported() {
            // A function definition is valid shell (refused all the same), and so is a trailing
            // `\` (refused because a Dockerfile would read it as a line continuation).
            let valid_anyway = script.starts_with("f()") || script.ends_with('\\');
            if matches!(why, Unbalanced | Unterminated | Function)
                && !valid_anyway
                && parses("dash", script).ok() != Some(false)
            {
                wrong.push(format!(
                    "dash parses {script:?}, which the reader calls {why:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// Scripts that cannot be joined on one line at all.
    #[test]
    fn unsupported_scripts() {
        let cases = unsupported();
        let cases = &cases;
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(script, why)| analyze(script) != Err(*why))
            .map(|(script, why)| format!("{script:?}: expected {why:?}, got {:?}", analyze(script)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
