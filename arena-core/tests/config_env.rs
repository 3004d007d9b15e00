//! Environment-driven behaviour of `arena_core::config`.
//!
//! The environment and the loaded knobs are process-wide, so every case runs in a child
//! process: this test binary re-executes itself with `ARENA_CONFIG_TEST_CHILD=<mode>`, only the
//! `child` test runs there, and it prints one `@@ ` line per observation on stdout for the
//! parent to check. (Miri cannot spawn processes, so these are ignored under Miri; the parsers
//! are covered there by `config_grammar`.)

use std::process::Command;

use arena_core::config::{self, Config, Retain};

const CHILD: &str = "ARENA_CONFIG_TEST_CHILD";
const KNOBS: [&str; 4] = [
    "ARENA_MEMLIMIT",
    "ARENA_RETAIN",
    "ARENA_BALLAST",
    "ARENA_DEBUG",
];

const MEMLIMIT_500MB: &str = "ARENA_MEMLIMIT=\"500MB\" is malformed: expected `off` or a whole \
     number of bytes with an optional unit B, KiB, MiB, GiB or TiB (for example 500MiB); \"MB\" is \
     not a unit (did you mean MiB?)";

/// Prints an observation for the parent.
fn report(line: impl std::fmt::Display) {
    // Multi-line errors are reported on one line, `\n` escaped.
    println!("@@ {}", line.to_string().replace('\n', "\\n"));
}

fn show(result: Result<Config, config::ConfigError>) -> String {
    match result {
        Ok(c) => format!("ok {c:?}"),
        Err(e) => format!("err {e}"),
    }
}

/// Runs an empty scope; its value, or the message it panicked with.
fn scope_outcome() -> String {
    match std::panic::catch_unwind(|| arena_core::scope(|_| 42)) {
        Ok(value) => format!("scope {value}"),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            format!("panic {message}")
        }
    }
}

/// The child side. A no-op in the parent process.
#[test]
fn child() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    match mode.as_str() {
        "from_env" => report(show(config::from_env())),
        "from_env_then_current" => {
            report(show(config::from_env()));
            report(show(config::current()));
        }
        "current_thrice" => {
            for _ in 0..3 {
                report(show(config::current()));
            }
        }
        "from_env_then_current_thrice" => {
            report(show(config::from_env()));
            for _ in 0..3 {
                report(show(config::current()));
            }
        }
        "set_memlimit" => {
            config::set_memlimit(Some(4096));
            report(show(config::current()));
        }
        "set_retain" => {
            config::set_retain(Retain::Off);
            report(show(config::current()));
        }
        "set_all" => {
            config::set_memlimit(None);
            config::set_retain(Retain::Percent(7));
            config::set_ballast(3);
            config::set_trace(true);
            report(show(config::current()));
        }
        "install" => {
            Config {
                memlimit: Some(1),
                retain: Retain::Percent(0),
                ballast: 2,
                trace: true,
            }
            .install();
            report(show(config::current()));
        }
        "fail_then_set" => {
            report(show(config::current()));
            config::set_memlimit(Some(8192));
            report(show(config::current()));
        }
        "fail_then_fix_env" => {
            report(show(config::current()));
            std::env::set_var("ARENA_MEMLIMIT", "1MiB");
            // The lazy load keeps the environment it first read ...
            report(show(config::current()));
            // ... until the program validates the new one.
            report(show(config::from_env()));
            report(show(config::current()));
        }
        "setter_after_load" => {
            report(show(config::current()));
            config::set_retain(Retain::Percent(1));
            config::set_trace(false);
            report(show(config::current()));
        }
        "race_load_and_setter" => {
            let threads: Vec<_> = (0..8)
                .map(|i| {
                    std::thread::spawn(move || {
                        if i == 3 {
                            config::set_retain(Retain::Percent(77));
                        }
                        config::current().map(|_| ())
                    })
                })
                .collect();
            let all_ok = threads.into_iter().all(|t| t.join().unwrap().is_ok());
            report(format!("all ok {all_ok}"));
            report(show(config::current()));
        }
        "race_malformed" => {
            let threads: Vec<_> = (0..8)
                .map(|_| std::thread::spawn(|| show(config::current())))
                .collect();
            let results: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
            let same = results.windows(2).all(|w| w[0] == w[1]);
            report(format!("same {same}"));
            report(&results[0]);
        }
        "scope_thrice" => {
            // Silence the default hook: the panics are the expected outcome here.
            std::panic::set_hook(Box::new(|_| {}));
            for _ in 0..3 {
                report(scope_outcome());
            }
        }
        "set_memlimit_then_scope" => {
            config::set_memlimit(Some(64 << 20));
            report(scope_outcome());
        }
        "standalone_then_scope" => {
            std::panic::set_hook(Box::new(|_| {}));
            let mem = arena_core::Arena::new();
            let outcome = match mem.try_alloc_slice_fill_with(4000, |_| 7u8) {
                Ok(bytes) => format!("standalone {}", bytes.len()),
                Err(err) => format!("standalone err {err}"),
            };
            report(outcome);
            mem.free();
            report(scope_outcome());
        }
        other => panic!("unknown child mode {other:?}"),
    }
}

