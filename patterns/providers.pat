# Mail providers for the bouncelog classifier.
#
# Large providers give some enhanced codes a meaning of their own, or put
# the cause in a tag of their own.  A provider is recognised by the remote
# host's name or by a tag in the reply; the first provider line that fits
# wins.  Its "on" rules are then tried before any other evidence, in file
# order, and the first that matches decides.
#
#   provider NAME host REGEX   matched on the remote host name
#   provider NAME text REGEX   matched on the reply text
#   on PROVIDER CODES REASON TAG [REGEX]
#       CODES: "*", a reply code (550, 5xx) or an enhanced code (5.7.1,
#       X.7.23, 5.7.606-649, X.6.*).  TAG names the evidence
#       "provider:NAME:TAG": "-" is the code that matched, "*" is the
#       text REGEX matched (its first group when it has one).
# Regular expressions are PCRE2, caseless, matched on the reply text with
# addresses and "host[address]" tokens masked (see doc/reasons.md).

format providers

# --- Google (Gmail and Workspace): replies end in "- gsmtp"; admin rules
# add "- gcdp"; help links carry a topic in "?p=".
provider gmail host (?:^|\.)(?:google|googlemail|gmail)\.com\.?$
provider gmail text \s-\s(?:gsmtp|gcdp)\b|support\.google\.com/(?:mail|a)/|google\.com/mail/\?p=

on gmail * userunknown * \?p=(NoSuchUser)\b
on gmail * suspend * \?p=(DisabledUser)\b
on gmail * mailboxfull * \?p=(OverQuota(?:Temp|Perm))\b
on gmail * hostunknown * \?p=(BadRcptDomain)\b
on gmail * emailtoolarge * \?p=(MaxSizeError)\b
on gmail * ratelimited * \?p=(UnsolicitedRateLimitError|ReceivingRate(?:Perm)?)\b
on gmail * spamdetected * \?p=(UnsolicitedMessageError)\b
on gmail * notcompliantrfc * \?p=(RfcMessageNonCompliant)\b
on gmail * policyviolation * \?p=(BlockedMessage)\b
on gmail * authfailure * \?p=(DmarcRejection)\b
on gmail * mailloop * \?p=(MailLoop)\b
on gmail * toomanyrecipients * \?p=(TooManyRecipientsError)\b
on gmail * securityerror * \?p=(BadCredentials|InvalidSecondFactor|WantAuthError)\b
on gmail * policyviolation gcdp \s-\sgcdp\b
# Gmail's numbers that mean something else in the IANA registry.
on gmail X.7.23 requireptr -
on gmail X.7.24 authfailure -
on gmail X.7.26 authfailure -
on gmail X.7.27 authfailure -
on gmail 4.7.28 policyviolation same-message-id same message-id
on gmail 4.7.28 ratelimited -
on gmail 5.7.28 blocked -
on gmail X.7.29 failedstarttls -
on gmail X.7.30 authfailure -
on gmail X.7.31-32 authfailure -
on gmail X.7.40 authfailure -
on gmail X.2.1 ratelimited - \b(?:rate|too (?:quickly|fast))\b
on gmail X.2.1 suspend -
on gmail 5.4.5 ratelimited -
on gmail 5.6.0 notcompliantrfc -
on gmail 4.7.0 ratelimited - try again later[,;]? closing (?:the )?connection
# Gmail uses 5.7.10 and 5.7.11 for STARTTLS command errors, not for TLS itself.
on gmail X.7.10-11 syntaxerror -

# --- Microsoft: Exchange Online, Microsoft 365 and Outlook.com.
provider microsoft host (?:^|\.)(?:outlook\.com|hotmail\.com|live\.com|msn\.com|office365\.com|microsoft\.com)\.?$
# Enhanced codes with a three-digit detail (5.7.508, 4.7.500) are
# Microsoft's own; the IANA registry has none.
provider microsoft text (?:protection\.)?outlook\.com\b|\b(?:RESOLVER|STOREDRV|SMTPSEND|QUEUE)\.[A-Za-z]|\bAS\(\d{3,9}\)|\(S\d{3,5}\)|(?:^|\s)[45]\.\d{1,3}\.\d{3}(?![\d.])|\b(?:RP|SC|DY|OU)-00\d\b|office365\.com|aka\.ms/
# Outlook.com consumer tags, sent without an enhanced code.
on microsoft * ratelimited * \b(RP-00[1-3])\b
on microsoft * blocked * \b(SC-00[1-4]|DY-00[12]|OU-001)\b
on microsoft * spamdetected * \b(OU-002)\b
on microsoft * blocked * \((S3150|S3140)\)
on microsoft * badreputation * \((S775)\)
on microsoft * ratelimited * \((S3115)\)
on microsoft * userunknown * \bRESOLVER\.ADR\.(\w*NotFound)\b
on microsoft * emailtoolarge * \bRESOLVER\.RST\.(\w*SizeLimit)\b
on microsoft * filtered * \bRESOLVER\.RST\.(\w+)
on microsoft * expired * \b(QUEUE\.Expired)\b
on microsoft * ratelimited * \b(STOREDRV\.[A-Za-z.]+); recipient thread limit
# Microsoft's own enhanced codes, most with three-digit details.
on microsoft 5.4.1 norelaying - relay
on microsoft 5.4.1 userunknown - access denied
on microsoft X.1.10 userunknown -
on microsoft 5.1.0 rejected - sender
on microsoft 5.1.8 rejected -
on microsoft 5.1.90 ratelimited -
on microsoft 5.2.2 ratelimited - submission quota
on microsoft X.2.121-122 ratelimited -
on microsoft 4.3.2 ratelimited - STOREDRV
on microsoft 5.3.190 systemerror -
on microsoft 5.4.4 hostunknown -
on microsoft X.4.310 hostunknown -
on microsoft X.4.312 dnserror -
on microsoft 4.4.316 connectionerror -
on microsoft 5.4.316 expired -
on microsoft X.4.318 connectionerror -
on microsoft X.4.8 failedstarttls -
on microsoft X.4.14 mailloop -
on microsoft 5.4.300 expired -
on microsoft 5.5.0 userunknown - mailbox unavailable
on microsoft 5.6.11 contenterror -
on microsoft 5.7.1 norelaying - unable to relay
on microsoft 5.7.1 securityerror - client (?:was )?not authenticated
on microsoft X.7.12-13 filtered -
on microsoft X.7.124 filtered -
on microsoft X.7.133-136 filtered -
on microsoft 4.7.26 authfailure -
on microsoft 5.7.23 authfailure -
on microsoft 5.7.25 requireptr -
on microsoft 5.7.57 securityerror -
on microsoft 5.7.64 norelaying -
on microsoft 5.7.501-503 rejected -
on microsoft 5.7.504 userunknown -
on microsoft 5.7.505 suspend -
on microsoft 5.7.506-507 blocked -
on microsoft 5.7.508 ratelimited -
on microsoft 5.7.509 authfailure -
on microsoft 5.7.510 networkerror -
on microsoft 5.7.511 blocked -
on microsoft 5.7.512 notcompliantrfc -
on microsoft 5.7.513 blocked -
on microsoft 5.7.515 authfailure -
on microsoft 5.7.606-649 blocked -
on microsoft 5.7.700-749 blocked -
on microsoft 5.7.750 rejected -
on microsoft 5.7.900-999 policyviolation -
on microsoft 4.7.650 badreputation -
on microsoft 4.7.652 ratelimited -
on microsoft 4.7.500-699 blocked -
on microsoft X.7.321-325 failedstarttls -
on microsoft 5.0.350 policyviolation -

# --- Yahoo and AOL (also AT&T domains they host).
provider yahoo host (?:^|\.)(?:yahoodns\.net|yahoo\.com|aol\.com)\.?$
provider yahoo text \[(?:TSS?\d\d|BL\d\d|PH\d\d)\]|\byahoo(?:inc)?\.com\b|\baol\.com\b|\(554\.30\)
on yahoo * badreputation * \[(TSS04)\]
on yahoo * blocked * \[(TSS09|TSS11|BL2[13])\]
on yahoo * policyviolation * \[(PH\d\d)\]
on yahoo * userunknown dd \bdd\b.{0,40}doesn't have an? \S+ account
on yahoo * suspend 554.30 \(554\.30\)|mailbox is disabled
on yahoo * rejected unresolvable-from unresolvable rfc\.?532[12] from domain
on yahoo * notcompliantrfc headers-not-rfc headers? (?:are|is) not rfc compliant
on yahoo * ratelimited max-per-connection max message per connection reached
on yahoo * ratelimited receiving-too-quickly receiving mail too quickly
on yahoo 5.7.9 authfailure - unauthenticated
on yahoo 5.7.9 policyviolation - policy reasons

# --- Apple iCloud (icloud.com, me.com, mac.com).
provider apple host (?:^|\.)(?:icloud\.com|me\.com|mac\.com|apple\.com)\.?$
provider apple text \[(?:HME1|CS01)\]|support\.apple\.com|\bicloud\.com\b
on apple * authfailure * \[(HME1)\]
on apple * policyviolation * \[(CS01)\]
on apple 5.1.1 suspend inactive inactive (?:e-?mail )?address
on apple X.1.6 hasmoved -
on apple * ratelimited excessive-volume deferred due to excessive volume

# --- Yandex.
provider yandex host (?:^|\.)yandex\.(?:net|ru|com|com\.tr|ua|by|kz)\.?$
provider yandex text \byandex\b
on yandex * suspend policy-rejection policy rejection on the target address
on yandex * spamdetected spam-statistics blocked by spam statistics

# --- Mail.ru.
provider mailru host (?:^|\.)mail\.ru\.?$
provider mailru text \bmail\.ru\b
on mailru * rejected sending-disabled message sending for this account is disabled
on mailru * suspend account-disabled account is disabled
on mailru * ratelimited * \b(ratelimit exceeded)\b

