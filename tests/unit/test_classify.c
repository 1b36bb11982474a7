/* SPDX-License-Identifier: MIT */
/*
 * test_classify.c - unit tests of the bounce classifier
 *
 * The cases are this project's own development set: replies written for
 * each reason, provider, language and trap, checked against the built-in
 * rules for reason, evidence and the codes found.  Further tests check
 * the reason table, rule-file diagnostics, stage refinement from a log's
 * stage field, and expiries that inherit the reason of the last
 * deferral.  meson runs this program once more under tr_TR.UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bouncelog/classify.h"
#include "bouncelog/diag.h"
#include "bouncelog/reason.h"
#include "bouncelog/tally.h"
#include "check.h"
#include "classify_impl.h"
#include "tally_impl.h"

struct text_case {
	const char *name;
	const char *text;
	const char *want_reason;
	const char *want_evidence; /* "" for none */
	int want_reply;		   /* 0 for none */
	const char *want_enh;	   /* "" for none */
};

static const struct text_case text_cases[] = {
    /* One or more cases per reason. */
    {"userunknown postfix",
     "host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>: "
     "Recipient address rejected: User unknown in virtual mailbox table "
     "(in reply to RCPT TO command)",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},
    {"userunknown code only", "550 5.1.1 <a@example.com>... rejected",
     "userunknown", "code:5.1.1", 550, "5.1.1"},
    {"userunknown qmail", "550 sorry, no mailbox here by that name. (#5.1.1)",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},
    {"hostunknown",
     "Host or domain name not found. Name service error for "
     "name=nosuch.example type=A: Host not found",
     "hostunknown", "phrase:hostunknown:en", 0, ""},
    {"notaccept null mx", "556 5.1.10 Recipient address has null MX",
     "notaccept", "phrase:notaccept:en", 556, "5.1.10"},
    {"notaccept reply 521", "521 mail.example.org", "notaccept", "reply:521",
     521, ""},
    {"hasmoved", "551 5.1.6 User has moved; please try <b@example.net>",
     "hasmoved", "phrase:hasmoved:en", 551, "5.1.6"},
    {"suspend", "550 5.2.1 The account you are writing to has been disabled",
     "suspend", "phrase:suspend:en", 550, "5.2.1"},
    {"suspend no longer in use",
     "550 5.1.1 This email address is no longer in use", "suspend",
     "phrase:suspend:en", 550, "5.1.1"},
    {"mailboxfull", "452 4.2.2 <bob@example.com>: Mailbox full", "mailboxfull",
     "phrase:mailboxfull:en", 452, "4.2.2"},
    {"mailboxfull over quota and retry",
     "user is over quota: retry timeout exceeded", "mailboxfull",
     "phrase:mailboxfull:en", 0, ""},
    {"filtered", "550 5.7.1 Message refused due to recipient preferences",
     "filtered", "phrase:filtered:en", 550, "5.7.1"},
    {"emailtoolarge",
     "552 5.3.4 Message size exceeds fixed maximum message size",
     "emailtoolarge", "phrase:emailtoolarge:en", 552, "5.3.4"},
    {"rejected sender",
     "553 5.1.8 <x@nowhere.example>: Sender address rejected: Domain not "
     "found",
     "rejected", "phrase:rejected:en", 553, "5.1.8"},
    {"norelaying", "554 5.7.1 <x@example.org>: Relay access denied",
     "norelaying", "phrase:norelaying:en", 554, "5.7.1"},
    {"authfailure dmarc",
     "550 5.7.1 Unauthenticated email from example.com is not accepted "
     "due to domain's DMARC policy",
     "authfailure", "phrase:authfailure:en", 550, "5.7.1"},
    {"requireptr",
     "450 4.7.1 Client host rejected: cannot find your reverse hostname, "
     "[192.0.2.7]",
     "requireptr", "phrase:requireptr:en", 450, "4.7.1"},
    {"blocked dnsbl",
     "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked "
     "using zen.spamhaus.org",
     "blocked", "phrase:blocked:en", 554, "5.7.1"},
    {"badreputation",
     "421 4.7.0 Your IP has a poor reputation, try again later",
     "badreputation", "phrase:badreputation:en", 421, "4.7.0"},
    {"spamdetected", "550 5.7.1 Message rejected as spam by Content Filtering",
     "spamdetected", "phrase:spamdetected:en", 550, "5.7.1"},
    {"virusdetected", "554 5.7.1 Message rejected: virus found in attachment",
     "virusdetected", "phrase:virusdetected:en", 554, "5.7.1"},
    {"policyviolation", "550 5.7.1 Message rejected for policy reasons",
     "policyviolation", "phrase:policyviolation:en", 550, "5.7.1"},
    {"policyviolation code only", "550 5.7.1 Delivery refused",
     "policyviolation", "code:5.7.1", 550, "5.7.1"},
    {"contenterror",
     "554 5.6.0 Message contains bare LF and is violating 822.bis",
     "contenterror", "phrase:contenterror:en", 554, "5.6.0"},
    {"notcompliantrfc",
     "550 5.7.1 Message contains duplicate headers and is not RFC 5322 "
     "compliant",
     "notcompliantrfc", "phrase:notcompliantrfc:en", 550, "5.7.1"},
    {"ratelimited", "421 4.7.0 Too many connections from your IP, slow down",
     "ratelimited", "phrase:ratelimited:en", 421, "4.7.0"},
    {"toomanyrecipients", "452 4.5.3 Too many recipients", "toomanyrecipients",
     "phrase:toomanyrecipients:en", 452, "4.5.3"},
    {"toomanyrecipients per hour is a rate",
     "550 5.1.1 Sender has sent to too many recipients this hour",
     "ratelimited", "phrase:ratelimited:en", 550, "5.1.1"},
    {"greylisted",
     "450 4.2.0 <a@example.org>: Recipient address rejected: Greylisted, "
     "see https://postgrey.example/help",
     "greylisted", "phrase:greylisted:en", 450, "4.2.0"},
    {"securityerror", "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6",
     "securityerror", "phrase:securityerror:en", 535, "5.7.8"},
    {"failedstarttls", "530 5.7.0 Must issue a STARTTLS command first",
     "failedstarttls", "phrase:failedstarttls:en", 530, "5.7.0"},
    {"syntaxerror", "501 5.5.2 Syntax error in parameters or arguments",
     "syntaxerror", "phrase:syntaxerror:en", 501, "5.5.2"},
    {"systemerror", "451 4.3.0 Temporary local problem, try later",
     "systemerror", "phrase:systemerror:en", 451, "4.3.0"},
    {"systemfull", "452 4.3.1 Insufficient system storage", "systemfull",
     "phrase:systemfull:en", 452, "4.3.1"},
    {"networkerror", "all relevant MX records point to non-existent hosts",
     "networkerror", "phrase:networkerror:en", 0, ""},
    {"dnserror",
     "Host or domain name not found. Name service error for "
     "name=example.org type=MX: Host not found, try again",
     "dnserror", "phrase:dnserror:en", 0, ""},
    {"connectionerror",
     "connect to mx.example.com[192.0.2.1]:25: Connection timed out",
     "connectionerror", "phrase:connectionerror:en", 0, ""},
    {"mailloop", "mail for example.com loops back to myself", "mailloop",
     "phrase:mailloop:en", 0, ""},
    {"expired", "retry timeout exceeded", "expired", "phrase:expired:en", 0,
     ""},
    {"mailererror", "Command died with status 1: \"/usr/bin/procmail\"",
     "mailererror", "phrase:mailererror:en", 0, ""},
    {"suppressed",
     "Amazon SES has suppressed sending to this address because it has a "
     "recent history of bouncing as an invalid address",
     "suppressed", "phrase:suppressed:en", 0, ""},
    {"onhold bare 550", "550 Requested action not taken", "onhold", "reply:550",
     550, ""},
    {"onhold 5.0.0", "554 5.0.0 Error", "onhold", "reply:554", 554, "5.0.0"},
    {"undefined empty", "", "undefined", "", 0, ""},
    {"delivered", "250 2.0.0 Ok: queued as 4Xk9Q", "delivered", "reply:250",
     250, "2.0.0"},
    {"delivered by code alone", "2.0.0 Ok", "delivered", "code:2.0.0", 0,
     "2.0.0"},

    /* Providers, by tag, by code meaning and by topic. */
    {"gmail topic",
     "550-5.1.1 The email account that you tried to reach does not "
     "exist. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser "
     "a1si - gsmtp",
     "userunknown", "provider:gmail:NoSuchUser", 550, "5.1.1"},
    {"gmail 4.7.23 is ptr",
     "451 4.7.23 The sending IP lacks a matching PTR - gsmtp", "requireptr",
     "provider:gmail:4.7.23", 451, "4.7.23"},
    {"gmail 5.7.27 is spf", "550 5.7.27 The SPF check did not pass - gsmtp",
     "authfailure", "provider:gmail:5.7.27", 550, "5.7.27"},
    {"gmail 4.7.28 is rate",
     "421-4.7.28 Unusual rate of mail from your IP. 421 4.7.28 "
     "Please slow down. - gsmtp",
     "ratelimited", "provider:gmail:4.7.28", 421, "4.7.28"},
    {"gmail 4.7.29 is tls",
     "421 4.7.29 Your message was not sent over TLS - gsmtp", "failedstarttls",
     "provider:gmail:4.7.29", 421, "4.7.29"},
    {"gmail 5.7.30 is dkim", "550 5.7.30 DKIM checks did not pass - gsmtp",
     "authfailure", "provider:gmail:5.7.30", 550, "5.7.30"},
    {"gmail 5.2.1 rate",
     "450 4.2.1 The user you are trying to contact is receiving mail at "
     "a rate that prevents additional messages - gsmtp",
     "ratelimited", "provider:gmail:4.2.1", 450, "4.2.1"},
    {"microsoft S3150",
     "550 5.7.1 Part of their network is on our block list (S3150). "
     "[AM6EUR05FT012.eop-eur05.prod.protection.outlook.com]",
     "blocked", "provider:microsoft:S3150", 550, "5.7.1"},
    {"microsoft RP-001",
     "421 RP-001 (BAY004-MC1F23) Unfortunately, some messages from "
     "192.0.2.8 weren't sent. hotmail.com",
     "ratelimited", "provider:microsoft:RP-001", 421, ""},
    {"microsoft 5.7.606",
     "550 5.7.606 Access denied, banned sending IP [192.0.2.8]. "
     "[DB5EUR03FT044.eop-EUR03.prod.protection.outlook.com]",
     "blocked", "provider:microsoft:5.7.606", 550, "5.7.606"},
    {"microsoft 5.4.1 access denied",
     "550 5.4.1 Recipient address rejected: Access denied. "
     "[SN1NAM02FT015.eop-nam02.prod.protection.outlook.com]",
     "userunknown", "provider:microsoft:5.4.1", 550, "5.4.1"},
    {"microsoft resolver",
     "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by "
     "SMTP address lookup",
     "userunknown", "provider:microsoft:RecipientNotFound", 550, "5.1.10"},
    {"yahoo TSS04",
     "421 4.7.0 [TSS04] Messages from 192.0.2.8 temporarily deferred due "
     "to unexpected volume or user complaints - 4.16.55.1; see "
     "https://postmaster.yahooinc.com/error-codes",
     "badreputation", "provider:yahoo:TSS04", 421, "4.7.0"},
    {"yahoo disabled",
     "554 delivery error: dd This mailbox is disabled (554.30)", "suspend",
     "provider:yahoo:554.30", 554, ""},
    {"apple HME1",
     "550 5.7.1 [HME1] Message rejected: both SPF and DKIM failed",
     "authfailure", "provider:apple:HME1", 550, "5.7.1"},
    {"orange tag", "550 5.2.0 Mail rejete. Mail rejected. OFR004_506 [506]",
     "spamdetected", "provider:orange:OFR004_506", 550, "5.2.0"},
    {"orange full with 5.1.1",
     "552 5.1.1 Boite du destinataire pleine. Recipient mailbox full. "
     "OFR_417 [417]",
     "mailboxfull", "phrase:mailboxfull:en", 552, "5.1.1"},
    {"gmx c=bl",
     "554-gmx.net (mxgmx001) Nemesis ESMTP Service not available 554 "
     "Reject due to policy restrictions. For explanation visit "
     "https://www.gmx.net/mail/senderguidelines?c=bl",
     "blocked", "provider:gmx:bl", 554, ""},
    {"spectrum aup number wins",
     "550 5.1.0 <x@example.com> sender rejected AUP#In-1310", "ratelimited",
     "provider:spectrum:AUP#In-1310", 550, "5.1.0"},
    {"godaddy IB607",
     "550 5.1.1 <x@example.com> has sent to too many recipients this "
     "hour. IB607",
     "ratelimited", "provider:godaddy:IB607", 550, "5.1.1"},

    /* Turkish in both cases, and in ASCII. */
    {"turkish lower", "550 5.1.1 Alıcı bulunamadı", "userunknown",
     "phrase:userunknown:tr", 550, "5.1.1"},
    {"turkish upper", "550 ALICI BULUNAMADI", "userunknown",
     "phrase:userunknown:tr", 550, ""},
    {"turkish ascii", "550 alici bulunamadi", "userunknown",
     "phrase:userunknown:tr", 550, ""},
    {"turkish full", "452 Posta kutusu dolu", "mailboxfull",
     "phrase:mailboxfull:tr", 452, ""},
    {"turkish full upper", "452 POSTA KUTUSU DOLU", "mailboxfull",
     "phrase:mailboxfull:tr", 452, ""},
    {"turkish spam", "554 İleti istenmeyen posta olarak algılandı",
     "spamdetected", "phrase:spamdetected:tr", 554, ""},
    {"turkish spam upper", "554 İSTENMEYEN POSTA", "spamdetected",
     "phrase:spamdetected:tr", 554, ""},
    {"turkish dotted capital in english", "550 5.1.1 USER UNKNOWN İstanbul",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},
    {"turkish suspend", "550 Hesabınız askıya alındı", "suspend",
     "phrase:suspend:tr", 550, ""},

    /* French and German. */
    {"french full", "552 5.2.2 Boîte du destinataire pleine", "mailboxfull",
     "phrase:mailboxfull:fr", 552, "5.2.2"},
    {"french unknown", "550 5.1.1 Utilisateur inconnu", "userunknown",
     "phrase:userunknown:fr", 550, "5.1.1"},
    {"german unknown", "550 5.1.1 Empfänger unbekannt", "userunknown",
     "phrase:userunknown:de", 550, "5.1.1"},
    {"german full upper", "552 POSTFACH IST VOLL", "mailboxfull",
     "phrase:mailboxfull:de", 552, ""},
    {"german greylisting",
     "451 4.7.1 Greylisting aktiv, bitte später erneut versuchen", "greylisted",
     "phrase:greylisted:en", 451, "4.7.1"},

    /* Numbers that are not codes. */
    {"url digits", "554 Message rejected, see http://example.org/5.7.1/help",
     "onhold", "reply:554", 554, ""},
    {"bracketed number", "Rejected [550] unknown", "onhold", "", 0, ""},
    {"version number", "Server Exim v5.1.1 said goodbye", "onhold", "", 0, ""},
    {"size parameter", "SIZE=5.2.3 not understood", "onhold", "", 0, ""},
    {"dotted quad", "mx 10.5.1.1 unreachable", "onhold", "", 0, ""},
    {"yahoo internal id", "Deferred - 4.16.55.1 see https://postmaster.example",
     "onhold", "", 0, ""},
    {"hash anchor", "Not delivered, see https://example.org/faq#5.1.1",
     "onhold", "", 0, ""},
    {"loose code after dash",
     "Message rejected - 5.7.1 [BL23] see the policy page", "blocked",
     "provider:yahoo:BL23", 0, "5.7.1"},
    {"spam local part", "550 5.1.1 <spam@example.com>: User unknown",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},
    {"spam host name",
     "host spam.example.com[192.0.2.5] said: 550 5.1.1 Mailbox not "
     "found",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},
    {"spam in dnsbl zone",
     "554 Rejected: 192.0.2.5 is listed at spam.dnsbl.example", "blocked",
     "phrase:blocked:en", 554, ""},
    {"diagnostic code", "smtp; 550 5.1.1 <a@b.example>... User unknown",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},

    /* Class mismatches and nested replies. */
    {"mismatch 421 5.7.32",
     "421 5.7.32 Your email has been rate limited because the From header "
     "is not aligned with the SPF or DKIM domain - gsmtp",
     "authfailure", "provider:gmail:5.7.32", 421, "5.7.32"},
    {"mismatch 554 4.4.7", "554 4.4.7 Message expired", "expired",
     "phrase:expired:en", 554, "4.4.7"},
    {"quoted ses reply",
     "5.1.0 - Unknown address error 550-'5.1.1 <x@example.com>... "
     "No such mailbox'",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},
    {"nested reply after error",
     "550 5.7.1 Unable to deliver. Error: 535 5.7.139 Authentication "
     "unsuccessful",
     "securityerror", "phrase:securityerror:en", 550, "5.7.1"},
    {"nested code decides",
     "451 4.4.0 Primary target IP address responded with: \"421 4.4.2 "
     "mx.example.com is busy\"",
     "connectionerror", "code:4.4.2", 451, "4.4.0"},

    /* Stage refinement from the text. */
    {"stage greeting blocks",
     "host mx.example.com[192.0.2.1] refused to talk to me: 554 "
     "mx.example.com",
     "blocked", "stage:CONN", 554, ""},
    {"stage mail rejects",
     "host mx.example.com[192.0.2.1] said: 550 5.7.1 Nope (in reply to "
     "MAIL FROM command)",
     "rejected", "stage:MAIL", 550, "5.7.1"},
    {"stage rcpt unknown",
     "host mx.example.com[192.0.2.1] said: 550 Requested action not "
     "taken (in reply to RCPT TO command)",
     "userunknown", "stage:RCPT", 550, ""},
    {"stage rcpt vetoes content",
     "host mx.example.com[192.0.2.1] said: 550 5.6.0 Bad (in reply to "
     "RCPT TO command)",
     "userunknown", "stage:RCPT", 550, "5.6.0"},
    {"stage data keeps content",
     "host mx.example.com[192.0.2.1] said: 550 5.6.0 Bad (in reply to "
     "end of DATA command)",
     "contenterror", "code:5.6.0", 550, "5.6.0"},
    {"exim stage",
     "SMTP error from remote mail server after MAIL FROM:<a@b.example> "
     "SIZE=1234: 550 Go away",
     "rejected", "stage:MAIL", 550, ""},
    /* Further families: suffixed Turkish words, recipient refusals in
     * three languages, Microsoft three-digit codes, provider tags. */
    {"suppressed address",
     "550 5.1.1 Address suppressed: earlier bounces stopped further attempts",
     "suppressed", "phrase:suppressed:en", 550, "5.1.1"},
    {"hourly recipients rate",
     "452 4.5.3 Too many recipients sent per hour from your account",
     "ratelimited", "phrase:ratelimited:en", 452, "4.5.3"},
    {"messages per session",
     "421 Limit reached: maximum number of messages per session",
     "ratelimited", "phrase:ratelimited:en", 421, ""},
    {"allowed limit exceeded",
     "451 Sender has exceeded its allowed limit for outbound mail",
     "ratelimited", "phrase:ratelimited:en", 451, ""},
    {"bad dns ptr",
     "550 Client rejected: bad DNS PTR for 192.0.2.7",
     "requireptr", "phrase:requireptr:en", 550, ""},
    {"ptr on continuation line",
     "554-mx.example.net ESMTP Service not available 554-Bad DNS PTR resource record 554 See the help page",
     "requireptr", "phrase:requireptr:en", 554, ""},
    {"tls not established",
     "454 Could not establish TLS with the remote host",
     "failedstarttls", "phrase:failedstarttls:en", 454, ""},
    {"certificate hyphenated",
     "550 5.7.1 certificate-expired: peer certificate is out of date",
     "failedstarttls", "phrase:failedstarttls:en", 550, "5.7.1"},
    {"spam as motive",
     "550 5.7.1 Message rejected; we filter hard to shield our users from spam, sender reputation is poor",
     "badreputation", "phrase:badreputation:en", 550, "5.7.1"},
    {"personal block list",
     "550 Your address is on the recipient's personal block list",
     "filtered", "phrase:filtered:en", 550, ""},
    {"ip not on allow list",
     "550 5.7.1 Server 192.0.2.9 is not in the allow list for this domain",
     "blocked", "phrase:blocked:en", 550, "5.7.1"},
    {"permanent deferral",
     "421 4.7.1 Messages from 192.0.2.9 permanently deferred; retrying will not succeed",
     "blocked", "phrase:blocked:en", 421, "4.7.1"},
    {"no direct sending",
     "550 5.7.1 Hosts on consumer networks may not send mail directly to this server",
     "blocked", "phrase:blocked:en", 550, "5.7.1"},
    {"dnsbl plural",
     "554 5.7.1 Listed on 3 DNSBLs",
     "blocked", "phrase:blocked:en", 554, "5.7.1"},
    {"connection denied",
     "550 Connection denied for your network",
     "blocked", "phrase:blocked:en", 550, ""},
    {"tr kara listeye",
     "554 5.7.1 Sunucu IP adresi kara listeye alındı",
     "blocked", "phrase:blocked:tr", 554, "5.7.1"},
    {"tr itibari upper",
     "421 4.7.0 Sunucunuzun İTİBARI çok düşük",
     "badreputation", "phrase:badreputation:tr", 421, "4.7.0"},
    {"tr itibariniz",
     "421 4.7.0 Gönderen sunucu itibarınız yetersiz",
     "badreputation", "phrase:badreputation:tr", 421, "4.7.0"},
    {"cannot relay",
     "550 5.7.1 We cannot relay for this domain",
     "norelaying", "phrase:norelaying:en", 550, "5.7.1"},
    {"tr aktarim izni",
     "554 5.7.1 Aktarım izni yok",
     "norelaying", "phrase:norelaying:tr", 554, "5.7.1"},
    {"tr aktarim upper",
     "554 AKTARIM İZNİ YOK",
     "norelaying", "phrase:norelaying:tr", 554, ""},
    {"tr posta aktarmiyor",
     "554 5.7.1 Bu sunucu dış alan adları için posta aktarmıyor",
     "norelaying", "phrase:norelaying:tr", 554, "5.7.1"},
    {"our sending disabled",
     "550 Sending messages is disabled for your account",
     "rejected", "phrase:rejected:en", 550, ""},
    {"our account suspended",
     "550 5.7.1 Sender account has been suspended for abuse",
     "rejected", "phrase:rejected:en", 550, "5.7.1"},
    {"sender domain unresolved",
     "451 4.1.8 Sender domain could not be resolved",
     "rejected", "phrase:rejected:en", 451, "4.1.8"},
    {"unverified sending domain",
     "550 5.7.1 This tenant may not send from unverified domains",
     "rejected", "phrase:rejected:en", 550, "5.7.1"},
    {"banned mailbox",
     "550 5.2.1 Banned mailbox",
     "suspend", "phrase:suspend:en", 550, "5.2.1"},
    {"rcpt access denied",
     "550 5.1.1 Recipient address rejected: Access denied",
     "userunknown", "phrase:userunknown:en", 550, "5.1.1"},
    {"no account named",
     "554 Sorry, this site has no account named jo",
     "userunknown", "phrase:userunknown:en", 554, ""},
    {"recipient chose",
     "550 5.7.1 The user has decided not to accept mail from this sender",
     "filtered", "phrase:filtered:en", 550, "5.7.1"},
    {"not authenticated by group",
     "554 5.7.1 Sender was not authenticated for the group",
     "filtered", "phrase:filtered:en", 554, "5.7.1"},
    {"tr alici kabul etmiyor",
     "554 5.7.1 Alıcı, bu göndericiden gelen iletileri kabul etmiyor",
     "filtered", "phrase:filtered:tr", 554, "5.7.1"},
    {"tr alici upper",
     "554 5.7.1 ALICI sizden gelen mesajları engelledi",
     "filtered", "phrase:filtered:tr", 554, "5.7.1"},
    {"de empfaenger nimmt keine",
     "550 5.7.1 Dieser Empfänger nimmt keine E-Mails von Ihnen an",
     "filtered", "phrase:filtered:de", 550, "5.7.1"},
    {"fr destinataire refuse",
     "550 5.7.1 Le destinataire refuse vos messages",
     "filtered", "phrase:filtered:fr", 550, "5.7.1"},
    {"rfcs plural",
     "554 5.6.0 Header lines do not conform to the RFCs",
     "notcompliantrfc", "phrase:notcompliantrfc:en", 554, "5.6.0"},
    {"body line too long",
     "554 5.6.0 Body line is too long",
     "contenterror", "phrase:contenterror:en", 554, "5.6.0"},
    {"no 8bitmime",
     "552 Remote server doesn't support 8BITMIME",
     "contenterror", "phrase:contenterror:en", 552, ""},
    {"recipient policy",
     "550 5.7.1 Blocked by recipient policy",
     "policyviolation", "phrase:policyviolation:en", 550, "5.7.1"},
    {"administrative prohibition",
     "550 Administrative prohibition",
     "policyviolation", "phrase:policyviolation:en", 550, ""},
    {"auth attempts",
     "454 4.7.0 Too many invalid authentication attempts",
     "securityerror", "phrase:securityerror:en", 454, "4.7.0"},
    {"table lookup failure",
     "451 4.3.0 Temporary table lookup failure",
     "systemerror", "phrase:systemerror:en", 451, "4.3.0"},
    {"connection has timed out",
     "421 4.4.2 The connection has timed out",
     "connectionerror", "phrase:connectionerror:en", 421, "4.4.2"},
    {"space shortage",
     "452 Disk space shortage on this server",
     "systemfull", "phrase:systemfull:en", 452, ""},
    {"bare transaction failed",
     "554 5.0.0 Transaction failed",
     "onhold", "reply:554", 554, "5.0.0"},
    {"not delivered in hours",
     "Could not deliver the message within 72 hours",
     "expired", "phrase:expired:en", 0, ""},
    {"de lieferzeit",
     "Zustellung aufgegeben: Lieferzeit überschritten",
     "expired", "phrase:expired:de", 0, ""},
    {"command line too long",
     "500 5.5.2 Command line too long",
     "syntaxerror", "phrase:syntaxerror:en", 500, "5.5.2"},
    {"mailer time limit",
     "Command timelimit exceeded for /usr/bin/deliver",
     "mailererror", "phrase:mailererror:en", 0, ""},
    {"ipv6 only refusal",
     "550 The domain does not accept mail over IPv6",
     "networkerror", "phrase:networkerror:en", 550, ""},
    {"microsoft size limit",
     "550 5.2.3 RESOLVER.RST.SendSizeLimit.Org; message too big",
     "emailtoolarge", "provider:microsoft:SendSizeLimit", 550, "5.2.3"},
    {"microsoft 3-digit code",
     "550 5.7.606 Access denied, banned sending IP",
     "blocked", "provider:microsoft:5.7.606", 550, "5.7.606"},
    {"microsoft 5-digit s tag",
     "451 4.7.500 Server busy, please try later (S12345)",
     "blocked", "provider:microsoft:4.7.500", 451, "4.7.500"},
    {"gmail same message-id",
     "421 4.7.28 Too many copies with the same Message-ID. Try again later - gsmtp",
     "policyviolation", "provider:gmail:same-message-id", 421, "4.7.28"},
    {"gmail starttls pipelining",
     "523 5.7.10 Do not pipeline STARTTLS - gsmtp",
     "syntaxerror", "provider:gmail:5.7.10", 523, "5.7.10"},
    {"tonline ip shape",
     "554 IP=192.0.2.5 - A problem occurred. (BL)",
     "blocked", "provider:tonline:BL", 554, ""},
    {"qq spam ip",
     "550 Suspected spam IP. http://service.mail.example.com/detail/122/60",
     "blocked", "provider:qq:Suspected_spam_IP", 550, ""},
    {"qq spam",
     "550 Suspected spam. http://service.mail.example.com/detail/122/100",
     "spamdetected", "provider:qq:Suspected_spam", 550, ""},
};

