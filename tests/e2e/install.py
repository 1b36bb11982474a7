# SPDX-License-Identifier: MIT
"""Install Debian's Postfix and unpack Debian's Exim for the harness.

Debian's exim4-daemon-light and postfix both provide
mail-transport-agent and conflict.  So Postfix is installed, and Exim is
only unpacked (apt-get download, dpkg -x) into a directory of the build.
The shared libraries Exim needs are installed as packages, and the
system user "Debian-exim" is added the way exim4-base adds it.

Installing must not leave a daemon running: while apt-get runs, a
policy-rc.d that denies every service start is in place, unless the
system already has one.

Each function returns None on success or the reason it failed.
"""
import glob
import os
import shutil
import subprocess

POLICY_RC_D = "/usr/sbin/policy-rc.d"
POSTFIX_PRESEED = "postfix postfix/main_mailer_type select No configuration"


def command(argv, stdin=None, timeout=600):
    """Run ARGV; return None on success, else its last output lines."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True,
                              text=True, env=env, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{argv[0]}: {error}"
    if done.returncode == 0:
        return None
    tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
    return f"{' '.join(argv)} exited with {done.returncode}: " + \
        " / ".join(tail)


def apt_get(arguments):
    """Run apt-get ARGUMENTS; on failure refresh the package lists once
    and try again, because a stale list names versions that are gone."""
    argv = ["apt-get", "-q", "-y", "-o", "DPkg::Lock::Timeout=300"] + \
        arguments
    if command(argv) is None:
        return None
    refresh = command(["apt-get", "-q", "-o", "DPkg::Lock::Timeout=300",
                       "update"])
    if refresh is not None:
        return refresh
    return command(argv)


class ServicesDenied:
    """A policy-rc.d that denies every start while packages install."""

    def __enter__(self):
        self.created = not os.path.exists(POLICY_RC_D)
        if self.created:
            with open(POLICY_RC_D, "w", encoding="ascii") as f:
                f.write("#!/bin/sh\n# Written by the bouncelog end-to-end "
                        "harness while it installs packages.\nexit 101\n")
            os.chmod(POLICY_RC_D, 0o755)
        return self

    def __exit__(self, *exc):
        if self.created:
            os.unlink(POLICY_RC_D)


def installed(package):
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                          capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.endswith(" installed")


def ensure_postfix():
    """Install the postfix package unless it is there."""
    if shutil.which("postfix") and shutil.which("postconf"):
        return None
    failure = command(["debconf-set-selections"], stdin=POSTFIX_PRESEED)
    if failure:
        return failure
    with ServicesDenied():
        failure = apt_get(["install", "--no-install-recommends",
                           "postfix"])
    if failure:
        return "cannot install postfix: " + failure
    if not shutil.which("postfix"):
        return "postfix was installed but is not on PATH"

    # A policy-rc.d of the system's own may have let the package start
    # the system's Postfix; this install started it, so stop it.
    if command(["postfix", "status"]) is None:
        failure = command(["postfix", "stop"])
        if failure:
            return "cannot stop the Postfix the package started: " + failure
    return None


def ensure_exim(directory):
    """Unpack exim4-daemon-light into DIRECTORY/root unless it is there,
    and install what the binary needs.  Return None or the reason."""
    binary = exim_binary(directory)
    if not os.path.exists(binary):
        os.makedirs(directory, exist_ok=True)
        for old in glob.glob(os.path.join(directory, "*.deb")):
            os.unlink(old)
        # apt-get download writes into the working directory.
        done = subprocess.run(["apt-get", "-q", "download",
                               "exim4-daemon-light"], cwd=directory,
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
            return "cannot download exim4-daemon-light: " + " / ".join(tail)
        (deb,) = glob.glob(os.path.join(directory, "*.deb"))
        failure = command(["dpkg", "-x", deb, os.path.join(directory,
                                                           "root")])
        if failure:
            return failure
        if not os.path.exists(binary):
            return f"{deb} has no usr/sbin/exim4"

    failure = install_libraries(directory)
    if failure:
        return failure
    return ensure_exim_user()


def exim_binary(directory):
    return os.path.join(directory, "root", "usr", "sbin", "exim4")


def install_libraries(directory):
    """Install the library packages exim4-daemon-light depends on."""
    debs = glob.glob(os.path.join(directory, "*.deb"))
    if not debs:
        return None
    done = subprocess.run(["dpkg-deb", "-f", debs[0], "Depends"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return f"dpkg-deb -f {debs[0]} failed: {done.stderr.strip()}"
    missing = []
    for alternatives in done.stdout.split(","):
        name = alternatives.split("|")[0].split("(")[0].strip()
        if name.startswith("lib") and not installed(name):
            missing.append(name)
    if not missing:
        return None
    failure = apt_get(["install", "--no-install-recommends"] + missing)
    return f"cannot install {' '.join(missing)}: {failure}" if failure \
        else None


def ensure_exim_user():
    """Add the system user Debian's Exim binary runs as, the way the
    exim4-base package adds it."""
    done = subprocess.run(["getent", "passwd", "Debian-exim"],
                          capture_output=True)
    if done.returncode == 0:
        return None
    return command(["adduser", "--system", "--group", "--quiet",
                    "--home", "/var/spool/exim4", "--no-create-home",
                    "--disabled-login", "--force-badname", "Debian-exim"])
