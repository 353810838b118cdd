//! A small parser for one command's arguments.
//!
//! Understands positionals, `--name VALUE`, `--name=VALUE`, `-x VALUE`,
//! switches without a value, `--` (everything after it is positional) and
//! `-h`/`--help` anywhere. Each command declares its options in an [`Opt`]
//! table; anything else is a usage error that names the offending word.

use crate::error::CliError;

/// One option a command accepts.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    /// The long name without dashes: `until` for `--until`.
    pub long: &'static str,
    /// An optional one-letter form: `o` for `-o`.
    pub short: Option<char>,
    /// The value's placeholder (`TIME`), or `None` for a switch.
    pub value: Option<&'static str>,
}

impl Opt {
    /// An option that takes a value.
    pub const fn value(long: &'static str, placeholder: &'static str) -> Opt {
        Opt { long, short: None, value: Some(placeholder) }
    }

    /// A switch: present or not.
    pub const fn switch(long: &'static str) -> Opt {
        Opt { long, short: None, value: None }
    }

    /// The same option with a one-letter form.
    pub const fn with_short(self, short: char) -> Opt {
        Opt { short: Some(short), ..self }
    }
}

/// The arguments of one command, sorted out.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The command these belong to, for error messages.
    command: String,
    /// Words that are not options, in order.
    positionals: Vec<String>,
    /// Options with values, by long name.
    values: Vec<(&'static str, String)>,
    /// Switches given, by long name.
    switches: Vec<&'static str>,
    /// Whether `-h` or `--help` was given.
    pub help: bool,
}

/// Sorts `args` (the words after the command name) by the table `opts`.
pub fn parse(command: &str, args: &[String], opts: &[Opt]) -> Result<Parsed, CliError> {
    let mut parsed = Parsed { command: command.into(), ..Parsed::default() };
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            parsed.positionals.extend(words.by_ref().cloned());
        } else if word == "-h" || word == "--help" {
            parsed.help = true;
        } else if word.len() > 1 && word.starts_with('-') {
            let (opt, inline) = find(command, word, opts)?;
            parsed.take(opt, inline, &mut words)?;
        } else {
            parsed.positionals.push(word.clone());
        }
    }
    Ok(parsed)
}

/// The option `word` names, and the value written inside it after `=`.
fn find<'w>(
    command: &str,
    word: &'w str,
    opts: &[Opt],
) -> Result<(Opt, Option<&'w str>), CliError> {
    let (name, inline) = match word.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (word, None),
    };
    let found = if let Some(long) = name.strip_prefix("--") {
        opts.iter().find(|o| o.long == long)
    } else {
        let mut letters = name[1..].chars();
        match (letters.next(), letters.next()) {
            (Some(c), None) => opts.iter().find(|o| o.short == Some(c)),
            _ => None,
        }
    };
    let opt = found.ok_or_else(|| CliError::usage(command, format!("unknown option '{name}'")))?;
    Ok((*opt, inline))
}

impl Parsed {
    /// Records `opt`, taking its value from `inline` or the next word.
    fn take<'a>(
        &mut self,
        opt: Opt,
        inline: Option<&str>,
        words: &mut impl Iterator<Item = &'a String>,
    ) -> Result<(), CliError> {
        let seen = self.switches.contains(&opt.long) || self.value(opt.long).is_some();
        if seen {
            return Err(self.usage(format!("--{} is given twice", opt.long)));
        }
        let Some(placeholder) = opt.value else {
            if inline.is_some() {
                return Err(self.usage(format!("--{} takes no value", opt.long)));
            }
            self.switches.push(opt.long);
            return Ok(());
        };
        let value = match inline {
            Some(v) => v.to_string(),
            None => words.next().cloned().ok_or_else(|| {
                self.usage(format!("--{} needs a value: {placeholder}", opt.long))
            })?,
        };
        self.values.push((opt.long, value));
        Ok(())
    }

    /// A usage error of this command.
    pub fn usage(&self, message: impl Into<String>) -> CliError {
        CliError::usage(&self.command, message)
    }

    /// The value of `--long`, if given.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values.iter().find(|(l, _)| *l == long).map(|(_, v)| v.as_str())
    }

    /// Whether the switch `--long` was given.
    pub fn switch(&self, long: &str) -> bool {
        self.switches.contains(&long)
    }

    /// The value of `--long`, which the command cannot do without.
    pub fn required(&self, long: &str, placeholder: &str) -> Result<&str, CliError> {
        self.value(long).ok_or_else(|| self.usage(format!("--{long} {placeholder} is required")))
    }

    /// Exactly one positional argument, called `name` in messages.
    pub fn single(&self, name: &str) -> Result<&str, CliError> {
        match self.positionals.as_slice() {
            [one] => Ok(one),
            [] => Err(self.usage(format!("{name} is missing"))),
            [_, extra, ..] => Err(self.usage(format!("unexpected argument '{extra}'"))),
        }
    }

    /// The positional arguments.
    pub fn positionals(&self) -> &[String] {
        &self.positionals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: &[Opt] = &[
        Opt::value("until", "TIME"),
        Opt::switch("brief"),
        Opt::value("out", "FILE").with_short('o'),
    ];

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn sorts_positionals_values_and_switches() {
        let p = parse("run", &words("x --until 00:10:00 --brief -o f.pcap"), OPTS).unwrap();
        assert_eq!(p.single("SCENARIO").unwrap(), "x");
        assert_eq!(p.value("until"), Some("00:10:00"));
        assert_eq!(p.value("out"), Some("f.pcap"));
        assert!(p.switch("brief"));
        assert!(!p.help);
    }

    #[test]
    fn accepts_equals_and_double_dash() {
        let p = parse("run", &words("--until=5 -- --odd-name"), OPTS).unwrap();
        assert_eq!(p.value("until"), Some("5"));
        assert_eq!(p.positionals(), ["--odd-name".to_string()]);
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        let err = parse("run", &words("x --frobnicate"), OPTS).unwrap_err();
        assert!(err.to_string().contains("'--frobnicate'"), "{err}");
        assert!(err.to_string().contains("dhcpfo run --help"), "{err}");
        assert!(parse("run", &words("x --until"), OPTS).is_err());
        assert!(parse("run", &words("x --brief=1"), OPTS).is_err());
        assert!(parse("run", &words("x --brief --brief"), OPTS).is_err());
        let two = parse("run", &words("x y"), OPTS).unwrap();
        assert!(two.single("SCENARIO").unwrap_err().to_string().contains("'y'"));
    }

    #[test]
    fn notices_help_anywhere() {
        assert!(parse("run", &words("x --help"), OPTS).unwrap().help);
        assert!(parse("run", &words("-h"), OPTS).unwrap().help);
    }
}
