# SPDX-License-Identifier: MIT
"""Run bouncelog on a pseudo-terminal, for the tests of terminal output.

script(1) from util-linux runs a shell command with a pseudo-terminal as
its standard input, output and error, and copies what the terminal
received to its own standard output.  The command runs with a fixed
environment (base_env()), so that the result depends on neither the
user's locale nor their terminal settings.
"""
import os
import shlex
import shutil
import subprocess

# A command put before bouncelog, such as valgrind with its options, from
# the environment variable BOUNCELOG_WRAPPER (split as a shell would).
WRAPPER = shlex.split(os.environ.get("BOUNCELOG_WRAPPER", ""))

# Settings of the sanitizers and of PCRE2's JIT (off under valgrind) that
# the run of bouncelog keeps from the test's environment.
PASSED_ON = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
             "BOUNCELOG_PCRE2_JIT")

# The TAP plan of a script that cannot run without script(1).
SKIP_PLAN = "1..0 # SKIP script(1) from util-linux not found"


def available():
    """True when script(1) is on the PATH."""
    return shutil.which("script") is not None


def base_env(**extra):
    """A fixed environment for bouncelog, plus PASSED_ON and extra."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC",
           "LC_ALL": "C.UTF-8"}
    env.update({k: os.environ[k] for k in PASSED_ON if k in os.environ})
    env.update(extra)
    return env


def shell(*words):
    """The words quoted and joined into one shell command."""
    return " ".join(shlex.quote(w) for w in words)


def command(bouncelog, *args):
    """bouncelog with its arguments, after the wrapper, for a shell."""
    return shell(*WRAPPER, bouncelog, *args)


def run(command_line, timeout, **env_extra):
    """Run a shell command under script(1) with TERM=xterm, base_env()
    and env_extra (which may replace TERM).  Returns the exit status and
    the bytes that the terminal received."""
    env = base_env(**{"TERM": "xterm", **env_extra})
    proc = subprocess.run(["script", "-qec", command_line, "/dev/null"],
                          capture_output=True, timeout=timeout, env=env)
    return proc.returncode, proc.stdout
