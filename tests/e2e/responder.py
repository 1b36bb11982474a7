# SPDX-License-Identifier: MIT
"""A scripted SMTP server that plays the remote side of a delivery.

It listens on loopback addresses only and replies to each command as its
script sets.  The greeting depends on the listening address, the RCPT
and end-of-data replies on the recipient's local part.  A recipient
whose script has no RCPT reply gets none (the client must time out).
It delivers nothing and stores nothing; it only records what it was
sent, so that the harness can see which messages reached it.

The server runs in threads of the calling process, so the harness has no
extra process to stop.
"""
import ipaddress
import socketserver
import threading
from dataclasses import dataclass, field

# Seconds after which a connection that sends nothing is closed.  This
# bounds a stalled reply, but the MTAs under test time out much sooner.
IDLE_TIMEOUT = 120

# Maximum length of a command line read, in bytes (RFC 5321 allows 512).
MAX_LINE = 4096


@dataclass(frozen=True)
class Script:
    """The replies for one recipient local part.

    rcpt: lines of the RCPT TO reply, or None to send no reply at all.
    close_after_rcpt: close the connection after the RCPT reply.
    data: lines of the reply after the end of the message data.
    """
    rcpt: tuple = ("250 2.1.5 Ok",)
    close_after_rcpt: bool = False
    data: tuple = ("250 2.0.0 Ok: queued",)


@dataclass
class Listener:
    """One address the server listens on, with its greeting lines.

    A greeting that does not start with 2 rejects the session, so every
    command but QUIT gets 503.
    """
    address: str
    greeting: tuple = ("220 responder.test ESMTP",)


@dataclass
class Record:
    """What the clients sent, for the harness to check."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    # (listener address, MAIL FROM, [recipients]) of each message whose
    # data was accepted.
    accepted: list = field(default_factory=list)
    connections: int = 0


def check_loopback(address):
    """Raise ValueError unless ADDRESS is an IPv4 loopback address."""
    if not ipaddress.IPv4Address(address).is_loopback:
        raise ValueError(f"{address} is not a loopback address")


def send(wfile, lines):
    """Send the reply LINES, marking all but the last as continued."""
    out = []
    for number, line in enumerate(lines):
        code, text = line[:3], line[4:]
        mark = " " if number == len(lines) - 1 else "-"
        out.append(f"{code}{mark}{text}\r\n")
    wfile.write("".join(out).encode("ascii"))
    wfile.flush()


def angle_address(argument):
    """Return the address inside the first <...> of ARGUMENT, or ''."""
    start = argument.find("<")
    end = argument.find(">", start + 1)
    if start < 0 or end < 0:
        return ""
    return argument[start + 1:end]


class Session(socketserver.StreamRequestHandler):
    """One SMTP connection, served from the server's scripts."""

    timeout = IDLE_TIMEOUT

    def handle(self):
        server = self.server
        with server.record.lock:
            server.record.connections += 1
        greeting = server.listener.greeting
        send(self.wfile, greeting)
        if not greeting[-1].startswith("2"):
            self.reject_session()
            return

        sender, recipients = None, []
        while True:
            line = self.rfile.readline(MAX_LINE)
            if not line:
                return
            command = line.decode("ascii", "replace").rstrip("\r\n")
            verb = command[:4].upper()

            if verb in ("EHLO", "HELO"):
                sender, recipients = None, []
                if verb == "EHLO":
                    send(self.wfile, ("250 responder.test", "250 PIPELINING",
                                      "250 8BITMIME",
                                      "250 ENHANCEDSTATUSCODES"))
                else:
                    send(self.wfile, ("250 responder.test",))
            elif verb == "MAIL":
                sender, recipients = angle_address(command), []
                send(self.wfile, ("250 2.1.0 Ok",))
            elif verb == "RCPT":
                if not self.rcpt(angle_address(command), recipients):
                    return
            elif verb == "DATA":
                if not self.data(sender, recipients):
                    return
                sender, recipients = None, []
            elif verb == "RSET":
                sender, recipients = None, []
                send(self.wfile, ("250 2.0.0 Ok",))
            elif verb == "NOOP":
                send(self.wfile, ("250 2.0.0 Ok",))
            elif verb == "QUIT":
                send(self.wfile, ("221 2.0.0 Bye",))
                return
            else:
                send(self.wfile, ("502 5.5.2 Command not implemented",))

    def script_for(self, recipient):
        local = recipient.rpartition("@")[0].lower()
        return self.server.scripts.get(local, Script())

    def rcpt(self, recipient, recipients):
        """Reply to RCPT TO; return False when the connection is to end."""
        script = self.script_for(recipient)
        if script.rcpt is None:
            self.drain()
            return False
        send(self.wfile, script.rcpt)
        if script.close_after_rcpt:
            return False
        if script.rcpt[-1].startswith("2"):
            recipients.append(recipient)
        return True

    def data(self, sender, recipients):
        """Reply to DATA and read the message; return False to hang up."""
        if not recipients:
            send(self.wfile, ("554 5.5.1 Error: no valid recipients",))
            return True
        send(self.wfile, ("354 End data with <CR><LF>.<CR><LF>",))
        while True:
            line = self.rfile.readline(MAX_LINE)
            if not line:
                return False
            if line in (b".\r\n", b".\n"):
                break

        # The whole message gets the data reply of its first recipient;
        # the harness sends each scripted recipient a message of its own.
        reply = self.script_for(recipients[0]).data
        send(self.wfile, reply)
        if reply[-1].startswith("2"):
            with self.server.record.lock:
                self.server.record.accepted.append(
                    (self.server.listener.address, sender, list(recipients)))
        return True

    def reject_session(self):
        """Answer every command but QUIT with 503, as RFC 5321 asks of a
        server that greeted with 554."""
        while True:
            line = self.rfile.readline(MAX_LINE)
            if not line:
                return
            if line[:4].upper() == b"QUIT":
                send(self.wfile, ("221 2.0.0 Bye",))
                return
            send(self.wfile, ("503 5.5.1 Bad sequence of commands",))

    def drain(self):
        """Read and ignore input until the client hangs up or idles out."""
        try:
            while self.rfile.readline(MAX_LINE):
                pass
        except OSError:
            pass


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, listener, port, scripts, record):
        check_loopback(listener.address)
        self.listener = listener
        self.scripts = scripts
        self.record = record
        super().__init__((listener.address, port), Session)


class Responder:
    """A set of listeners on one TCP port, served by background threads.

    With PORT 0 the system chooses the port, so that runs at the same
    time do not collide.  When that port is taken on a later address,
    all listeners try again on a new one.
    """

    def __init__(self, listeners, scripts, port=0, tries=20):
        self.record = Record()
        self.servers = []
        self.threads = []
        for attempt in range(tries if port == 0 else 1):
            try:
                self.port = self.bind(listeners, scripts, port)
                return
            except OSError:
                self.close()
                if port != 0 or attempt == tries - 1:
                    raise

    def bind(self, listeners, scripts, port):
        """Bind every listener to PORT (0: one the system chooses for
        the first) and return the port."""
        for listener in listeners:
            server = Server(listener, port, scripts, self.record)
            port = server.server_address[1]
            self.servers.append(server)
        return port

    def start(self):
        for server in self.servers:
            thread = threading.Thread(target=server.serve_forever,
                                      kwargs={"poll_interval": 0.2},
                                      daemon=True)
            thread.start()
            self.threads.append(thread)

    def close(self):
        for server in self.servers:
            if self.threads:
                server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        self.servers, self.threads = [], []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