/* test_text_cases - every development case through classify_text() */
static void
test_text_cases(void **state)
{
	struct classify_rules *rules = *state;

	for (size_t i = 0; i < ARRAY_LEN(text_cases); i++) {
		const struct text_case *c = &text_cases[i];
		size_t len = strlen(c->text);
		char *text = copy_exact(c->text, len);
		char enh[ENH_STATUS_LEN] = "";
		struct event ev;

		classify_text(rules, text, len, &ev);
		if (enh_status_present(&ev.reply_enh))
			status_format_enhanced(&ev.reply_enh, enh);
		check_str(c->name, "reason",
			  reason_name(ev.classification.reason),
			  c->want_reason);
		check_str(c->name, "evidence", ev.classification.evidence,
			  c->want_evidence);
		check_int(c->name, "reply code", ev.reply_code, c->want_reply);
		check_str(c->name, "enhanced code", enh, c->want_enh);
		free(text);
	}
	finish_cases();
}

/* test_every_reason_covered - each failure reason has a case above */
static void
test_every_reason_covered(void **state)
{
	(void)state;
	for (int r = REASON_NONE + 1; r < REASON_COUNT; r++) {
		bool found = false;

		for (size_t i = 0; i < ARRAY_LEN(text_cases) && !found; i++)
			found = strcmp(text_cases[i].want_reason,
				       reason_name((enum reason)r)) == 0;
		if (!found)
			note_mismatch("%s: no development case",
				      reason_name((enum reason)r));
	}
	finish_cases();
}

