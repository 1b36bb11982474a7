# SPDX-License-Identifier: MIT
"""Postfix and Exim in private directories, started and stopped by PID.

Each MTA gets a work directory with its configuration, queue and logs,
listens on MTA_ADDRESS port 25 and relays every scenario domain to its
responder address.  Both run in the foreground as children of the
harness, each in a session of its own: stopping sends SIGTERM to the
daemon's PID, then to every process still in its session, by PID.

Nothing here resolves a host name: the MTAs get IP addresses only and
have DNS and host name lookups switched off.
"""
import os
import pwd
import signal
import subprocess
import time

import scenario

SMTP_PORT = 25

# Short SMTP client timeouts, so that the stalled responder costs
# seconds.  Postfix and Exim both accept "3s".
TIMEOUT = "3s"


def session_members(sid):
    """Return the PIDs of the live processes in session SID."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii",
                      errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold blanks.
        fields = stat[stat.rindex(")") + 2:].split()
        state, session = fields[0], int(fields[3])
        if session == sid and state not in ("Z", "X"):
            members.append(int(entry))
    return members


def reap():
    """Collect the exit status of every finished child, orphans that
    the kernel handed to this process (a child subreaper) included."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


class Daemon:
    """A program started in a new session, with its output in a file."""

    def __init__(self, argv, output):
        self.argv = argv
        self.output = output
        with open(output, "ab") as out:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.process.pid

    def running(self):
        return self.process.poll() is None

    def stop(self, grace=10):
        """Stop the daemon and every process of its session.

        Return the PIDs that were still alive after SIGKILL (none on
        success).
        """
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            deadline = time.monotonic() + grace
            while True:
                reap()
                left = session_members(self.pid)
                if not left or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            for pid in left:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        reap()
        return session_members(self.pid)


def run(argv, **kwargs):
    """Run a short command and return its CompletedProcess."""
    return subprocess.run(argv, capture_output=True, text=True,
                          timeout=60, **kwargs)


def queue_files(directories):
    """Return the number of files under DIRECTORIES."""
    count = 0
    for top in directories:
        for _, _, names in os.walk(top):
            count += len(names)
    return count


class Postfix:
    """Debian's Postfix with main.cf and master.cf in WORKDIR/etc.

    The queue is outside the configuration directory, because
    "postfix check" wants everything below the latter owned by root.
    """

    name = "postfix"

    def __init__(self, workdir):
        self.workdir = workdir
        self.etc = os.path.join(workdir, "etc")
        self.queue = os.path.join(workdir, "queue")
        self.data = os.path.join(workdir, "data")
        self.log = os.path.join(workdir, "maillog")
        self.daemon = None

    @property
    def marker(self):
        """A path on the command line of the daemon and of nothing else."""
        return self.etc

    def logs(self):
        """Return the log files bouncelog reads: (name, path, outbound,
        inbound)."""
        return [("maillog", self.log, True, True)]

    def table(self, name, lines):
        path = os.path.join(self.etc, name)
        with open(path, "w", encoding="ascii") as f:
            f.write("".join(line + "\n" for line in lines))
        return path

    def configure(self):
        for path in (self.etc, self.queue, self.data):
            os.makedirs(path, exist_ok=True)
        os.chown(self.data, *owner("postfix"))

        transport = self.table("transport", [
            f"{domain} smtp:[{address}]:{SMTP_PORT}"
            for domain, address in scenario.routes()])
        local_users = self.table("local_users", ["postmaster ok"])
        sender_access = self.table("sender_access", [
            f"{case.sender} REJECT {scenario.ACCESS_TEXT}"
            for case in scenario.INBOUND
            if case.sender.startswith("blocked@")])
        header_checks = self.table("header_checks", [
            f"/^Subject:.*{scenario.CONTENT_PATTERN}/ REJECT "
            f"{scenario.CONTENT_TEXT}"])

        main = {
            "compatibility_level": "3.6",
            "queue_directory": self.queue,
            "data_directory": self.data,
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            "myhostname": "mta.e2e.test",
            "mydomain": "e2e.test",
            "myorigin": "$myhostname",
            "mydestination": scenario.LOCAL_DOMAIN,
            "local_recipient_maps": f"texthash:{local_users}",
            "alias_maps": "",
            "alias_database": "",
            "inet_interfaces": scenario.MTA_ADDRESS,
            "inet_protocols": "ipv4",
            "mynetworks": f"{scenario.MTA_ADDRESS}/32",
            "relay_domains": "",
            "smtpd_relay_restrictions":
                "permit_mynetworks, reject_unauth_destination",
            "smtpd_recipient_restrictions":
                f"check_sender_access texthash:{sender_access}",
            "header_checks": f"regexp:{header_checks}",
            "transport_maps": f"texthash:{transport}",
            # No DNS and no host name lookups, for clients or servers.
            "smtp_dns_support_level": "disabled",
            "smtp_host_lookup": "native",
            "smtpd_peername_lookup": "no",
            "maillog_file": self.log,
            "maillog_file_prefixes": self.workdir + "/",
            # Try each message once: a temporary failure expires it.
            "maximal_queue_lifetime": "0",
            "bounce_queue_lifetime": "0",
            "queue_run_delay": "5s",
            "minimal_backoff_time": "5s",
            "maximal_backoff_time": "10s",
            "delay_warning_time": "0",
            "smtp_connect_timeout": TIMEOUT,
            "smtp_helo_timeout": TIMEOUT,
            "smtp_mail_timeout": TIMEOUT,
            "smtp_rcpt_timeout": TIMEOUT,
            "smtp_data_init_timeout": TIMEOUT,
            "smtp_data_xfer_timeout": TIMEOUT,
            "smtp_data_done_timeout": TIMEOUT,
            "smtp_quit_timeout": TIMEOUT,
            "biff": "no",
            "smtputf8_enable": "no",
        }
        with open(os.path.join(self.etc, "main.cf"), "w",
                  encoding="ascii") as f:
            for key, value in main.items():
                f.write(f"{key} = {value}\n")

        # Every service runs without chroot, so that the private paths
        # work; postlogd writes maillog_file.
        services = [
            f"{scenario.MTA_ADDRESS}:{SMTP_PORT} inet n - n - - smtpd",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "smtp unix - - n - - smtp",
            "relay unix - - n - - smtp",
            "showq unix n - n - - showq",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "local unix - n n - - local",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
        ]
        self.table("master.cf", services)

    def start(self):
        """Check the configuration (which creates the queue directories)
        and start the master daemon in the foreground."""
        check = run(["postfix", "-c", self.etc, "check"])
        if check.returncode != 0:
            raise RuntimeError("postfix check failed: "
                               + (check.stdout + check.stderr).strip())
        directory = run(["postconf", "-c", self.etc, "-h",
                         "daemon_directory"]).stdout.strip()
        self.daemon = Daemon(
            [os.path.join(directory, "master"), "-c", self.etc, "-d"],
            os.path.join(self.workdir, "master.out"))

    def queued(self):
        """Return the number of messages in the queue."""
        return queue_files(os.path.join(self.queue, name) for name in
                           ("maildrop", "incoming", "active", "deferred",
                            "hold"))

    def stop(self):
        return self.daemon.stop() if self.daemon else []


