# OpenSMTPD extractor patterns for bouncelog.
#
# Syntax: see patterns/postfix.pat and doc/patterns.md.  The regular
# expression is matched against the message after "smtpd[PID]: ", and
# the named groups each rule kind uses are listed in doc/patterns.md.
# OpenSMTPD 6.4 and later log "SESSION SUBSYSTEM EVENT key=value ...",
# where SESSION is 16 hex digits shared by the lines of one SMTP session;
# earlier versions log "smtp-in: ...", "relay: ..." and "delivery: ...".

format opensmtpd

# Matched against the whole tag, so Postfix's "postfix/smtpd" never
# reaches this format.
program ^smtpd$

# --- Delivery results.  "fields" holds the key=value pairs, read by
# name: evpid, from, to, rcpt, relay, result and stat (the last field,
# quoted by the mta and bare by the mda).  "agent" is mta (SMTP relay) or
# mda (local delivery).
rule delivery * ^(?<sid>[0-9a-f]{16}) (?<agent>mta|mda) delivery (?<fields>.*\bstat=.*)$
# Before 6.4: "relay: TempFail for EVPID: from=<..>, to=<..>, ...,
# stat=..." (mta) and "delivery: Ok for EVPID: ..." (mda); the queue's
# "relay: Expire for EVPID: ..., stat=Envelope expired" still looks so.
rule delivery * ^(?<agent>relay|delivery): (?<result>[A-Za-z]+) for (?<qid>[0-9a-f]{16}): (?<fields>.*\bstat=.*)$

# --- Inbound rejections: any 4xx or 5xx reply to a client command.  The
# extractor takes the SMTP stage from "command" (RCPT TO:<..> gives RCPT
# and the recipient, an empty command a rejection at CONNECT by a filter,
# "." END-OF-MESSAGE) and counts failed AUTH commands as recognised lines,
# not rejections, as Postfix's SASL failures are.
rule reject * ^(?<sid>[0-9a-f]{16}) smtp (?:event=)?failed-command command="(?<command>.*)" result="(?<text>.*)"\s*$
rule reject * ^smtp-in: Failed command on session (?<sid>[0-9a-f]{16}): "(?<command>.*)" => (?<text>.*)$

# --- Session start and end: the client named here is joined by session
# id to the session's rejections.
rule connect * ^(?<sid>[0-9a-f]{16}) smtp (?:event=)?connected address=(?<client_addr>\S*) host=(?<client_host>\S*)
rule connect * ^smtp-in: New session (?<sid>[0-9a-f]{16}) from host (?<client_host>\S*) \[(?<client_addr>[^\]]*)\]
rule disconnect * ^(?<sid>[0-9a-f]{16}) smtp (?:event=)?disconnected\b
rule disconnect * ^smtp-in: (?:Closing|Disconnecting) session (?<sid>[0-9a-f]{16})\b

# --- Recognised lines that carry nothing to count.
rule info * ^[0-9a-f]{16} smtp (?:event=)?(?:message|envelope|tls|authentication|bad-input|client-cert-check|cert-check|timeout|filter-response|protocol-client|protocol-server|link-[a-z]+|tx-[a-z]+)\b
rule info * ^[0-9a-f]{16} mta (?:connecting|connected|tls|disconnected|error|cert-check|server-cert-check|timeout)\b
rule info * ^(?:smtp-in|smtp-out|mta|mda|queue|scheduler|lka|control|ca|pony|parent|expand|lookup|rule|smtp|smtpd|filter|table|bounce|info|warn|warning|debug|trace): 
rule info * ^rule #\d+ 
