# SPDX-License-Identifier: MIT
"""Remote SMTP replies that the generated logs quote, with their meaning.

Each reply names the outcome it causes (a deferral, a bounce or an
inbound rejection), its reply code and enhanced status code as a parser
must read them, and the failure reason of bouncelog's classifier
(doc/reasons.md) that the text was written to show.  The texts imitate
the form that large receivers and common MTA setups use (multi-line
replies, provider tags, support URLs); they are written for this
benchmark, not copied from real logs.

Placeholders, filled per line: {rcpt} the recipient, {rdom} its domain,
{ip} the sending or client address, {tag} a random token, {sdom} the
sender's domain, {helo} the client's HELO name.
"""


class Reply:
    """One reply: outcome, codes, reason and text lines.

    lines holds the text of each line of a (possibly multi-line) reply
    without its code prefix; an MTA renders the prefixes itself
    (reply_text).  code or enh may be None when the reply has none.
    """

    __slots__ = ("kind", "code", "enh", "reason", "lines", "provider",
                 "weight")

    def __init__(self, kind, code, enh, reason, lines, provider=None,
                 weight=1.0):
        self.kind = kind
        self.code = code
        self.enh = enh
        self.reason = reason
        self.lines = lines if isinstance(lines, list) else [lines]
        self.provider = provider
        self.weight = weight


def reply_text(reply, sep=" "):
    """Render reply's lines with their code prefixes, joined by sep.

    Postfix joins the lines of a multi-line reply with a blank; Exim
    writes a literal backslash-n between them.
    """
    code, enh, lines = reply.code, reply.enh, reply.lines
    if code is None:
        return sep.join(lines)
    out = []
    last = len(lines) - 1
    for i, text in enumerate(lines):
        mark = " " if i == last else "-"
        if enh is not None:
            out.append(f"{code}{mark}{enh} {text}")
        else:
            out.append(f"{code}{mark}{text}")
    return sep.join(out)


D, B, J = "defer", "bounce", "reject"