/* test_class_and_kind - protocol class, mismatch flag and bounce kind */
static void
test_class_and_kind(void **state)
{
	static const struct {
		const char *text;
		int cls;
		bool mismatch;
		const char *kind;
	} cases[] = {
	    {"550 5.1.1 User unknown", 5, false, "hard"},
	    {"450 4.1.1 User unknown", 4, false, "hard"},
	    {"421 5.7.32 not aligned - gsmtp", 4, true, "soft"},
	    {"554 4.4.7 Message expired", 5, true, "soft"},
	    {"4.2.2 Mailbox full", 4, false, "soft"},
	    {"521 does not accept mail", 5, false, "hard"},
	    {"421 4.3.2 host does not accept mail now", 4, false, "soft"},
	    {"250 2.0.0 Ok", 2, false, "none"},
	    {"Connection timed out", 0, false, "soft"},
	};
	struct classify_rules *rules = *state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct event ev;

		classify_text(rules, cases[i].text, strlen(cases[i].text), &ev);
		check_int(cases[i].text, "class", ev.classification.cls,
			  cases[i].cls);
		check_int(cases[i].text, "mismatch",
			  ev.classification.class_mismatch, cases[i].mismatch);
		check_str(cases[i].text, "kind",
			  bounce_kind_name(ev.classification.kind),
			  cases[i].kind);
	}
	finish_cases();
}