class Exim:
    """Exim from its unpacked Debian package, run with -C CONFIG.

    Exim drops root privilege for a configuration given with -C that is
    not in its trusted list, and logs that in its main and panic logs.
    That is harmless here, because the scenario only relays over SMTP.
    """

    name = "exim"

    def __init__(self, workdir, binary):
        self.workdir = workdir
        self.binary = binary
        self.config = os.path.join(workdir, "exim.conf")
        self.spool = os.path.join(workdir, "spool")
        self.logdir = os.path.join(workdir, "log")
        self.daemon = None

    @property
    def marker(self):
        return self.config

    def logs(self):
        return [("mainlog", os.path.join(self.logdir, "mainlog"), True,
                 True),
                ("rejectlog", os.path.join(self.logdir, "rejectlog"),
                 False, True),
                ("paniclog", os.path.join(self.logdir, "paniclog"),
                 False, False)]

    def configure(self):
        for path in (self.spool, self.logdir):
            os.makedirs(path, exist_ok=True)
            os.chown(path, *owner("Debian-exim"))

        routes = " ; ".join(f"{domain} {address}"
                            for domain, address in scenario.routes())
        blocked = " : ".join(case.sender for case in scenario.INBOUND
                             if case.sender.startswith("blocked@"))
        text = f"""\
primary_hostname = mta.e2e.test
qualify_domain = e2e.test
spool_directory = {self.spool}
log_file_path = {self.logdir}/%slog
pid_file_path = {self.workdir}/exim.pid
exim_path = {self.binary}
keep_environment =
daemon_smtp_ports = {SMTP_PORT}
local_interfaces = {scenario.MTA_ADDRESS}
tls_advertise_hosts =
# No DNS, reverse or ident lookups of clients.
host_lookup =
helo_lookup_domains =
rfc1413_hosts =
log_selector = +smtp_connection +received_recipients +deliver_time \\
  +queue_time +subject
acl_smtp_rcpt = acl_check_rcpt
acl_smtp_data = acl_check_data

begin acl

acl_check_rcpt:
  deny    senders = {blocked}
          message = 554 5.7.1 {scenario.ACCESS_TEXT}
  deny    domains = {scenario.LOCAL_DOMAIN}
          local_parts = ! postmaster
          message = 550 5.1.1 unknown user
  accept  hosts = {scenario.MTA_ADDRESS}
  deny    message = relay not permitted

acl_check_data:
  deny    condition = ${{if match{{$h_subject:}}{{{scenario.CONTENT_PATTERN}}}}}
          message = 550 5.7.1 {scenario.CONTENT_TEXT}
  accept

begin routers

scenario:
  driver = manualroute
  domains = ! {scenario.LOCAL_DOMAIN}
  transport = remote_smtp
  route_list = {routes}

begin transports

remote_smtp:
  driver = smtp
  port = {SMTP_PORT}
  connect_timeout = {TIMEOUT}
  command_timeout = {TIMEOUT}
  data_timeout = {TIMEOUT}
  final_timeout = {TIMEOUT}

begin retry

# No retry times: a temporary failure is retried never, so the address
# fails at once with "retry timeout exceeded".
*  *
"""
        with open(self.config, "w", encoding="ascii") as f:
            f.write(text)

    def start(self):
        """Check the configuration and start the daemon in the
        foreground with a queue runner every 5 seconds."""
        check = run([self.binary, "-C", self.config, "-bV"])
        if check.returncode != 0:
            raise RuntimeError("exim -bV failed: "
                               + (check.stdout + check.stderr).strip())
        self.daemon = Daemon([self.binary, "-C", self.config, "-bdf",
                              "-q5s"],
                             os.path.join(self.workdir, "exim.out"))

    def queued(self):
        return queue_files([os.path.join(self.spool, "input")])

    def stop(self):
        return self.daemon.stop() if self.daemon else []


def owner(user):
    """Return (uid, gid) of USER."""
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid
