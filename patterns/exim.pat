# Exim extractor patterns for bouncelog.
#
# Syntax (one directive per line; "#" starts a comment line):
#   format NAME
#   program REGEX               which syslog program names are Exim
#   rule KIND DAEMONS REGEX     DAEMONS: comma-separated names or "*"
# Rules are tried in order and the first match wins.  The extractor
# removes the line prefix first: Exim's own "YYYY-MM-DD HH:MM:SS[.mmm]
# [+HHMM] [[pid]] ", and for syslog lines the syslog header and a "[n/m]"
# piece marker.  The regular expression is matched against what is left,
# which starts with the message id when the line has one.  DAEMONS is the
# syslog program name; lines of Exim's own log files count as "exim".
# The named groups each rule kind uses are listed in doc/patterns.md.
#
# Message ids: 16 characters up to Exim 4.96 ("1rhA6F-0004zz-2a") and 23
# from 4.97 ("1rhA6F-00000004zzX-2aQz"), base 62, or base 36 in upper
# case on systems with case-insensitive file names.

format exim

# "exim", Exim's default syslog_processname, and "exim4".
program ^exim4?$

# --- Message arrival.  "<= <> R=<id>" is a bounce Exim generated for the
# message <id>; the extractor reads R= from "fields".  "(=" is an arrival
# that the client was told had been rejected (fakereject).
rule arrival * ^(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) (?<flag><=|\(=) (?<from><>|\S*)(?<fields>(?: .*)?)$

# --- Deliveries: "=>" first address of a delivery, "->" further addresses
# of the same delivery, ">>" cutthrough delivery during reception, "*>"
# delivery suppressed by -N.  The original address follows in angle
# brackets when it differs.  A quoted local part may hold blanks
# ("john smith"@example.com), here and in the "**" and "==" rules.
rule delivery * ^(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) (?<flag>=>|->|>>|\*>) (?<to>(?:"[^"]*"|\S)++)(?: <(?<orig>[^>]*)>)?(?<fields>(?: .*)?)$

# --- With mua_wrapper set, a failure for all recipients names no address.
rule info * ^[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2}) \*\* mua_wrapper is set but 

# --- Permanent failure ("**").  Tag fields (R=, T=, H=name [ip]:port*,
# I=, X=, CV=, DN="...", F=, P=) come first.  The reason follows ": "
# as Exim 4.96 writes it, or " : " as Exim's test suite of 2025 shows, and
# DT= may end the line.  The reason itself may contain colons.  A tag
# value stops before ": ", and the tags are matched possessively, so that
# a long line that is not of this shape fails in linear time.  The
# address ends at the first colon outside quotes and a domain literal
# (user@[IPv6:2001:db8::1], "a:b"@example.org).
rule failed * ^(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) (?<flag>\*\*) (?<to>(?:"[^"]*"|\[[^\[\]\s]*\]|[^\s:<])++)(?: <(?<orig>[^>]*)>)?(?<fields>(?> (?:[A-Za-z][A-Za-z0-9]*=(?:"[^"]*"|(?:[^\s":]|:(?! ))*)(?: \([^)]*\))?(?: \[[^\]]*\](?::\d+)?\*?)?|(?:L[-*.]?|K|PRDR|TFO|DS)(?=[ :])))*+)(?: :|:) (?<text>.*?)(?: DT=\S+)?$
# mua_wrapper and routing oddities put the reason after a space.
rule failed * ^(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) (?<flag>\*\*) (?<to>(?:"[^"]*"|\[[^\[\]\s]*\]|[^\s:])++) (?<text>(?:routing yielded|mua_wrapper forced) .*)$

# --- Deferral ("==").  After "defer (errno)" come ": " and the system
# error text, only for a positive errno, then an optional " H=host [ip]",
# an optional DT=, and ": " before Exim's message.  With Exim's own codes
# (0 or less) all the text after "defer (errno): " is the message, which
# may contain ": " ("SMTP error from remote mailer after RCPT TO:<a@b>:
# host mx [ip]: 451 ...").  Errno -52, -53 and -54 mean that the retry
# time was not reached and nothing was tried; the extractor counts those
# lines as recognised but not as deferrals.
rule deferred * ^(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) (?<flag>==) (?<to>(?:"[^"]*"|[^\s<])++)(?: <(?<orig>[^>]*)>)?(?<fields>(?: (?!defer \()\S+)*+) defer \((?:(?<errno>[1-9][0-9]*)\)(?:: (?<strerror>.*?))?|(?<errno>[^)\s]*)\))(?<host> H=.*?)?(?: DT=\S+)?(?:: (?<text>.*))?$

# --- The message left the queue.
rule removed * ^(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) Completed(?: QT=\S+)?$

# --- Inbound rejections by an ACL: "H=client [U=ident] [X=...] [F=<sender>]
# [temporarily ]rejected WHAT: message".  A local SMTP session (-bs) has
# "U=user" in place of H=.  The extractor reads the client and sender
# from "fields".  The message is what Exim logged, which is not always
# the reply sent to the client.  These rules come before host_failure,
# which would also match "ID H=... rejected after DATA".
rule reject * ^(?:(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) )?(?<fields>(?:DS )?[HU]=.*?) (?<temp>temporarily )?rejected (?<stage>RCPT) (?:<(?<to>[^>]*)>|(?<to>[^\s<>:]+))(?:: (?<text>.*))?$
rule reject * ^(?:(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) )?(?<fields>(?:DS )?[HU]=.*?) (?<temp>temporarily )?rejected (?<stage>MAIL) (?:<(?<from>[^>]*)>|(?<from>[^\s<>:]+))(?: [A-Za-z0-9-]+=\S*)*(?:: (?<text>.*))?$
rule reject * ^(?:(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) )?(?<fields>(?:DS )?[HU]=.*?) (?<temp>temporarily )?rejected (?:(?<stage>after DATA(?: PRDR)?|DATA|connection|VRFY|EXPN|ETRN|EHLO|HELO|AUTH|STARTTLS|QUIT|NOTQUIT|DKIM|WELLKNOWN|ATRN)|during (?<stage>MIME) ACL checks)(?: .*?)?(?:: (?<text>.*))?$
# A HELO or EHLO argument that is not a host name or address literal.
rule reject * ^(?<temp>temporarily )?rejected (?<stage>EHLO|HELO) from (?<client>.*?): (?<text>syntactically invalid argument\(s\):.*)$
# local_scan() runs after DATA, and the non-SMTP ACL on messages that
# local programs submit; their log lines name the fields first.
rule reject * ^(?:(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) )?(?<fields>.*?) (?<temp>temporarily )?rejected by (?:(?<stage>local_scan\(\))|(?<stage>non-SMTP) ACL)(?:: (?<text>.*))?$
# A client that talks before the greeting or pipelines without PIPELINING
# is rejected; some log excerpts end after "rejected".
rule reject * ^(?<text>SMTP protocol synchronization error \([^)]*\)): rejected(?: (?<stage>connection) from (?<fields>H=.*?)(?: input=.*)?| "(?<stage>[^"]*)" (?<fields>H=.*?)(?: next input=.*)?)?$
# The daemon refuses a connection over its connection or load limits with
# a 421 reply, so the rejection is temporary ("temp" is an empty group
# that marks it); host_reject_connection refuses one with 554.
rule reject * ^(?<stage>Connection) from (?<client>.*?) refused(?<temp>): (?<text>.*)$
rule reject * ^refused (?<stage>connection) from (?<client>.*?) \((?<text>host_reject_connection)\)$

# --- One host of a delivery failed ("H=mx [ip] Connection refused",
# "H=mx [ip]: SMTP error ... after pipelined MAIL FROM:..."); the address
# lines follow.  The extractor gives the host to the message's later "=="
# and "**" lines that name none and have the same error text as "text".
rule host_failure * ^(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) H=(?<host>[^\[]*\[[^\]]*\])(?::\d+)?\*?(?: I=\S+)?:? (?<text>.*)$

# --- The rejected message's headers, which the reject log writes after
# a rejection: "Envelope-from:", "Envelope-to:", then each header with a
# type letter (P Received, F From, T To, ...) or a blank in front.  Lines
# that start with a blank (header folds, untyped headers, more envelope
# recipients) are continuation lines and need no rule.
rule header * ^Envelope-(?:from|to): <[^>]*>$
rule header * ^[BCFIPRST*] [!-9;-~]+:
rule header * ^\*\*\* truncated \*\*\*$

# --- Recognised lines that carry nothing to count.
# Per message.  A queue runner of Exim 4.96 that finds a message in
# delivery logs "Spool file for ID is locked (another process is
# handling this message)"; the form without "for ID" is kept too.
rule info * ^[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2}) (?:Frozen|Message is frozen|Unfrozen by forced delivery|unfrozen by \S+|frozen by \S+|cancelled by timeout_frozen_after|removed by \S+|Spool file (?:for \S+ )?is locked|spool file locked|Spool read error|Spool format error|no immediate delivery|Warning: |SMTP error from remote mail|LMTP error after |no IP address found for host |retry time not reached)
rule info * ^[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2}) \S+: error ignored(?:: .*)?$
rule info * ^[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2}) (?:DKIM|SA|SPF|DMARC|ARC|TLS): 
# Queue runners, the daemon and SMTP sessions.
rule info * ^(?:Start|End) queue run: pid=
rule info * ^exim \S+ daemon started: 
rule info * ^(?:daemon: |pid \d+: SIGHUP received|cwd=\S* \d+ args: )
rule info * ^(?:[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2}) )?SMTP connection from 
rule info * ^(?:no MAIL in SMTP connection from |SMTP call from .* dropped: |SMTP protocol error in |unexpected disconnection while reading SMTP command from |SMTP command timeout on (?:TLS )?connection from |SMTP data timeout \(message abandoned\) on connection from |TLS error on connection from |no host name found for IP address |no IP address found for host |bind of \[)
rule info * ^(?:H=.*? )?\S+ authenticator failed for 
rule info * ^(?:DS )?H=.*? (?:sender|recipient) verify (?:fail|defer) for 
rule info * ^(?:DS )?H=.*? incomplete transaction \(
rule info * ^recipient verify defer 
rule info * ^configured error code starts with incorrect digit 
# Warnings and the errors that Exim writes to its panic log.
# A configuration file given with -C, or macros given with -D, that the
# binary does not trust make Exim give up root privilege; it then logs
# this line to the main and panic logs each time it starts.
rule info * ^exim user lost privilege for using -[CD] option$
rule info * ^(?:Warning: |Exim configuration error|failed to |Failed to |[Cc]annot |[Uu]nable to |socket bind\(\) to port |Tainted |exim: |Daemon cannot be run )