/* test_cause - the nested reply is reported as the cause */
static void
test_cause(void **state)
{
	static const char text[] =
	    "451 4.4.0 Primary target IP address responded with: \"421 "
	    "4.4.2 mx.example.com is busy\"";
	static const char error[] =
	    "550 5.7.1 Unable to deliver. Error: 535 5.7.139 "
	    "Authentication unsuccessful";
	static const char angle[] =
	    "451 4.4.0 Primary target failed <421 4.4.2 Connection "
	    "dropped>";
	static const char upper[] =
	    "554 RELAY FAILED, THE NEXT HOP SAID: 451 TRY AGAIN LATER";
	struct classify_rules *rules = *state;
	struct event ev;

	classify_text(rules, error, strlen(error), &ev);
	check_span("error", "cause", ev.classification.cause,
		   "535 5.7.139 Authentication unsuccessful");
	classify_text(rules, angle, strlen(angle), &ev);
	check_span("angle", "cause", ev.classification.cause,
		   "421 4.4.2 Connection dropped");
	check_str("angle", "evidence", ev.classification.evidence,
		  "phrase:connectionerror:en");
	classify_text(rules, "550 5.1.1 User unknown", 22, &ev);
	check_span("plain", "cause", ev.classification.cause, NULL);

	/* A marker in upper case still marks a nested reply without an
	 * enhanced code. */
	classify_text(rules, upper, strlen(upper), &ev);
	check_span("upper", "cause", ev.classification.cause,
		   "451 TRY AGAIN LATER");

	/* Exchange's own status is the reply; the next hop's quoted reply
	 * is the cause. */
	classify_text(rules, text, strlen(text), &ev);
	check_int("exchange", "reply", ev.reply_code, 451);
	check_span("exchange", "cause", ev.classification.cause,
		   "421 4.4.2 mx.example.com is busy");
	finish_cases();
}

