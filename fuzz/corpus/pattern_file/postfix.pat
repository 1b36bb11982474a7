# Postfix extractor patterns for bouncelog.
#
# Syntax (one directive per line; "#" starts a comment line):
#   format NAME
#   program REGEX               which syslog program names are Postfix
#   rule KIND DAEMONS REGEX     DAEMONS: comma-separated names or "*"
# Rules are tried in order and the first match wins.  The regular
# expression is matched against the message after "PROGRAM[PID]: ".
# The named groups each rule kind uses are listed in doc/patterns.md.

format postfix

# "postfix", "postfix-out" and per-service names such as
# "postfix/submission/smtpd" or "postfix-mx/content-filter/smtp"; the
# daemon is the last component.  Add your own syslog_name here.
program ^postfix(?:-[^/\s]+)?(?:/[^\s]+)?$

# --- Delivery status of one recipient (smtp, lmtp, local, virtual, pipe,
# error, retry, discard).  "fields" is every "key=value, " pair between to=
# and status=; relay=, orig_to=, delay=, dsn= are read from it by name, so
# new fields such as tls= do not break the rule.  The reason text is what
# follows the opening parenthesis; the extractor drops the closing one, and
# a missing closing parenthesis is tolerated.  A greedy ".*" keeps the
# match linear on long replies.
rule delivery * ^(?<qid>[0-9A-Za-z]{5,}): to=(?:<(?<to>[^>]*)>|(?<to>[^,\s]*)), (?<fields>(?:[a-z_]+=[^,]*, )*?)status=(?<status>[A-Za-z-]+)(?: \((?<text>.*))?$

# --- Sender side (qmgr).
rule expired qmgr ^(?<qid>[0-9A-Za-z]{5,}): from=<(?<from>[^>]*)>+, status=(?<status>expired|force-expired), returned to sender$
rule sender qmgr ^(?<qid>[0-9A-Za-z]{5,}): from=<(?<from>[^>]*)>, size=\d+, nrcpt=\d+
rule removed qmgr,postsuper ^(?<qid>[0-9A-Za-z]{5,}): removed$
rule notification bounce ^(?<qid>[0-9A-Za-z]{5,}): (?:sender|postmaster) (?:non-delivery|delivery status|delay) notification: [0-9A-Za-z]+$

# --- Inbound rejections (smtpd, postscreen, cleanup, before-queue proxy).
# The reason text ends at "; from=<" or "; proto=", because RBL texts
# contain "; https://..." themselves.  Postscreen separates the trailing
# fields with ", ".
rule reject * ^(?:(?<qid>NOQUEUE|[0-9A-Za-z]{5,}): )?(?<action>reject|reject_warning|milter-reject|proxy-reject): (?<stage>[A-Z][A-Z-]*(?: [A-Z]+)*)(?: from (?<client>[^\s\[]*\[[^\]]*\](?::\d+)?))?: (?<text>.*?)(?:; (?=from=<|proto=|helo=)(?:from=<(?<from>[^>]*)>,? ?)?(?:to=<(?<to>[^>]*)>)?.*)?$
# header_checks and body_checks: the reply comes last.
rule reject cleanup ^(?<qid>[0-9A-Za-z]{5,}): (?<action>reject|reject_warning): (?<stage>header|body|mime-header|nested-header) .*? from (?<client>[^\s\[]*\[[^\]]*\]); from=<(?<from>[^>]*)> to=<(?<to>[^>]*)>.*?: (?<text>(?:[245]\d\d )?[245]\.\d{1,3}\.\d{1,3}.*)$

# --- Recognised lines that carry nothing to count.
rule info smtpd,postscreen,submission,smtps ^(?:connect|disconnect) from 
rule info smtpd ^lost connection after 
rule info smtpd ^timeout after 
rule info smtpd,postscreen ^too many errors after 
rule info * ^(?:Anonymous|Trusted|Untrusted|Verified) TLS connection established 
rule info * ^(?:warning|error|fatal|panic): 
rule info smtpd ^(?:NOQUEUE|[0-9A-Za-z]{5,}): client=
rule info smtpd ^(?:NOQUEUE|[0-9A-Za-z]{5,}): (?:hold|discard|filter|redirect|prepend|replace|warning|info|bcc): 
rule info cleanup ^[0-9A-Za-z]{5,}: (?:resent-)?message-id=
rule info cleanup ^[0-9A-Za-z]{5,}: milter-(?:hold|discard|header-[a-z-]+|body-[a-z-]+|redirect|replace): 
rule info cleanup ^[0-9A-Za-z]{5,}: (?:hold|discard|filter|redirect|prepend|replace|warning|info|bcc): 
rule info pickup ^[0-9A-Za-z]{5,}: uid=\d+ from=
rule info smtp,lmtp,local,virtual,pipe,error,retry ^[0-9A-Za-z]{5,}: host \S+ (?:said|refused to talk to me): 
rule info smtp,lmtp ^[0-9A-Za-z]{5,}: (?:lost connection|conversation) with 
rule info smtp,lmtp ^(?:[0-9A-Za-z]{5,}: )?(?:enabling PIX workarounds|breaking line|Server certificate|Untrusted TLS|Trusted TLS|Verified TLS)
rule info smtp,lmtp ^connect to \S+: 
rule info smtp,lmtp ^SSL_connect error 
rule info smtp,lmtp ^certificate verification failed for 
rule info smtp,lmtp ^(?:[0-9A-Za-z]{5,}: )?SASL authentication failed; 
rule info smtpd ^proxy-accept: 
rule info smtpd ^(?:bare <LF> received|discarding EHLO keywords|setting up TLS connection from|TLS connection established from)
rule info postscreen ^(?:DATA|BDAT) without valid RCPT from 
rule info bounce ^[0-9A-Za-z]{5,}: (?:sender|postmaster) 
rule info postscreen ^(?:CONNECT from|PASS (?:NEW|OLD)|DNSBL rank|PREGREET|HANGUP|DISCONNECT|COMMAND (?:TIME|COUNT|LENGTH) LIMIT|COMMAND PIPELINING|BARE NEWLINE|NON-SMTP COMMAND|(?:BLACK|WHITE|DENY|ALLOW)LISTED|WHITELIST VETO|ALLOWLIST VETO|BLACKLISTED|cache )
rule info dnsblog ^addr \S+ listed by domain 
rule info anvil ^statistics: 
rule info tlsproxy ^(?:CONNECT|DISCONNECT) 
rule info tlsproxy ^TLS handshake failed 
rule info tlsproxy ^(?:Anonymous|Trusted|Untrusted|Verified) TLS 
rule info scache ^statistics: 
rule info master,postfix-script,postfix,postlog,postlogd ^
rule info qmgr ^[0-9A-Za-z]{5,}: (?:skipped|held|released|requeued)
rule info postsuper ^(?:[0-9A-Za-z]{5,}: (?:placed on hold|released from hold|requeued)|Deleted: |Requeued: |Placed on hold: |Released from hold: )
rule info sendmail,postdrop ^
rule info smtpd ^(?:SASL |[0-9A-Za-z]{5,}: client=|improper command pipelining|non-SMTP command|Illegal address syntax|too many errors|NOQUEUE: lost connection)
rule info smtpd ^(?:Anonymous|Trusted|Untrusted|Verified) TLS 
rule info smtpd ^SSL_accept error 
rule info smtpd ^(?:NOQUEUE: )?warning: 
rule info verify ^
rule info local ^[0-9A-Za-z]{5,}: (?:to=<[^>]*>, .* status=|delivered)
rule info smtp ^(?:[0-9A-Za-z]{5,}: )?(?:SMTPUTF8|host \S+ said)