# Replies of remote servers to our outbound mail.
OUTBOUND = [
    # Google
    Reply(B, "550", "5.1.1", "userunknown", [
        "The mailbox you tried to reach does not exist here. Please",
        "check the address for mistakes or extra spaces. See",
        "https://support.google.com/mail/?p=NoSuchUser {tag} - gsmtp"],
        "gmail", 6),
    Reply(B, "550", "5.2.1", "suspend", [
        "The account you tried to reach has been disabled. See",
        "https://support.google.com/mail/?p=DisabledUser {tag} - gsmtp"],
        "gmail"),
    Reply(D, "452", "4.2.2", "mailboxfull", [
        "The recipient's inbox has no storage space left. See",
        "https://support.google.com/mail/?p=OverQuotaTemp {tag} - gsmtp"],
        "gmail", 2),
    Reply(D, "421", "4.7.28", "ratelimited", [
        "Unusual rate of unsolicited mail from your IP address [{ip}].",
        "To protect our users, further mail is limited for now. See",
        "https://support.google.com/mail/?p=UnsolicitedRateLimitError",
        "{tag} - gsmtp"], "gmail", 2),
    Reply(B, "550", "5.7.26", "authfailure", [
        "Unauthenticated mail from {sdom} is not accepted because of",
        "the domain's DMARC policy. See",
        "https://support.google.com/mail/?p=DmarcRejection {tag} - gsmtp"],
        "gmail"),
    Reply(B, "550", "5.7.1", "spamdetected", [
        "This message looks like unsolicited mail and was blocked. See",
        "https://support.google.com/mail/?p=UnsolicitedMessageError",
        "{tag} - gsmtp"], "gmail"),
    Reply(B, "552", "5.2.2", "mailboxfull", [
        "The recipient's mailbox is over its storage quota. See",
        "https://support.google.com/mail/?p=OverQuotaPerm {tag} - gsmtp"],
        "gmail"),
    # Microsoft
    Reply(B, "550", "5.5.0", "userunknown",
          "Requested action not taken: mailbox unavailable (S2017) "
          "[{tag}.eurprd04.prod.outlook.com]", "microsoft", 4),
    Reply(B, "550", "5.4.1", "userunknown",
          "Recipient address rejected: Access denied. AS(201806281) "
          "[{tag}.namprd11.prod.outlook.com]", "microsoft", 3),
    Reply(B, "550", "5.7.1", "blocked",
          "Unfortunately, messages from [{ip}] weren't sent. Please "
          "contact your Internet service provider since part of their "
          "network is on our block list (S3150). You can also refer "
          "your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. "
          "[{tag}.eurprd02.prod.outlook.com]", "microsoft"),
    Reply(D, "451", "4.7.650", "badreputation",
          "The mail server [{ip}] has been temporarily rate limited "
          "due to IP reputation. For e-mail delivery information, see "
          "https://aka.ms/postmaster (S775) "
          "[{tag}.eurprd06.prod.outlook.com]", "microsoft", 2),
    Reply(B, "550", "5.1.10", "userunknown",
          "RESOLVER.ADR.RecipientNotFound; Recipient {rcpt} not found by "
          "SMTP address lookup", "microsoft", 2),
    # Yahoo and AOL
    Reply(D, "421", "4.7.0", "badreputation",
          "[TSS04] Messages from {ip} temporarily deferred due to "
          "unexpected volume or user complaints - 4.16.55.1; see "
          "https://postmaster.yahooinc.com/error-codes", "yahoo", 3),
    Reply(B, "554", "5.7.9", "policyviolation",
          "Message not accepted for policy reasons.  See "
          "https://postmaster.yahooinc.com/error-codes", "yahoo"),
    Reply(B, "552", None, "userunknown",
          "1 Requested mail action aborted, mailbox not found", "yahoo", 2),
    Reply(B, "554", None, "suspend",
          "delivery error: dd Sorry, your message to {rcpt} cannot be "
          "delivered. This mailbox is disabled (554.30). - "
          "mta{tag}.mail.bf1.yahoo.com", "yahoo"),
    # Apple
    Reply(B, "550", "5.1.1", "userunknown",
          "<{rcpt}>: user does not exist", "apple", 2),
    Reply(B, "554", "5.7.1", "policyviolation",
          "[CS01] Message rejected due to local policy. Please visit "
          "https://support.apple.com/en-us/HT204137", "apple"),
    # GMX and WEB.DE
    Reply(B, "550", None, "userunknown",
          "Requested action not taken: mailbox unavailable", "gmx", 2),
    Reply(B, "554", None, "blocked", [
        "gmx.net (mxgmx{tag}) Nemesis ESMTP Service not available",
        "No SMTP service",
        "Bad DNS PTR resource record.",
        "For explanation visit https://www.gmx.net/mail/senderguidelines?c=bl"],
        "gmx"),
    # Mail.ru and Yandex (replies in English; Yandex answers in Russian
    # too, which the generator leaves out to keep the logs ASCII)
    Reply(B, "550", None, "userunknown",
          "Message was not accepted -- invalid mailbox.  Local mailbox "
          "{rcpt} is unavailable: user not found", "mailru", 2),
    Reply(B, "550", None, "suspend",
          "Message rejected: account is disabled. mail.ru", "mailru"),
    Reply(B, "550", "5.7.1", "userunknown",
          "No such user!", "yandex", 2),
    Reply(D, "451", "4.7.1", "ratelimited",
          "Too many messages from your address, please slow down and come "
          "back later. {tag}-yandex", "yandex"),
    # Orange
    Reply(B, "550", "5.1.1", "userunknown",
          "Adresse d au moins un destinataire invalide. Invalid recipient. "
          "OFR_416 [416]", "orange", 2),
    Reply(D, "421", None, "ratelimited",
          "mwinf5c{tag} ME Trop de connexions, veuillez verifier votre "
          "configuration. Too many connections, slow down. OFR005_104 [104]",
          "orange"),
    # T-Online
    Reply(B, "554", None, "blocked",
          "IP={ip} - A problem occurred. (Ask your postmaster for help or "
          "to contact tosa@rx.t-online.de to clarify.) (BL)", "tonline"),
    # Comcast
    Reply(B, "554", None, "blocked",
          "resimta-po-{tag}.sys.comcast.net comcast {ip} Comcast "
          "block for spam. Please see "
          "http://postmaster.comcast.net/smtp-error-codes.php#BL000000",
          "comcast"),
    # Any receiver: Postfix, Exim, Sendmail and appliance replies.
    Reply(B, "550", "5.1.1", "userunknown",
          "<{rcpt}>: Recipient address rejected: User unknown in virtual "
          "mailbox table", None, 8),
    Reply(B, "550", "5.1.1", "userunknown",
          "<{rcpt}>: Recipient address rejected: User unknown in local "
          "recipient table", None, 5),
    Reply(B, "550", None, "userunknown", "No such user here", None, 2),
    Reply(B, "550", "5.1.1", "userunknown",
          "<{rcpt}>... User unknown", None, 2),
    Reply(D, "450", "4.2.0", "greylisted",
          "<{rcpt}>: Recipient address rejected: Greylisted, see "
          "http://postgrey.schweikert.ch/help/{rdom}.html", None, 6),
    Reply(D, "451", "4.7.1", "greylisted",
          "Please try again later (greylisted)", None, 3),
    Reply(D, "452", "4.2.2", "mailboxfull",
          "<{rcpt}>: Mailbox is full, try again later", None, 3),
    Reply(B, "552", "5.2.2", "mailboxfull",
          "<{rcpt}>: Recipient address rejected: Mailbox quota exceeded",
          None, 2),
    Reply(B, "554", "5.7.1", "blocked",
          "Service unavailable; Client host [{ip}] blocked using "
          "zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}",
          None, 3),
    Reply(B, "550", "5.7.1", "spamdetected",
          "Message rejected as spam by content filter", None, 2),
    Reply(B, "552", "5.3.4", "emailtoolarge",
          "Message size exceeds fixed limit", None, 2),
    Reply(B, "550", "5.7.23", "authfailure",
          "SPF check failed: the sending host [{ip}] is not allowed to "
          "send mail for {sdom}", None),
    Reply(D, "421", "4.7.0", "ratelimited",
          "Too many connections from your IP address, slow down", None, 2),
    Reply(D, "450", "4.7.1", "requireptr",
          "Client host rejected: cannot find your reverse hostname, [{ip}]",
          None),
    Reply(B, "550", "5.2.1", "suspend",
          "<{rcpt}>: Mailbox disabled, not accepting messages", None),
    Reply(B, "554", "5.7.0", "virusdetected",
          "Reject, id={tag} - INFECTED: Eicar-Signature", None),
    Reply(B, "554", "5.4.6", "mailloop",
          "Too many hops, possible mail loop", None),
    Reply(D, "451", "4.3.0", "systemerror",
          "Temporary local problem, please try again later", None, 2),
    Reply(D, "452", "4.3.1", "systemfull",
          "Insufficient system storage", None),
    Reply(B, "556", "5.1.10", "notaccept",
          "Recipient domain {rdom} has a null MX and accepts no mail",
          None),
    Reply(B, "550", "5.7.1", "norelaying",
          "<{rcpt}>: Relay access denied", None),
]

# Replies of our own server to clients it rejects, used for Postfix and
# Exim inbound rejections.  Texts with {rcpt} are RCPT-stage replies.
INBOUND = [
    Reply(J, "554", "5.7.1", "norelaying",
          "<{rcpt}>: Relay access denied", None, 5),
    Reply(J, "550", "5.1.1", "userunknown",
          "<{rcpt}>: Recipient address rejected: User unknown in local "
          "recipient table", None, 6),
    Reply(J, "554", "5.7.1", "blocked",
          "Service unavailable; Client host [{ip}] blocked using "
          "zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}",
          None, 6),
    Reply(J, "450", "4.2.0", "greylisted",
          "<{rcpt}>: Recipient address rejected: Greylisted, see "
          "http://postgrey.schweikert.ch/help/{rdom}.html", None, 5),
    Reply(J, "450", "4.7.1", "requireptr",
          "Client host rejected: cannot find your hostname, [{ip}]",
          None, 3),
    Reply(J, "550", "5.7.1", "blocked",
          "Client host [{ip}] blocked using bl.spamcop.net; Blocked - see "
          "https://www.spamcop.net/bl.shtml?{ip}", None, 2),
]