/* log_event - a delivery or rejection event as a back end fills it */
static void
log_event(struct event *ev, enum event_type type, enum delivery_status status,
	  const char *text, const char *stage, const char *host)
{
	event_init(ev, type);
	ev->status = status;
	ev->text = span_make(text, strlen(text));
	if (stage != NULL)
		ev->stage = span_make(stage, strlen(stage));
	if (host != NULL)
		ev->remote_host = span_make(host, strlen(host));
	reply_analyze(ev);
}

/*
 * test_failure_never_delivered - a 4xx or 5xx code anywhere in the
 * codes (reply code, enhanced code or a nested reply) outweighs a
 * success code, and the class is then a failure class unless a reply
 * code gives it.  The first case is a fuzzer input whose nested "451"
 * had a success code with an undefined subject and was delivered.
 */
static void
test_failure_never_delivered(void **state)
{
	static const struct {
		const char *name;
		const char *text;
		size_t len;	/* 0 for strlen(text) */
		int cls;
		bool delivered;
	} cases[] = {
	    {"fuzzer input", ": 451 2.73.4= h\xff`\xee\xee;\xee", 13, 4, false},
	    {"nested 451 with 2.x.x", ": 451 2.1.4 hello", 0, 4, false},
	    {"word then 451 2.0.0", "x 451 2.0.0 ok", 0, 4, false},
	    {"2.0.0 then nested 4.1.1", "2.0.0 ok 451 4.1.1 no such user", 0,
	     4, false},
	    {"2.0.0 then nested 550", "2.0.0 queued, said: 550 rejected", 0, 5,
	     false},
	    {"250 with 5.1.1", "250 5.1.1 unknown user", 0, 2, false},
	    {"250 with 4.2.2", "250 4.2.2 mailbox full", 0, 2, false},
	    {"250 with nested 550 2.x.x", "250 ok 550 2.1.1 moved", 0, 2,
	     false},
	    {"550 with 2.0.0", "550 2.0.0 ok", 0, 5, false},
	    {"451 with subject 73", "451-2.73.4 ok", 0, 4, false},
	    {"550 with four-digit detail", "550 2.1.1000 odd", 0, 5, false},
	    {"550 with four-part code", "550 2.1.1.1 odd", 0, 5, false},
	    {"4.x.x before 250", "4.2.2 250 ok", 0, 4, false},
	    {"354 with 2.x.x", "354 2.0.0 go ahead", 0, 3, false},
	    {"fuzzer input 351 after 451", ": 451 2.73.2,=   said: 351 2.73.4,= c",
	     0, 3, false},
	    {"250 2.0.0", "250 2.0.0 Ok", 0, 2, true},
	    {"bare 2.0.0", "2.0.0 Ok", 0, 2, true},
	    {"bare 250", "250 ok", 0, 2, true},
	};
	struct classify_rules *rules = *state;
	struct event ev;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t len = cases[i].len != 0 ? cases[i].len
					       : strlen(cases[i].text);

		classify_text(rules, cases[i].text, len, &ev);
		check_int(cases[i].name, "delivered",
			  ev.classification.reason == REASON_DELIVERED,
			  cases[i].delivered);
		check_int(cases[i].name, "class", ev.classification.cls,
			  cases[i].cls);
	}

	/* A log event that failed is never delivered, not even with a 2xx
	 * reply in its text. */
	log_event(&ev, EVENT_DELIVERY, STATUS_BOUNCED, "250 2.0.0 odd", NULL,
		  "mx.example.com");
	classify_event_with(rules, &ev);
	check_str("bounce with 250", "reason",
		  reason_name(ev.classification.reason), "onhold");
	check_int("bounce with 250", "class", ev.classification.cls, 2);
	log_event(&ev, EVENT_DELIVERY, STATUS_DEFERRED, "250 ok", NULL, NULL);
	classify_event_with(rules, &ev);
	check_int("deferral with 250", "delivered",
		  ev.classification.reason == REASON_DELIVERED, false);
	log_event(&ev, EVENT_REJECT, STATUS_SENT, "2.0.0 accepted", "RCPT",
		  NULL);
	classify_event_with(rules, &ev);
	check_int("reject with 2.0.0", "delivered",
		  ev.classification.reason == REASON_DELIVERED, false);
	check_int("reject with 2.0.0", "class", ev.classification.cls, 5);
	finish_cases();
}