/// The same state machine in this very process, without child processes, so that Miri checks
/// its lock, atomics and racing threads too. The only test of this binary that touches the
/// process's own knobs (the children get the `ARENA_*` variables their test gives them, never
/// this process's).
#[test]
fn in_process_sequence() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    std::env::set_var("ARENA_MEMLIMIT", "500MB");
    std::env::set_var("ARENA_RETAIN", "25");
    std::env::remove_var("ARENA_BALLAST");
    std::env::set_var("ARENA_DEBUG", "arenatrace=1");

    // Racing first loads all fail, with the same error.
    let threads: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(config::current))
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap_err().to_string(), MEMLIMIT_500MB);
    }
    // Setting another knob does not hide the malformed one.
    config::set_ballast(5);
    assert_eq!(config::current().unwrap_err().to_string(), MEMLIMIT_500MB);
    // Setting the malformed knob does; the other knobs come from the environment.
    config::set_memlimit(Some(1 << 20));
    let want = Config {
        memlimit: Some(1 << 20),
        retain: Retain::Percent(25),
        ballast: 5,
        trace: true,
    };
    assert_eq!(config::current(), Ok(want.clone()));
    // `from_env` still sees the malformed variable and installs nothing.
    assert_eq!(config::from_env().unwrap_err().to_string(), MEMLIMIT_500MB);
    assert_eq!(config::current(), Ok(want));
    // Once the environment is fixed, `from_env` installs all of it.
    std::env::set_var("ARENA_MEMLIMIT", "2MiB");
    let want = Config {
        memlimit: Some(2 << 20),
        retain: Retain::Percent(25),
        ballast: 0,
        trace: true,
    };
    assert_eq!(config::from_env(), Ok(want.clone()));
    assert_eq!(config::current(), Ok(want));
    // Setters race readers: every read sees a whole, valid configuration.
    let threads: Vec<_> = (0..4u32)
        .map(|i| {
            std::thread::spawn(move || {
                for j in 0..10 {
                    if i == 0 {
                        config::set_retain(Retain::Percent(j));
                        config::set_trace(j % 2 == 0);
                    }
                    let now = config::current().unwrap();
                    assert!(matches!(now.retain, Retain::Percent(0..=25)), "{now:?}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(config::current().unwrap().retain, Retain::Percent(9));
    assert!(!config::current().unwrap().trace);
    for knob in KNOBS {
        std::env::remove_var(knob);
    }
}

/// Runs the `child` test in a fresh process with `mode` and exactly the given `ARENA_*`
/// variables, returning its `@@ ` lines.
fn run(mode: &str, vars: &[(&str, &str)]) -> Vec<String> {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, mode);
    for knob in KNOBS {
        command.env_remove(knob);
    }
    command.envs(vars.iter().copied());
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child {mode} failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    // libtest prints `test child ... ` on the same line as the first report.
    stdout
        .lines()
        .filter_map(|l| l.split_once("@@ "))
        .map(|(_, r)| r.to_owned())
        .collect()
}

fn ok(config: Config) -> String {
    format!("ok {config:?}")
}

fn err(message: &str) -> String {
    format!("err {}", message.replace('\n', "\\n"))
}

#[test]
#[cfg_attr(miri, ignore)]
fn from_env_without_variables_gives_the_defaults() {
    assert_eq!(
        run("from_env_then_current", &[]),
        [ok(Config::default()), ok(Config::default())]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn from_env_parses_a_valid_environment_and_installs_it() {
    let want = Config {
        memlimit: Some(500 << 20),
        retain: Retain::Percent(50),
        ballast: 64 << 20,
        trace: true,
    };
    let vars = [
        ("ARENA_MEMLIMIT", "500MiB"),
        ("ARENA_RETAIN", "50"),
        ("ARENA_BALLAST", "64MiB"),
        ("ARENA_DEBUG", "arenatrace=1"),
    ];
    assert_eq!(
        run("from_env_then_current", &vars),
        [ok(want.clone()), ok(want)]
    );

    let want = Config {
        memlimit: None,
        retain: Retain::Off,
        ballast: 0,
        trace: false,
    };
    let vars = [
        ("ARENA_MEMLIMIT", "off"),
        ("ARENA_RETAIN", "off"),
        ("ARENA_BALLAST", "off"),
        ("ARENA_DEBUG", "arenatrace=1,arenatrace=0,"),
    ];
    assert_eq!(
        run("from_env_then_current", &vars),
        [ok(want.clone()), ok(want)]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn the_lazy_load_reads_a_valid_environment() {
    let want = Config {
        memlimit: Some(1 << 30),
        retain: Retain::Percent(0),
        ballast: 4096,
        trace: false,
    };
    let vars = [
        ("ARENA_MEMLIMIT", "1GiB"),
        ("ARENA_RETAIN", "0"),
        ("ARENA_BALLAST", "4KiB"),
    ];
    assert_eq!(run("current_thrice", &vars), vec![ok(want); 3]);
}

#[test]
#[cfg_attr(miri, ignore)]
fn empty_variables_count_as_unset() {
    let vars = [
        ("ARENA_MEMLIMIT", ""),
        ("ARENA_RETAIN", ""),
        ("ARENA_BALLAST", ""),
        ("ARENA_DEBUG", ""),
    ];
    assert_eq!(run("from_env", &vars), [ok(Config::default())]);
}

#[test]
#[cfg_attr(miri, ignore)]
fn from_env_names_each_malformed_variable() {
    let cases: [(&str, &str, &str); 8] = [
        ("ARENA_MEMLIMIT", "500MB", MEMLIMIT_500MB),
        ("ARENA_MEMLIMIT", "1.5GiB", "ARENA_MEMLIMIT=\"1.5GiB\" is malformed: expected `off` or a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB (for example 500MiB); decimals are not allowed: use a whole number of a smaller unit (did you mean 1536MiB?)"),
        ("ARENA_MEMLIMIT", " 5", "ARENA_MEMLIMIT=\" 5\" is malformed: expected `off` or a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB (for example 500MiB); leading or trailing whitespace is not allowed (did you mean 5?)"),
        ("ARENA_RETAIN", "-1", "ARENA_RETAIN=\"-1\" is malformed: expected `off` or a whole percent, digits only (for example 50); a sign is not allowed: negative values are meaningless; use `off` to keep everything (what GOGC=-1 or GOGC=off does in Go)"),
        ("ARENA_RETAIN", "50%", "ARENA_RETAIN=\"50%\" is malformed: expected `off` or a whole percent, digits only (for example 50); write the percent without `%` (did you mean 50?)"),
        ("ARENA_BALLAST", "64mib", "ARENA_BALLAST=\"64mib\" is malformed: expected a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB, or `off` for none (for example 64MiB); units are case-sensitive (did you mean 64MiB?)"),
        ("ARENA_DEBUG", "gctrace=1", "ARENA_DEBUG=\"gctrace=1\" is malformed: expected a comma-separated list of key=value settings; the known key is arenatrace, with value 0 or 1 (for example arenatrace=1); unknown key \"gctrace\" (did you mean arenatrace?); the known keys are: arenatrace"),
        ("ARENA_DEBUG", "arenatrace=2", "ARENA_DEBUG=\"arenatrace=2\" is malformed: expected a comma-separated list of key=value settings; the known key is arenatrace, with value 0 or 1 (for example arenatrace=1); arenatrace must be 0 or 1, not \"2\""),
    ];
    for (variable, value, message) in cases {
        // Nothing is installed on error: the lazy load then fails the same way, every time.
        assert_eq!(
            run(
                "from_env_then_current_thrice",
                &[
                    (variable, value),
                    (
                        "ARENA_RETAIN",
                        if variable == "ARENA_RETAIN" {
                            value
                        } else {
                            "10"
                        }
                    )
                ]
            ),
            vec![err(message); 4],
            "{variable}={value}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn from_env_lists_every_malformed_variable() {
    let vars = [
        ("ARENA_DEBUG", "x"),
        ("ARENA_MEMLIMIT", "500MB"),
        ("ARENA_BALLAST", "1"),
        ("ARENA_RETAIN", "OFF"),
    ];
    let lines = run("from_env", &vars);
    assert_eq!(lines.len(), 1);
    let messages: Vec<&str> = lines[0]
        .strip_prefix("err ")
        .unwrap()
        .split("\\n")
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages[0], MEMLIMIT_500MB);
    assert!(
        messages[1].starts_with("ARENA_RETAIN=\"OFF\" is malformed"),
        "{}",
        messages[1]
    );
    assert!(
        messages[1].ends_with("`off` must be lowercase (did you mean off?)"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].starts_with("ARENA_DEBUG=\"x\" is malformed"),
        "{}",
        messages[2]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_malformed_knob_fails_every_load() {
    assert_eq!(
        run("current_thrice", &[("ARENA_MEMLIMIT", "500MB")]),
        vec![err(MEMLIMIT_500MB); 3]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn concurrent_loads_of_a_malformed_knob_all_fail_the_same() {
    assert_eq!(
        run("race_malformed", &[("ARENA_MEMLIMIT", "500MB")]),
        ["same true".to_owned(), err(MEMLIMIT_500MB)]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_setter_overrides_its_own_malformed_knob() {
    let want = Config {
        memlimit: Some(4096),
        retain: Retain::Percent(20),
        ..Config::default()
    };
    assert_eq!(
        run(
            "set_memlimit",
            &[("ARENA_MEMLIMIT", "500MB"), ("ARENA_RETAIN", "20")]
        ),
        [ok(want)]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_setter_does_not_hide_another_malformed_knob() {
    assert_eq!(
        run(
            "set_retain",
            &[("ARENA_MEMLIMIT", "500MB"), ("ARENA_RETAIN", "x")]
        ),
        [err(MEMLIMIT_500MB)]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn setting_every_knob_ignores_the_environment() {
    let vars = [
        ("ARENA_MEMLIMIT", "500MB"),
        ("ARENA_RETAIN", "x"),
        ("ARENA_BALLAST", "y"),
        ("ARENA_DEBUG", "z"),
    ];
    let want = Config {
        memlimit: None,
        retain: Retain::Percent(7),
        ballast: 3,
        trace: true,
    };
    assert_eq!(run("set_all", &vars), [ok(want)]);
    let want = Config {
        memlimit: Some(1),
        retain: Retain::Percent(0),
        ballast: 2,
        trace: true,
    };
    assert_eq!(run("install", &vars), [ok(want)]);
}

#[test]
#[cfg_attr(miri, ignore)]
fn setting_the_malformed_knob_after_a_failure_recovers() {
    let vars = [("ARENA_MEMLIMIT", "500MB"), ("ARENA_RETAIN", "30")];
    let want = Config {
        memlimit: Some(8192),
        retain: Retain::Percent(30),
        ..Config::default()
    };
    assert_eq!(run("fail_then_set", &vars), [err(MEMLIMIT_500MB), ok(want)]);
}

#[test]
#[cfg_attr(miri, ignore)]
fn from_env_after_fixing_the_environment_recovers() {
    let want = Config {
        memlimit: Some(1 << 20),
        ..Config::default()
    };
    assert_eq!(
        run("fail_then_fix_env", &[("ARENA_MEMLIMIT", "500MB")]),
        [
            err(MEMLIMIT_500MB),
            err(MEMLIMIT_500MB),
            ok(want.clone()),
            ok(want)
        ]
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn setters_after_the_load_take_effect() {
    let vars = [("ARENA_RETAIN", "off"), ("ARENA_DEBUG", "arenatrace=1")];
    let loaded = Config {
        retain: Retain::Off,
        trace: true,
        ..Config::default()
    };
    let set = Config {
        retain: Retain::Percent(1),
        trace: false,
        ..Config::default()
    };
    assert_eq!(run("setter_after_load", &vars), [ok(loaded), ok(set)]);
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_setter_racing_the_lazy_load_wins() {
    let want = Config {
        retain: Retain::Percent(77),
        ballast: 1 << 10,
        ..Config::default()
    };
    for _ in 0..5 {
        let lines = run(
            "race_load_and_setter",
            &[("ARENA_RETAIN", "10"), ("ARENA_BALLAST", "1KiB")],
        );
        assert_eq!(lines, ["all ok true".to_owned(), ok(want.clone())]);
    }
}

#[test]
#[cfg_attr(miri, ignore)]
#[cfg(unix)]
fn a_value_that_is_not_utf8_is_malformed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "from_env");
    for knob in KNOBS {
        command.env_remove(knob);
    }
    command.env("ARENA_RETAIN", OsStr::from_bytes(b"5\xff0"));
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("@@ err ARENA_RETAIN=\"5\u{fffd}0\" is malformed: expected `off` or a whole percent, digits only (for example 50); the value is not valid UTF-8"),
        "{stdout}"
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_malformed_knob_fails_every_scope_with_its_message() {
    let lines = run("scope_thrice", &[("ARENA_MEMLIMIT", "500MB")]);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for line in &lines {
        let message = line
            .strip_prefix("panic ")
            .unwrap_or_else(|| panic!("{line:?}"));
        assert!(message.contains(MEMLIMIT_500MB), "{message:?}");
    }
    let lines = run("scope_thrice", &[("ARENA_DEBUG", "arenatrce=1")]);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for line in &lines {
        assert!(line.starts_with("panic "), "{line:?}");
        assert!(
            line.contains("ARENA_DEBUG=\"arenatrce=1\" is malformed"),
            "{line:?}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn scopes_run_with_a_valid_environment_or_an_overriding_setter() {
    assert_eq!(
        run(
            "scope_thrice",
            &[("ARENA_MEMLIMIT", "64MiB"), ("ARENA_RETAIN", "off")]
        ),
        vec!["scope 42"; 3]
    );
    assert_eq!(run("scope_thrice", &[]), vec!["scope 42"; 3]);
    assert_eq!(
        run("set_memlimit_then_scope", &[("ARENA_MEMLIMIT", "500MB")]),
        ["scope 42"]
    );
    let lines = run(
        "set_memlimit_then_scope",
        &[("ARENA_MEMLIMIT", "500MB"), ("ARENA_BALLAST", "1 MiB")],
    );
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("panic ") && lines[0].contains("ARENA_BALLAST=\"1 MiB\" is malformed"),
        "{lines:?}"
    );
}

/// A standalone arena reads only `ARENA_MEMLIMIT` and `ARENA_DEBUG`: a malformed scope knob does
/// not make it fail, while every scope still reports that knob, its value and its grammar.
#[test]
#[cfg_attr(miri, ignore)]
fn a_standalone_arena_ignores_the_scope_knobs() {
    assert_eq!(
        run("standalone_then_scope", &[("ARENA_RETAIN", "50%")]),
        [
            "standalone 4000",
            "panic arena scope: ARENA_RETAIN=\"50%\" is malformed: expected `off` or a whole \
             percent, digits only (for example 50); write the percent without `%` (did you mean \
             50?)"
        ]
    );
    let lines = run(
        "standalone_then_scope",
        &[("ARENA_BALLAST", "64MB"), ("ARENA_MEMLIMIT", "1MiB")],
    );
    assert_eq!(lines[0], "standalone 4000");
    assert!(
        lines[1].starts_with("panic arena scope: ARENA_BALLAST=\"64MB\" is malformed"),
        "{lines:?}"
    );
    // The knob it does read still has to be well-formed.
    assert_eq!(
        run("standalone_then_scope", &[("ARENA_MEMLIMIT", "500MB")]),
        [
            format!("standalone err arena: cannot allocate 4000 bytes: {MEMLIMIT_500MB}"),
            format!("panic arena scope: {MEMLIMIT_500MB}"),
        ]
    );
}
