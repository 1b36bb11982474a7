# Sendmail extractor patterns for bouncelog.
#
# Syntax: see patterns/postfix.pat and doc/patterns.md.  The regular
# expression is matched against the message after "PROGRAM[PID]: ", and
# the named groups each rule kind uses are listed in doc/patterns.md.
# Queue ids are 8 to 20 letters and digits: "HAA03001" (8.9),
# "e6FFrpW22493" (8.11), "446FF1qA004711" (8.12 and later) and 15 or
# more characters when the process id has more than 5 digits.  Lines
# logged before a queue id exists start with "NOQUEUE: " or with no id.

format sendmail

# The daemon (sm-mta on Debian, sendmail on Red Hat and the BSDs), the
# submission queue runner (sm-msp-queue) and sm-acceptingconnections,
# the name some systems log the listening daemon under.  Postfix's own
# "postfix/sendmail" is matched as a whole tag, so it stays Postfix's.
program ^(?:sm-mta|sendmail|sm-msp-queue|sm-acceptingconnections)$

# --- Delivery status of one or more recipients.  "to" is the recipient
# list ("<a@x>,<b@y>", with " [more]" when Sendmail split a long list over
# several lines); "fields" is every "key=value, " pair between to= and
# stat=, read by name (ctladdr, delay, xdelay, mailer, pri, relay, dsn);
# "stat" is the rest of the line.  stat=queued lines are recognised and
# not counted by the extractor.
rule delivery * ^(?<qid>[0-9A-Za-z]{8,20}): to=(?<to>.+?), (?<fields>(?:[a-z_]+=[^,]*, )*)stat=(?<stat>.*)$

# --- The envelope sender, joined to the deliveries by queue id.
rule sender * ^(?<qid>[0-9A-Za-z]{8,20}): from=(?:<(?<from>[^>]*)>|(?<from>[^,\s]*)), (?:size|class|nrcpts|msgid|proto|daemon|relay|bodytype)=

# --- A bounce, delay warning or expiry notice, logged as "QID: NEWQID:
# DSN: text" (8.10 and later) or "return to sender", "sender notify",
# "postmaster notify" (older).  The extractor counts "Cannot send message
# for N days" and "delivery time expired" texts as an expiry too.
rule notification * ^(?<qid>[0-9A-Za-z]{8,20}): (?<newqid>[0-9A-Za-z]{8,20}): (?:DSN|return to sender|sender notify|postmaster notify): (?<text>.*)$

# --- Inbound rejections.  "ruleset" names the check that rejected; the
# extractor maps it to the SMTP stage (check_relay to CONNECT, check_mail
# to MAIL, check_rcpt to RCPT, ...) and reads arg1 as the recipient or
# the sender accordingly.  "client" is "host [addr]" with an optional
# " (may be forged)".
rule reject * ^(?:(?<qid>[0-9A-Za-z]{8,20}|NOQUEUE): )?ruleset=(?<ruleset>[^,\s]+), arg1=(?<arg1>[^,]*)(?:, arg2=(?<arg2>[^,]*))?(?:, relay=(?<client>[^,]*))?, reject=(?<text>.*)$
# A milter's verdict; "ruleset" is the milter step (connect, helo, from,
# to, data, ...).
rule reject * ^(?:(?<qid>[0-9A-Za-z]{8,20}|NOQUEUE): )?Milter(?: \([^)]*\))?: (?<ruleset>[a-z]+)(?:=(?:<(?<arg1>[^>]*)>|(?<arg1>[^,\s]*)))?(?::? host=(?<client_host>[^,]*), addr=(?<client_addr>[^,]*))?, reject=(?<text>.*)$
rule reject * ^(?:NOQUEUE: )?(?<text>(?<ruleset>tcpwrappers) \((?<client_host>[^,]*), (?<client_addr>[^)]*)\) rejection)$
# A user error sent back to the client, "<addr>... User unknown": Sendmail
# logs these for the addresses of RCPT TO and of the command line.  The
# log does not name the command, so the extractor files them under RCPT.
rule reject * ^(?<qid>[0-9A-Za-z]{8,20}|NOQUEUE): (?:<(?<to>[^>]*)>|(?<to>[^\s<>]+))\.\.\. (?<text>.*)$

# --- Recognised lines that carry nothing to count.
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?ruleset=[^,\s]+, arg1=.*, (?:discard|quarantine=.*)$
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?Milter\b
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?milter=
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?lost input channel from 
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?.* did not issue (?:MAIL/EXPN/VRFY/ETRN|MAIL/EXPN/VRFY/ETRN/HELO) during connection to 
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?timeout waiting for input from 
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?(?:AUTH|STARTTLS)(?:=(?:server|client)|:| failure)
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?.*: possible SMTP attack: command=
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?rejecting commands from .* due to pre-greeting traffic
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?.*\]: (?:EXPN|VRFY|expn|vrfy)\b.*\[rejected\]$
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?(?:collect|SYSERR|Authentication-Warning|headers too large|Truncated|SMTP outgoing connect|low on space|discarded|clone [0-9A-Za-z]+|done; |forward |alias |connect from |tcpwrappers |Losing |savemail panic|putbody|mci_)
rule info * ^(?:(?:[0-9A-Za-z]{8,20}|NOQUEUE): )?.*: (?:Connection reset by|Connection timed out|Broken pipe|read error|write error|I/O error)
rule info * ^(?:starting daemon|restarting |daemon [A-Za-z0-9-]+|alias database |/\S+: \d+ aliases, |My unqualified host name|unable to qualify my own domain name|grew WorkList|runqueue|rejecting connections on daemon |accepting connections again|STARTTLS|AUTH|SYSERR|Authentication-Warning|error connecting to filter|Milter|\S+ \[[^\]]*\](?: \(may be forged\))? did not issue)