/* test_event_context - stage field, remote host and the log's status */
static void
test_event_context(void **state)
{
	struct classify_rules *rules = *state;
	struct event ev;

	/* A Postfix rejection at RCPT with nothing but the reply code. */
	log_event(&ev, EVENT_REJECT, STATUS_SENT, "550 Go away", "RCPT", NULL);
	classify_event_with(rules, &ev);
	check_str("reject rcpt", "reason",
		  reason_name(ev.classification.reason), "userunknown");
	check_str("reject rcpt", "stage",
		  smtp_stage_name(ev.classification.stage), "RCPT");

	/* The same at the greeting: the client is blocked. */
	log_event(&ev, EVENT_REJECT, STATUS_SENT, "554 Go away", "CONNECT",
		  NULL);
	classify_event_with(rules, &ev);
	check_str("reject connect", "reason",
		  reason_name(ev.classification.reason), "blocked");
	check_str("reject connect", "evidence", ev.classification.evidence,
		  "stage:CONN");

	/* A spam verdict by weak evidence is not taken before DATA. */
	log_event(&ev, EVENT_REJECT, STATUS_SENT, "550 5.6.0 nope", "MAIL",
		  NULL);
	classify_event_with(rules, &ev);
	check_str("content at mail", "reason",
		  reason_name(ev.classification.reason), "rejected");

	/* Gmail by remote host, without a tag in the text. */
	log_event(&ev, EVENT_DELIVERY, STATUS_DEFERRED,
		  "host gmail-smtp-in.l.google.com[192.0.2.9] said: 451 4.7.23 "
		  "no PTR",
		  NULL, "gmail-smtp-in.l.google.com");
	classify_event_with(rules, &ev);
	check_str("gmail host", "reason", reason_name(ev.classification.reason),
		  "requireptr");
	check_str("gmail host", "provider", ev.classification.provider,
		  "gmail");

	/* A deferral is never a hard bounce, whatever the reply says. */
	log_event(&ev, EVENT_DELIVERY, STATUS_DEFERRED,
		  "host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown",
		  NULL, "mx.example.com");
	classify_event_with(rules, &ev);
	check_str("softbounce", "kind",
		  bounce_kind_name(ev.classification.kind), "soft");
	check_int("softbounce", "class", ev.classification.cls, 5);

	/* An expiry whose text says nothing more is "expired". */
	log_event(&ev, EVENT_DELIVERY, STATUS_EXPIRED, "", NULL, NULL);
	classify_event_with(rules, &ev);
	check_str("expired", "reason", reason_name(ev.classification.reason),
		  "expired");
	check_int("expired", "flag", ev.classification.expired, 1);

	/* Exim's retry timeout with the deferral's text inherited. */
	log_event(
	    &ev, EVENT_DELIVERY, STATUS_BOUNCED,
	    "SMTP error from remote mail server after RCPT TO:<d@x.example>:"
	    " 452 4.2.2 Mailbox full",
	    NULL, NULL);
	ev.retry_expired = true;
	classify_event_with(rules, &ev);
	check_str("exim retry", "reason", reason_name(ev.classification.reason),
		  "mailboxfull");
	check_int("exim retry", "flag", ev.classification.expired, 1);

	/* A success code in the text of a failure explains nothing: the
	 * failed reply or the log's status outweighs it. */
	log_event(&ev, EVENT_DELIVERY, STATUS_BOUNCED,
		  "host mx.example.com[192.0.2.1] said: 551 moved, see 2.1.1",
		  NULL, "mx.example.com");
	classify_event_with(rules, &ev);
	check_str("failed reply with 2.x.x", "reason",
		  reason_name(ev.classification.reason), "hasmoved");
	log_event(&ev, EVENT_DELIVERY, STATUS_BOUNCED, "2.0.0 Ok", NULL, NULL);
	classify_event_with(rules, &ev);
	check_str("bounce with 2.x.x", "reason",
		  reason_name(ev.classification.reason), "onhold");

	/* A sent delivery is a success; a sender line is no failure. */
	log_event(&ev, EVENT_DELIVERY, STATUS_SENT, "250 ok", NULL, NULL);
	classify_event_with(rules, &ev);
	check_str("sent", "reason", reason_name(ev.classification.reason),
		  "delivered");
	event_init(&ev, EVENT_SENDER);
	classify_event_with(rules, &ev);
	check_int("sender", "reason", ev.classification.reason, REASON_NONE);
	finish_cases();
}

/* The contexts that test_cache_same_result() combines with every text:
 * the event type, status, stage field and remote host, or the text alone
 * through classify_text(), where no log status says that it failed. */
static const struct cache_context {
	enum event_type type;
	enum delivery_status status;
	const char *stage;
	const char *host;
	bool text_only;
} cache_contexts[] = {
    {EVENT_NOTIFICATION, STATUS_SENT, NULL, NULL, true},
    {EVENT_DELIVERY, STATUS_DEFERRED, NULL, "gmail-smtp-in.l.google.com",
     false},
    {EVENT_DELIVERY, STATUS_BOUNCED, NULL, "mx.example.com", false},
    {EVENT_DELIVERY, STATUS_EXPIRED, NULL, NULL, false},
    {EVENT_REJECT, STATUS_SENT, "RCPT", NULL, false},
    {EVENT_REJECT, STATUS_SENT, "CONNECT", NULL, false},
};

/* One result of classify_all(): the cause span points into the text,
 * which differs between calls, so it is kept as an offset. */
struct cache_result {
	struct classification c;
	long long cause_at;	/* -1 when there is no cause */
};

/* classify_all - classify every text case in every context, forwards or
 * backwards, into out (ARRAY_LEN(text_cases) * ARRAY_LEN(cache_contexts)
 * entries in a fixed order) */
static void
classify_all(struct classify_rules *rules, bool backwards,
	     struct cache_result *out)
{
	size_t ncontexts = ARRAY_LEN(cache_contexts);
	size_t n = ARRAY_LEN(text_cases) * ncontexts;

	for (size_t k = 0; k < n; k++) {
		size_t i = backwards ? n - 1 - k : k;
		const struct text_case *c = &text_cases[i / ncontexts];
		const struct cache_context *x = &cache_contexts[i % ncontexts];
		struct event ev;

		if (x->text_only) {
			classify_text(rules, c->text, strlen(c->text), &ev);
		} else {
			log_event(&ev, x->type, x->status, c->text, x->stage,
				  x->host);
			classify_event_with(rules, &ev);
		}
		out[i].c = ev.classification;
		out[i].cause_at = ev.classification.cause.ptr != NULL
					  ? ev.classification.cause.ptr - c->text
					  : -1;
	}
}

/* test_cache_same_result - a cached classification equals one made by
 * a rule set that has not seen the text before */
static void
test_cache_same_result(void **state)
{
	struct classify_rules *warm = *state;
	struct classify_rules *fresh;
	size_t n = ARRAY_LEN(text_cases) * ARRAY_LEN(cache_contexts);
	struct cache_result *first = calloc(n, sizeof *first);
	struct cache_result *again = calloc(n, sizeof *again);
	struct cache_result *other = calloc(n, sizeof *other);

	assert_non_null(first);
	assert_non_null(again);
	assert_non_null(other);

	/* The warm set sees each text a second time; a fresh set sees them
	 * in the other order, so its cache holds other entries. */
	classify_all(warm, false, first);
	classify_all(warm, true, again);
	fresh = classify_rules_load(NULL, NULL);
	assert_non_null(fresh);
	classify_all(fresh, true, other);
	assert_true(memo_hits(warm->decisions) > 0);

	for (size_t i = 0; i < n; i++) {
		const char *name = text_cases[i / ARRAY_LEN(cache_contexts)].name;
		const struct classification *want = &first[i].c;
		const struct classification *got[] = {&again[i].c,
						      &other[i].c};
		const long long got_at[] = {again[i].cause_at,
					    other[i].cause_at};

		for (size_t g = 0; g < 2; g++) {
			check_int(name, "reason", got[g]->reason, want->reason);
			check_int(name, "kind", got[g]->kind, want->kind);
			check_int(name, "class", got[g]->cls, want->cls);
			check_int(name, "mismatch", got[g]->class_mismatch,
				  want->class_mismatch);
			check_int(name, "expired", got[g]->expired,
				  want->expired);
			check_int(name, "stage", got[g]->stage, want->stage);
			check_str(name, "evidence", got[g]->evidence,
				  want->evidence);
			check_str(name, "provider", got[g]->provider,
				  want->provider);
			check_int(name, "cause at", got_at[g],
				  first[i].cause_at);
			check_int(name, "cause length",
				  (long long)got[g]->cause.len,
				  (long long)want->cause.len);
		}
	}
	classify_rules_free(fresh);
	free(first);
	free(again);
	free(other);
	finish_cases();
}

/* tally_event - a Postfix delivery event for queue id qid */
static void
tally_event(struct tally *t, struct classify_rules *rules, enum event_type type,
	    enum delivery_status status, const char *qid, const char *rcpt,
	    const char *text)
{
	struct event ev;

	log_event(&ev, type, status, text, NULL, NULL);
	ev.queue_id = span_make(qid, strlen(qid));
	if (rcpt != NULL)
		ev.recipient = span_make(rcpt, strlen(rcpt));
	ev.has_time = true;
	classify_event_with(rules, &ev);
	tally_add(t, &ev, span_make(text, strlen(text)));
}

/* test_expiry_inherits - a Postfix expiry takes the last deferral's
 * reason per recipient; without one it is "expired" */