# --- Orange, Wanadoo and La Poste: "OFRnnn_nnn [nnn]" and "LPNnnn_nnn".
provider orange host (?:^|\.)(?:orange\.fr|wanadoo\.fr|laposte\.net)\.?$
provider orange text \b(?:OFR|LPN)\d{3}_\d{3}\b
on orange * blocked * \b((?:OFR|LPN)\d{3}_10[1-3])\b
on orange * ratelimited * \b((?:OFR|LPN)\d{3}_10[49])\b
on orange * requireptr * \b((?:OFR|LPN)\d{3}_107)\b
on orange * securityerror * \b((?:OFR|LPN)\d{3}_(?:305|402))\b
on orange * authfailure * \b((?:OFR|LPN)\d{3}_401)\b
on orange * rejected * \b((?:OFR|LPN)\d{3}_(?:403|405|415|421))\b
on orange * userunknown * \b((?:OFR|LPN)\d{3}_416)\b
on orange * mailboxfull * \b((?:OFR|LPN)\d{3}_417)\b
on orange * suspend * \b((?:OFR|LPN)\d{3}_42[06])\b
on orange * systemerror * \b((?:OFR|LPN)\d{3}_505)\b
on orange * spamdetected * \b((?:OFR|LPN)\d{3}_506)\b|\[(506)\]
on orange * blocked * \b((?:OFR|LPN)\d{3}_510)\b

# --- GMX and web.de (United Internet): "senderguidelines?c=XX".
provider gmx host (?:^|\.)(?:gmx\.(?:net|de|com|at|ch)|web\.de|kundenserver\.de)\.?$
provider gmx text \bgmx\.(?:net|de|com)\b|\bweb\.de\b|senderguidelines
on gmx * blocked * [?&]c=(bl)\b
on gmx * requireptr * [?&]c=(pr)\b

# --- Deutsche Telekom (t-online.de).
provider tonline host (?:^|\.)t-online\.de\.?$
provider tonline text \bt-online\.de\b|^\d{3} IP=[0-9a-f.:]+ - 
on tonline * blocked * \((BL)\)

# --- Comcast.
provider comcast host (?:^|\.)comcast\.net\.?$
provider comcast text \bcomcast\b
on comcast * blocked * #(BL\d{6})\b

# --- Spectrum and Charter: "AUP#In-NNNN" and "AUP#O-NNNN"; the number
# decides, the text is often only "sender rejected".
provider spectrum host (?:^|\.)(?:charter\.net|rr\.com|spectrum\.net)\.?$
provider spectrum text \bAUP#(?:In|O)-\d{4}\b
on spectrum * blocked * \b(AUP#(?:In|O)-1000)\b
on spectrum * rejected * \b(AUP#(?:In|O)-10[1-8]0)\b
on spectrum * systemerror * \b(AUP#(?:In|O)-1090)\b
on spectrum * requireptr * \b(AUP#(?:In|O)-11[0-5]0)\b
on spectrum * policyviolation * \b(AUP#(?:In|O)-1(?:1[6-9]0))\b
on spectrum * blocked * \b(AUP#(?:In|O)-12[0-5]0)\b
on spectrum * networkerror * \b(AUP#(?:In|O)-1260)\b
on spectrum * ratelimited * \b(AUP#(?:In|O)-1(?:3[0-9]|4[0-9])0)\b
on spectrum * rejected * \b(AUP#(?:In|O)-15[02]0)\b
on spectrum * emailtoolarge * \b(AUP#(?:In|O)-1530)\b
on spectrum * ratelimited * \b(AUP#(?:In|O)-15[45]0)\b

# --- GoDaddy (secureserver.net): "IBnnn".
provider godaddy host (?:^|\.)secureserver\.net\.?$
provider godaddy text \bsecureserver\.net\b|\bIB(?:108|212|401|50[1268]|607|705)\b
on godaddy * requireptr * \b(IB108)\b
on godaddy * spamdetected * \b(IB212)\b
on godaddy * securityerror * \b(IB401)\b
on godaddy * notcompliantrfc * \b(IB50[12])\b
on godaddy * rejected * \b(IB506)\b
on godaddy * authfailure * \b(IB508)\b
on godaddy * ratelimited * \b(IB607)\b
on godaddy * virusdetected * \b(IB705)\b

# --- Cox: "CX..." tags.
provider cox host (?:^|\.)cox\.net\.?$
provider cox text \bcox\.net\b|\b(?:CXSMTP|CXCNCT|CXMXRT|CDRBL|CXDNS|CXSNDR)\b
on cox * rejected * \b(CXSMTP)\b
on cox * ratelimited * \b(CXCNCT|CXMXRT)\b
on cox * blocked * \b(CDRBL)\b
on cox * requireptr * \b(CXDNS)\b
on cox * authfailure * \b(CXSNDR)\b
on cox * blocked too-many-invalid too many invalid recipients

# --- Tencent QQ Mail.
provider qq host (?:^|\.)qq\.com\.?$
provider qq text service\.mail\.qq\.com|\bqq\.com\b|/detail/122/\d+
on qq * ratelimited * \b(frequency limited)\b
on qq * blocked * \b(connection denied|suspected spam ip|suspected bounce attacks?)\b
on qq * spamdetected * \b(mail content denied|suspected spam|spam embedded)\b
on qq * suspend deactivated is a deactivated mailbox
