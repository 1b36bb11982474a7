# Microsoft Exchange extractor patterns for bouncelog.
#
# Syntax (one directive per line; "#" starts a comment line):
#   format NAME
#   rule KIND DAEMONS REGEX
# Exchange writes CSV files, not syslog lines, so there is no "program"
# line.  The extractor splits each row into columns by the file's
# #Fields line and matches these rules against one value of the row;
# DAEMONS says which:
#   tracking     message tracking log: "EVENT-ID SOURCE", event-id upper-
#                cased, such as "FAIL ROUTING" or "DSN DSN"
#   status       one recipient's recipient-status text
#   trace        Exchange Online message trace export: the Status value
#   smtpsend     SMTP send protocol log: "EVENT DATA", such as
#                "< 550 5.1.1 User unknown"
#   smtpreceive  SMTP receive protocol log: the same
# Rules are tried in order and the first match wins.  The named groups
# each rule kind uses are listed in doc/patterns.md.

format exchange

# --- Message tracking: the outcome of each recipient on the row.
# FAIL is a permanent failure whatever the enhanced code says: Exchange
# writes "550 4.4.7 QUEUE.Expired" when a message expires in its queue.
rule bounced tracking ^FAIL\s
rule deferred tracking ^DEFER\s
rule delivered tracking ^(?:DELIVER|SEND)\s
rule notification tracking ^DSN\s

# Steps that carry nothing to count.  HAREDIRECTFAIL is shadow
# redundancy finding no shadow server, and DELIVERFAIL, SUBMITFAIL and
# RESUBMITFAIL are internal retries, not failures reported to a sender.
rule info tracking ^(?:RECEIVE|SUBMIT|RESOLVE|EXPAND|REDIRECT|TRANSFER|AGENTINFO|BADMAIL|POISONMESSAGE|DROP|CLIENTSUBMISSION|DELIVERFAIL|DUPLICATEDELIVER|DUPLICATEEXPAND|DUPLICATEREDIRECT|HADISCARD|HARECEIVE|HAREDIRECT|HAREDIRECTFAIL|INITMESSAGECREATED|LOAD|MODERATIONEXPIRE|MODERATORAPPROVE|MODERATORREJECT|MODERATORSALLNDR|NOTIFYMAPI|NOTIFYSHADOW|PROCESS|PROCESSMEETINGMESSAGE|RESUBMIT|RESUBMITDEFER|RESUBMITFAIL|SUBMITDEFER|SUBMITFAIL|SUPPRESSED|THROTTLE)\s

# --- The Exchange component that failed, such as RESOLVER.ADR.RecipNotFound,
# QUEUE.Expired, STOREDRV.Deliver.Exception or
# SMTPSEND.DNS.NonExistentDomain: an upper-case word of three or more
# characters and dotted parts, the last with a lower-case letter, so that
# host names written in capitals are not taken.
rule component status (?<![A-Za-z0-9.])(?<component>[A-Z][A-Z0-9]{2,}(?:\.[A-Z][A-Za-z0-9]*){0,2}\.[A-Z][A-Z0-9]*[a-z][A-Za-z0-9]*)

# --- Exchange Online message trace (Get-MessageTrace) Status values.
rule delivered trace ^Delivered$
rule bounced trace ^Failed$
rule deferred trace ^Pending$
rule info trace ^(?:Expanded|Quarantined|FilteredAsSpam|GettingStatus|None)$

# --- SMTP send protocol log: this server is the client.  ">" lines are
# its commands and "<" lines the remote server's replies.
rule command smtpsend ^> (?i)(?<verb>MAIL) FROM: ?<(?<from>[^>]*)>
rule command smtpsend ^> (?i)(?<verb>RCPT) TO: ?<(?<to>[^>]*)>
rule command smtpsend ^> (?i)(?<verb>HELO|EHLO|DATA|BDAT|RSET|QUIT|NOOP|VRFY|EXPN|HELP|AUTH|STARTTLS|X-ANONYMOUSTLS|X-EXPS|XEXCH50|XSHADOW|XSHADOWREQUEST|XPROXY|XPROXYFROM|XPROXYTO|XSESSIONPARAMS|XQDISCARD|XRSETPROXYTO)\b
rule reply smtpsend ^< (?<text>[2-5]\d\d(?: .*)?)$
rule info smtpsend ^[-+*<>](?: |$)

# --- SMTP receive protocol log: this server is the server.  "<" lines
# are the client's commands and ">" lines this server's replies.  A 535
# reply answers AUTH (RFC 4954), even when the log lacks the command.
rule command smtpreceive ^< (?i)(?<verb>MAIL) FROM: ?<(?<from>[^>]*)>
rule command smtpreceive ^< (?i)(?<verb>RCPT) TO: ?<(?<to>[^>]*)>
rule command smtpreceive ^< (?i)(?<verb>HELO|EHLO|DATA|BDAT|RSET|QUIT|NOOP|VRFY|EXPN|HELP|AUTH|STARTTLS|X-ANONYMOUSTLS|X-EXPS|XEXCH50|XSHADOW|XSHADOWREQUEST|XPROXY|XPROXYFROM|XPROXYTO|XSESSIONPARAMS|XQDISCARD|XRSETPROXYTO)\b
rule auth_reply smtpreceive ^> (?<text>535(?: .*)?)$
rule reply smtpreceive ^> (?<text>[2-5]\d\d(?: .*)?)$
rule info smtpreceive ^[-+*<>](?: |$)