static void
test_expiry_inherits(void **state)
{
	struct classify_rules *rules = *state;
	struct tally *t = tally_new();

	tally_event(t, rules, EVENT_DELIVERY, STATUS_DEFERRED, "AAAAA1",
		    "a@full.example",
		    "connect to mx.full.example[192.0.2.1]:25: Connection "
		    "timed out");
	tally_event(t, rules, EVENT_DELIVERY, STATUS_DEFERRED, "AAAAA1",
		    "a@full.example",
		    "host mx.full.example[192.0.2.1] said: 452 4.2.2 Mailbox "
		    "full");
	tally_event(t, rules, EVENT_DELIVERY, STATUS_DEFERRED, "AAAAA1",
		    "b@slow.example",
		    "connect to mx.slow.example[192.0.2.2]:25: Connection "
		    "refused");
	tally_event(t, rules, EVENT_EXPIRED, STATUS_SENT, "AAAAA1", NULL,
		    "AAAAA1: from=<s@example.com>, status=expired, returned to "
		    "sender");
	tally_event(t, rules, EVENT_EXPIRED, STATUS_SENT, "BBBBB2", NULL,
		    "BBBBB2: from=<s@example.com>, status=expired, returned to "
		    "sender");

	check_int("full", "expired",
		  (long long)t->reasons[REASON_MAILBOXFULL].expired, 1);
	check_int("full", "deferred",
		  (long long)t->reasons[REASON_MAILBOXFULL].deferred, 1);
	check_int("connection", "expired",
		  (long long)t->reasons[REASON_CONNECTIONERROR].expired, 1);
	check_int("unknown", "expired",
		  (long long)t->reasons[REASON_EXPIRED].expired, 1);
	check_int("all", "failures", (long long)t->failures, 6);
	check_int("full", "domain",
		  t->reasons[REASON_MAILBOXFULL].domains != NULL, 1);
	tally_free(t);
	finish_cases();
}

/* test_reason_table - the built-in table lists every reason in order
 * with texts in both languages */
static void
test_reason_table(void **state)
{
	(void)state;
	for (int r = REASON_NONE + 1; r < REASON_COUNT; r++) {
		const char *name = reason_name((enum reason)r);
		enum reason back;

		check_int(name, "lookup",
			  reason_lookup(name, strlen(name), &back), 1);
		check_int(name, "round trip", back, r);
		for (int lang = 0; lang < LANG_COUNT; lang++) {
			check_int(name, "label",
				  reason_label((enum reason)r,
					       (enum lang)lang)[0] != '\0',
				  1);
			check_int(name, "advice",
				  reason_advice((enum reason)r,
						(enum lang)lang)[0] != '\0',
				  1);
		}
	}
	check_str("userunknown", "kind",
		  bounce_kind_name(reason_kind(REASON_USERUNKNOWN)), "hard");
	check_str("mailboxfull", "kind",
		  bounce_kind_name(reason_kind(REASON_MAILBOXFULL)), "soft");
	check_str("delivered", "kind",
		  bounce_kind_name(reason_kind(REASON_DELIVERED)), "none");
	finish_cases();
}

/* Diagnostics captured since the last capture_reset(). */
#define CAPTURE_MAX 8

static struct {
	char lines[CAPTURE_MAX][DIAG_LINE_MAX];
	size_t count;
} captured;

static void
capture_sink(enum diag_level level, const char *line, void *arg)
{
	(void)level;
	(void)arg;
	if (captured.count < CAPTURE_MAX)
		snprintf(captured.lines[captured.count], DIAG_LINE_MAX, "%s",
			 line);
	captured.count++;
}

struct table_case {
	const char *name;
	const char *tsv;
	const char *want; /* the one diagnostic expected */
};

/* test_reason_table_errors - invalid tables are rejected with a message
 * and leave the table in use unchanged */
static void
test_reason_table_errors(void **state)
{
	static const struct table_case cases[] = {
	    {"no header", "greylisted\tsoft\ta\tb\tc\td\n",
	     "bouncelog: t.tsv:1: missing header line \"id, kind, "
	     "label_en, label_tr, advice_en, advice_tr\""},
	    {"wrong order",
	     "id\tkind\tlabel_en\tlabel_tr\tadvice_en\tadvice_tr\n"
	     "mailboxfull\tsoft\ta\tb\tc\td\n",
	     "bouncelog: t.tsv:2:1: reason \"mailboxfull\" is not the next "
	     "in the fixed order; expected \"greylisted\""},
	    {"bad kind",
	     "id\tkind\tlabel_en\tlabel_tr\tadvice_en\tadvice_tr\n"
	     "greylisted\tfirm\ta\tb\tc\td\n",
	     "bouncelog: t.tsv:2: invalid kind \"firm\"; use hard, soft or "
	     "none"},
	    {"empty text",
	     "id\tkind\tlabel_en\tlabel_tr\tadvice_en\tadvice_tr\n"
	     "greylisted\tsoft\ta\t\tc\td\n",
	     "bouncelog: t.tsv:2: empty column 4 for reason \"greylisted\""},
	    {"missing rows",
	     "id\tkind\tlabel_en\tlabel_tr\tadvice_en\tadvice_tr\n"
	     "greylisted\tsoft\ta\tb\tc\td\n",
	     "bouncelog: t.tsv: reason \"suppressed\" is missing from the "
	     "table"},
	};

	(void)state;
	diag_set_sink(capture_sink, NULL);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		memset(&captured, 0, sizeof captured);
		check_int(
		    cases[i].name, "result",
		    reasons_load(cases[i].tsv, strlen(cases[i].tsv), "t.tsv"),
		    -1);
		check_int(cases[i].name, "diagnostics",
			  (long long)captured.count, 1);
		check_str(cases[i].name, "message", captured.lines[0],
			  cases[i].want);
	}
	diag_set_sink(NULL, NULL);
	diag_reset_counts();
	check_str("table kept", "label",
		  reason_label(REASON_GREYLISTED, LANG_EN),
		  "Greylisted: temporarily deferred on first contact");
	finish_cases();
}

struct rule_case {
	const char *name;
	const char *file; /* its name, which sets the format */
	const char *text;
	const char *want; /* the one diagnostic expected */
};

static const struct rule_case rule_cases[] = {
    {"bad regex", "reasons.pat",
     "format reasons\nphrase userunknown strong en (unclosed\n",
     "bouncelog: reasons.pat:2:39: missing closing parenthesis"},
    {"unknown reason", "reasons.pat",
     "format reasons\nphrase nosuch strong en x\n",
     "bouncelog: reasons.pat:2:8: unknown reason \"nosuch\""},
    {"bad level", "reasons.pat",
     "format reasons\nphrase userunknown firm en x\n",
     "bouncelog: reasons.pat:2:20: invalid level \"firm\"; use strong or "
     "weak"},
    {"bad language", "reasons.pat",
     "format reasons\nphrase userunknown weak EN x\n",
     "bouncelog: reasons.pat:2:25: invalid language \"EN\"; use a "
     "lower-case ISO 639 code such as en or tr"},
    {"missing regex", "reasons.pat",
     "format reasons\nphrase userunknown weak en\n",
     "bouncelog: reasons.pat:2:27: missing regular expression"},
    {"bad code", "reasons.pat", "format reasons\ncode 5.1 userunknown strong\n",
     "bouncelog: reasons.pat:2:6: invalid code \"5.1\"; use *, a reply "
     "code such as 550 or 5xx, or an enhanced code such as 5.1.1, X.7.* "
     "or 5.7.606-649"},
    {"bad condition", "reasons.pat",
     "format reasons\ncode X.1.1 userunknown strong when=RCPT\n",
     "bouncelog: reasons.pat:2:31: invalid condition \"when=RCPT\"; "
     "expected reply=CODES or stage=STAGES"},
    {"bad stage", "reasons.pat", "format reasons\nstage QUIT blocked weak\n",
     "bouncelog: reasons.pat:2:7: unknown stage \"QUIT\"; use CONN, "
     "HELO, STARTTLS, AUTH, MAIL, RCPT or DATA"},
    {"bad reply", "reasons.pat", "format reasons\nreply 650 onhold\n",
     "bouncelog: reasons.pat:2:7: invalid reply code \"650\"; use 550, "
     "55x or 5xx"},
    {"unknown directive", "reasons.pat", "format reasons\nrule x y z\n",
     "bouncelog: reasons.pat:2:1: unknown directive \"rule\""},
    {"wrong file", "reasons.pat", "format reasons\nprovider x host y\n",
     "bouncelog: reasons.pat:2:1: \"provider\" belongs in providers.pat"},
    {"format mismatch", "providers.pat", "format reasons\n",
     "bouncelog: providers.pat:1:8: format \"reasons\" does not match "
     "the file name; expected \"providers\""},
    {"no format", "reasons.pat", "# nothing\n",
     "bouncelog: reasons.pat: missing \"format reasons\" line"},
    {"rule before format", "reasons.pat", "reply 550 onhold\nformat reasons\n",
     "bouncelog: reasons.pat:1:1: \"reply\" before the format line"},
    {"unknown provider", "providers.pat",
     "format providers\non nosuch * blocked x y\n",
     "bouncelog: providers.pat:2:4: unknown provider \"nosuch\"; declare "
     "it with a provider line first"},
    {"tag without code", "providers.pat",
     "format providers\nprovider p text p\non p * blocked - x\n",
     "bouncelog: providers.pat:3:16: invalid tag; use \"-\" (the code, "
     "when CODES is not *), \"*\" (the match of REGEX) or a label of up "
     "to 23 letters, digits and \"-._#\""},
    {"any code without regex", "providers.pat",
     "format providers\nprovider p text p\non p * blocked label\n",
     "bouncelog: providers.pat:3:6: a rule for any code needs a regular "
     "expression"},
    {"bad utf-8 regex", "reasons.pat",
     "format reasons\nphrase userunknown weak tr al\xc4\n",
     "bouncelog: reasons.pat:2:30: UTF-8 error: 1 byte missing at end"},
};

/* test_rule_file_errors - each bad line is named by file:line:col and
 * skipped, while the other lines still load */
static void
test_rule_file_errors(void **state)
{
	(void)state;
	diag_set_sink(capture_sink, NULL);
	for (size_t i = 0; i < ARRAY_LEN(rule_cases); i++) {
		const struct rule_case *c = &rule_cases[i];
		struct classify_rules *rules = classify_rules_new();
		char *text = copy_exact(c->text, strlen(c->text));

		memset(&captured, 0, sizeof captured);
		check_int(
		    c->name, "result",
		    classify_rules_add(rules, text, strlen(c->text), c->file),
		    -1);
		check_int(c->name, "diagnostics", (long long)captured.count, 1);
		check_str(c->name, "message", captured.lines[0], c->want);
		classify_rules_free(rules);
		free(text);
	}
	diag_set_sink(NULL, NULL);
	diag_reset_counts();
	finish_cases();
}

/* test_rule_file_valid - a small rule set of every directive works */
static void
test_rule_file_valid(void **state)
{
	static const char providers[] =
	    "format providers\r\n"
	    "# comment\n"
	    "provider acme host \\.acme\\.example$\n"
	    "provider acme text \\bACME-\\d+\\b\n"
	    "on acme 5.7.606-649 blocked -\n"
	    "on acme * ratelimited * \\b(ACME-\\d+)\\b\n";
	static const char reasons[] =
	    "format reasons\n"
	    "content spamdetected\n"
	    "phrase userunknown strong en \\bnobody here\\b\n"
	    "phrase spamdetected weak en \\bjunk\\b\n"
	    "code X.1.1 userunknown strong\n"
	    "code X.7.1 policyviolation weak\n"
	    "stage RCPT userunknown weak reply=550\n"
	    "reply 550 onhold\n";
	static const struct {
		const char *text;
		const char *reason;
		const char *evidence;
	} cases[] = {
	    {"550 5.7.620 banned ACME-1", "blocked", "provider:acme:5.7.620"},
	    {"421 slow down ACME-77", "ratelimited", "provider:acme:ACME-77"},
	    {"550 nobody here", "userunknown", "phrase:userunknown:en"},
	    {"550 5.1.1 x", "userunknown", "code:5.1.1"},
	    {"550 junk", "spamdetected", "phrase:spamdetected:en"},
	    {"550 junk (in reply to RCPT TO command)", "userunknown",
	     "stage:RCPT"},
	    {"550 5.7.1 x", "policyviolation", "code:5.7.1"},
	    {"550 x", "onhold", "reply:550"},
	};
	struct classify_rules *rules = classify_rules_new();

	(void)state;
	check_int("providers", "result",
		  classify_rules_add(rules, providers, strlen(providers),
				     "dir/providers.pat"),
		  0);
	check_int("reasons", "result",
		  classify_rules_add(rules, reasons, strlen(reasons),
				     "dir/reasons.pat"),
		  0);
	check_int("rules", "count", (long long)classify_rules_count(rules), 10);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct event ev;

		classify_text(rules, cases[i].text, strlen(cases[i].text), &ev);
		check_str(cases[i].text, "reason",
			  reason_name(ev.classification.reason),
			  cases[i].reason);
		check_str(cases[i].text, "evidence", ev.classification.evidence,
			  cases[i].evidence);
	}
	classify_rules_free(rules);
	finish_cases();
}

/* test_builtin_rules_clean - the built-in files load without a message */
static void
test_builtin_rules_clean(void **state)
{
	int errors = -1;
	struct classify_rules *rules;

	(void)state;
	diag_set_sink(capture_sink, NULL);
	memset(&captured, 0, sizeof captured);
	rules = classify_rules_load(NULL, &errors);
	diag_set_sink(NULL, NULL);
	check_int("built-in", "loaded", rules != NULL, 1);
	check_int("built-in", "files with errors", errors, 0);
	check_int("built-in", "diagnostics", (long long)captured.count, 0);
	if (captured.count > 0)
		check_str("built-in", "first diagnostic", captured.lines[0],
			  "");
	classify_rules_free(rules);
	finish_cases();
}

static int
setup_rules(void **state)
{
	if (reasons_init() != 0)
		return -1;
	*state = classify_rules_load(NULL, NULL);
	return *state == NULL ? -1 : 0;
}

static int
teardown_rules(void **state)
{
	classify_rules_free(*state);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text_cases, setup_rules,
					    teardown_rules),
	    cmocka_unit_test(test_every_reason_covered),
	    cmocka_unit_test_setup_teardown(test_class_and_kind, setup_rules,
					    teardown_rules),
	    cmocka_unit_test_setup_teardown(test_cause, setup_rules,
					    teardown_rules),
	    cmocka_unit_test_setup_teardown(test_failure_never_delivered,
					    setup_rules, teardown_rules),
	    cmocka_unit_test_setup_teardown(test_event_context, setup_rules,
					    teardown_rules),
	    cmocka_unit_test_setup_teardown(test_cache_same_result,
					    setup_rules, teardown_rules),
	    cmocka_unit_test_setup_teardown(test_expiry_inherits, setup_rules,
					    teardown_rules),
	    cmocka_unit_test_setup_teardown(test_reason_table, setup_rules,
					    teardown_rules),
	    cmocka_unit_test_setup_teardown(test_reason_table_errors,
					    setup_rules, teardown_rules),
	    cmocka_unit_test(test_rule_file_errors),
	    cmocka_unit_test(test_rule_file_valid),
	    cmocka_unit_test(test_builtin_rules_clean),
	    cmocka_unit_test(test_locale_applied), /* keep last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return run_locale_tests("classify", tests, ARRAY_LEN(tests));
}
