# Reason rules for the bouncelog classifier.
#
# Evidence is weighed in a fixed order (doc/reasons.md): provider rules
# (providers.pat), strong phrases, strong enhanced codes, strong stage
# defaults, weak phrases, weak enhanced codes, weak stage defaults, reply
# codes, then onhold or undefined.  Among phrases of one level the reason
# that comes first in data/reasons.tsv wins, whatever the order here;
# code, stage and reply rules are tried in file order, so put specific
# ones first.
#
#   content REASON...                weak evidence gives these only at DATA
#   phrase REASON strong|weak LANG REGEX
#   code CODES REASON strong|weak [reply=LIST] [stage=LIST]
#   stage STAGE REASON strong|weak [reply=LIST]
#   reply CODES REASON
#
# Regular expressions are PCRE2 and caseless.  They see the reply with
# addresses masked ("<@>"), "host[address]" tokens, bare host names,
# IPv4 addresses and URLs masked ("[]"), the code prefixes of
# continuation lines removed and blank runs as one space.  A pattern with non-ASCII characters runs in UTF mode, where
# caseless matching follows Unicode; Turkish dotless and dotted i are
# still different letters there, so write them as [ıI] and [iİ].

format reasons

# Spam, malware and message-format verdicts need the message: before DATA
# only a strong phrase or code may give them.
content spamdetected virusdetected contenterror notcompliantrfc

# --- greylisted
phrase greylisted strong en \bgr[ae]y[- ]?list(?:ed|ing)?\b|\bpostgrey\b|\bsqlgrey\b|\bgreylisting in (?:action|effect)\b
phrase greylisted strong de \bgraue?n? ?liste\b
phrase greylisted strong fr \bliste grise\b
phrase greylisted strong tr \bgr[iİ] ?l[iİ]ste
# A first-contact deferral that names a waiting time in seconds or minutes.
phrase greylisted weak en \b(?:try|retry|come back)(?: again)?(?: later)?,? in \d+ (?:seconds?|minutes?|secs?|mins?)\b

# --- suppressed
phrase suppressed strong en \bsuppression list\b|\bsuppressed (?:address|recipient|sending)|\bhas suppressed sending\b|\bOnAccountSuppressionList\b|\bpreviously (?:hard )?bounced\b.{0,40}\bnot (?:sent|attempted)\b|\b(?:recipient|address|e-?mail address) (?:is |was |has been )?suppressed\b|\bbounced before\b.{0,40}\bnot (?:sent|tried|attempted)\b|\bdo[- ]not[- ]send list\b|\bpreviously (?:hard[- ])?bounced\b|\bdeactivated (?:after|because of|due to) (?:repeated |earlier |previous )?(?:hard )?bounces\b|\b(?:skipped|not attempted|not sent) because (?:it|the address|the recipient) (?:has )?previously bounced\b

# --- mailboxfull
phrase mailboxfull strong en \b(?:mail ?box|inbox|mail ?folder|maildir|account|user|recipient)(?:'s)?(?: mailbox)? (?:is |was )?(?:full|over ?quota|out of (?:storage|space))\b
phrase mailboxfull strong en (?<!sending )(?<!submission )(?<!message )(?<!rate )(?<!recipient )\bquota\b(?: usage| limit)? (?:exceeded|exceeds|full|reached)\b|\bover (?:the )?(?:disk |storage |mailbox )?quota\b|\bexceeded (?:the |his |her |their )?(?:disk |storage |mailbox )quota\b
phrase mailboxfull strong en \bmailbox (?:size )?limit (?:exceeded|reached)\b|\binsufficient (?:disk )?(?:space|storage) (?:for|in) (?:the )?(?:user|mailbox|recipient)\b|\bnot enough (?:storage|disk) space in (?:the )?mailbox\b|\bdisk quota\b|\bmailbox (?:is )?(?:full|too full)\b|\bhas exhausted (?:the )?allowed storage\b
phrase mailboxfull strong fr \bbo[iî]te (?:aux lettres |mail |de r[ée]ception )?(?:du destinataire )?(?:est )?pleine\b|\bquota\b[^.;]{0,40}?\b(?:d[ée]pass[ée]|atteint)\b|\bespace (?:de stockage )?insuffisant\b
phrase mailboxfull strong de \b(?:postfach|mailbox|speicherplatz)(?: des empfängers)? (?:ist )?(?:voll|überfüllt|erschöpft)\b|\b(?:speicher)?(?:quota|kontingent)\b[^.;]{0,20}?\b(?:überschritten|ueberschritten|erschöpft)\b|\bspeicherplatz (?:ist )?(?:überschritten|ueberschritten|erschöpft)\b
phrase mailboxfull strong tr \bposta kutusu(?:nun)? (?:dolu|kotas[ıI](?:n[ıI])? a[şs][ıI]ld[ıI]|kotas[ıI] doldu)\b|\bkota(?:s[ıI])? (?:a[şs][ıI]ld[ıI]|doldu)\b|\bkutusu dolu\b
phrase mailboxfull strong es \bbuz[oó]n (?:est[aá] )?lleno\b
phrase mailboxfull strong it \bcasella (?:di posta )?piena\b
# RFC 5321's text for 552.
phrase mailboxfull weak en \bexceeded storage allocation\b

# --- emailtoolarge
phrase emailtoolarge strong en \b(?:message|mail|e-?mail|attachment|data)s? (?:is |was )?too (?:large|big|long)\b|\b(?:message|mail|e-?mail) (?:size|length) (?:exceeds|exceeded|limit)|\bexceeds? (?:the |our )?(?:fixed |allowed |administrative )?(?:maximum|max\.?) (?:allowed )?(?:message |mail )?size\b|\bsize limits?\b|\bmessage size \d+ exceeds\b|\btoo much (?:mail )?data\b|\bmessage file too big\b|\bRecipSizeLimit\b|\bmaximum (?:message )?size (?:exceeded|reached)\b
phrase emailtoolarge strong fr \bmessage trop (?:gros|volumineux|grand)\b|\btaille (?:maximale |limite )?(?:du message )?(?:d[ée]pass[ée]e|atteinte)\b|\bd[ée]passe (?:la )?taille (?:maximale|limite|autoris[ée]e)\b
phrase emailtoolarge strong de \b(?:nachricht|e-?mail) (?:ist )?zu gro(?:ß|ss)\b|\b(?:maximale )?(?:nachrichten)?gr(?:ö|oe)(?:ß|ss)e (?:überschritten|ueberschritten)\b|\bgr(?:ö|oe)(?:ß|ss)enlimit\b|\b(?:überschreitet|ueberschreitet) (?:die )?(?:maximale|zul(?:ä|ae)ssige|erlaubte) (?:nachrichten)?gr(?:ö|oe)(?:ß|ss)e\b
phrase emailtoolarge strong tr \b(?:[iİ]let[iİ]|mesaj|e-?posta)(?:n[iİ]n)? (?:boyutu )?(?:[çc]ok b[üu]y[üu]k)\b|\bboyut(?:u)?\b[^.;]{0,30}?\b(?:s[ıI]n[ıI]r|l[iİ]m[iİ]t)\w* a[şs]
phrase emailtoolarge strong es \bmensaje demasiado grande\b

# --- toomanyrecipients
phrase toomanyrecipients strong en \btoo many (?:recipients|rcpts?|rcpt to)\b(?! (?:received |sent |accepted )?(?:this|per|in the last|today|each) (?:hour|day|minute))|\b(?:maximum|max\.?) (?:number of )?recipients (?:per (?:message|transaction|mail)|exceeded|reached|allowed)\b|\brecipient(?:s)? (?:count |number )?limit (?:exceeded|reached)\b(?!.{0,30}\b(?:hour|day|daily)\b)
phrase toomanyrecipients strong fr \btrop de destinataires\b
phrase toomanyrecipients strong de \bzu viele empf(?:ä|ae)nger\b
phrase toomanyrecipients strong tr \b(?:[çc]ok fazla|fazla say[ıI]da) al[ıI]c[ıI]\b

# --- ratelimited
# A reply that names the sender's reputation as the cause of a rate limit
# (Gmail 421 4.7.0) is badreputation, so the rate words skip such texts.
phrase ratelimited strong en ^(?!.*\breputation\b).*?\b(?:rate[- ]?limit(?:ed|ing|s)?|throttl(?:ed|ing))\b|\btoo many (?:[\w-]+ ){0,2}(?:connections|sessions|messages|mails|e-?mails|requests)\b|\bper[- ]connection (?:message |mail )?limit\b|\bslow down\b|\btoo many (?:messages|mails) (?:from|in)\b|\btoo many recipients (?:received |sent |accepted )?(?:this|per|in the last|today|each) (?:hour|day|minute)\b|\bexceeded (?:the |its )?(?:permitted|allowed) limits?\b
phrase ratelimited strong en \b(?:sending|receiving|send|receive)(?: mail| messages?)? (?:too (?:fast|quickly)|at a rate)\b|\brate that prevents additional messages\b|\b(?:please )?(?:try again|send|resend) (?:more )?slow(?:er|ly)\b|\bfrequency limit(?:ed)?\b|\bexcessive (?:volume|number of (?:messages|connections|recipients))\b|\bunusual (?:rate|amount)\b
phrase ratelimited strong en \b(?:daily|hourly|per[- ]hour|per[- ]day) (?:sending |message |recipient |mail |e-?mail )?(?:limit|quota)\b|\b(?:sending|submission|outbound|send) (?:quota|limit) (?:exceeded|reached)\b|\b(?:max(?:imum)?|message|connection) (?:number of )?(?:messages? )?(?:per|limit per) (?:connection|session|hour)\b|\bmax message per connection\b|\bconnection (?:count |rate )?limit\b|\blimit exceeded for (?:ip|sender|mailbox|account|user|this)\b|\bratelimit exceeded\b|\bexceeded (?:the |a )?(?:rate|connection|message|sending) limit\b
phrase ratelimited strong fr \btrop de (?:connexions|messages|sessions)\b|\blimite de (?:d[ée]bit|connexions?|messages)\b
phrase ratelimited strong de \bzu viele (?:gleichzeitige |parallele )?(?:verbindungen|nachrichten|e-?mails|mails)\b|\bsendelimit\b|\bverbindungslimit\b|\b(?:limit|h(?:ö|oe)chstzahl) (?:an |der )?(?:verbindungen|nachrichten)\b[^.;]{0,20}\b(?:erreicht|(?:ü|ue)berschritten)\b
phrase ratelimited strong tr \b(?:[çc]ok fazla|fazla say[ıI]da) (?:e[şs]zamanl[ıI] )?(?:ba[ğg]lant[ıI]|[iİ]let[iİ]|mesaj|e-?posta)|\bg[öo]nder[iİ]m (?:l[iİ]m[iİ]t[iİ]|s[ıI]n[ıI]r[ıI])\b|\bh[ıI]z s[ıI]n[ıI]r[ıI]\b

# --- requireptr
phrase requireptr strong en \breverse (?:dns|lookup|hostname|resolution|name|mapping)\b|\b(?:no|missing|invalid|bad|without (?:a )?)\s?(?:dns )?ptr\b|\bptr (?:record|lookup|check)\b|\brdns\b|\bcannot find your (?:reverse )?hostname\b|\bclient host name (?:is )?(?:unknown|not found)|\bfcrdns\b|\bforward (?:dns|lookup|confirmed)\b.{0,40}\b(?:match|fail)|\bhostname (?:does not|doesn't) match (?:the |your )?ip\b
phrase requireptr strong de \breverse[- ]?dns\b|\bkein(?:en)? ptr\b|\br(?:ü|ue)ckw(?:ä|ae)rtsaufl(?:ö|oe)sung\b
phrase requireptr strong fr \bdns inverse\b|\bpas de ptr\b
phrase requireptr strong tr \bters dns\b|\bptr kayd[ıI]\b

# --- authfailure
phrase authfailure strong en \b(?:spf|dkim|dmarc)\b|\bsender policy framework\b|\bdomainkeys\b|\barc validation\b|\bsender is unauthenticated\b|\bunauthenticated (?:e-?mail|mail|message)s?\b.{0,60}\b(?:not accepted|rejected|domain)|\b(?:does not|doesn't|did not|failed to) (?:meet|pass) (?:the )?(?:required )?(?:sender )?authentication\b|\bauthentication (?:checks|level)\b|\bnot (?:aligned|in alignment) with\b

# --- failedstarttls
phrase failedstarttls strong en \bstarttls\b|\btls (?:is )?(?:required|needed|mandatory|handshake|negotiation|failed|failure|error|not (?:available|offered|supported))\b|\b(?:requires?|must use|over) tls\b|\bssl(?:_connect)? (?:error|handshake)\b|\b(?:cannot|could not|unable to|failed to) (?:start|establish|negotiate) tls\b|\btls handshake\b|\bhandshake fail(?:ure|ed)\b|\bcertificate[- ](?:verification|validation|has expired|expired|not trusted|not verified|mismatch|name|error|is not valid)\b|\b(?:dane|tlsa|mta-sts)\b|\bencryption (?:is )?(?:required|needed)\b|\bmust issue a starttls\b|\bno (?:shared|common) cipher\b

# --- virusdetected
phrase virusdetected strong en \bvirus(?:es)?\b|\bmalware\b|\b(?:infected|trojan|ransomware)\b|\bmalicious (?:content|attachment|payload|file|software)\b
phrase virusdetected strong de \bvirus\b|\bschadsoftware\b|\binfiziert\b
phrase virusdetected strong fr \bvirus\b|\binfect[ée]\b|\blogiciel malveillant\b
phrase virusdetected strong tr \bv[iİ]r[üu]s\b|\bzararl[ıI] (?:yaz[ıI]l[ıI]m|[iİ][çc]er[iİ]k)\b

# --- spamdetected
# "from spam" and "against spam" name what a filter guards against, not a verdict.
phrase spamdetected strong en (?<![.\w])(?<!from )(?<!against )spam(?:my|s)?\b(?!\.[a-z0-9])|\bunsolicited\b|\bu[bc]e\b|\bjunk(?: mail| e-?mail)?\b|\bbulk (?:mail|e-?mail)\b|\bphish(?:ing)?\b|\bscam\b|\bcontent filter(?:ing)?(?: rejection)?\b|\bsuspicious (?:content|links?|message|e-?mail|url)\b|\b(?:content|links?)\b[^.;]{0,30}\b(?:looks?|appears?|seems?) suspicious\b|\bsuspicious due to (?:the nature of )?(?:the )?(?:content|links)\b|\b(?:spam|content) score\b|\bspamassassin\b|\bhits=-?\d+(?:\.\d+)? required=
phrase spamdetected strong fr \bind[ée]sirable\b|\bpourriel\b
phrase spamdetected strong de \bunerw(?:ü|ue)nscht\b|\bwerbe(?:mail|nachricht)\b
phrase spamdetected strong tr \b[iİ]stenmeyen (?:posta|e-?posta|[iİ]let[iİ]|mesaj|[iİ][çc]er[iİ]k)\b|\bspam olarak\b

# --- blocked
phrase blocked strong en (?<!personal )(?<!recipient's )(?<!user's )\bblock ?list(?:ed|ing)?\b|(?<!personal )(?<!recipient's )(?<!user's )\bblack ?list(?:ed|ing)?\b|\bdeny ?list(?:ed)?\b|\bblocked using\b|\blisted (?:in|on|at|by)\b|\bis listed\b|\bdnsbls?\b|\brbls?\b|\bspamhaus\b|\bspamcop\b|\bbarracuda\b|\bsorbs\b|\bspamrats\b|\buceprotect\b|\bproofpoint\b.{0,60}\b(?:block|rbl|reputation)
phrase blocked strong en \b(?:ip|host|server|network|netblock|range)(?: address)?(?: \S+)? (?:has been |is |was |are |is being )?(?:temporarily |permanently )?(?:blocked|banned|blacklisted|blocklisted|not allowed|not accepted|denied)\b|\b(?:ip|host|server)(?: address)?(?: \S+)? is not (?:on|in) the (?:allow ?list|allowed list|white ?list)\b|\b(?:permanently deferred|deferred permanently)\b|\bretr(?:ying|ies) will (?:not succeed|fail)\b|\b(?:may|must|can) not send (?:mail |e-?mail |messages )?directly\b|\bconnection denied\b|\bbanned (?:sending )?(?:ip|host|sender)\b|\bclient host (?:\[\S*\] )?(?:rejected|blocked|refused)\b|\bconnection (?:refused|rejected|blocked) (?:due to|because of|for) (?:policy|reputation|abuse|spam)\b
phrase blocked strong en \bdynamic (?:ip|address|range|pool|host)\b|\bdial-?up\b|\bresidential (?:ip|address|range)\b|\b(?:helo|ehlo)(?: command| name| hostname)? (?:rejected|refused|not accepted|is invalid|invalid)\b|\b(?:invalid|bad|unacceptable) (?:helo|ehlo)\b|\bopen (?:proxy|relay)\b|\bcompromised\b|\bnot accepting (?:connections|network messages) from\b|\besmtp not accepting connections\b
phrase blocked strong de \b(?:schwarze|sperr)liste\b|\b(?:ip|adresse|server) (?:ist |wurde )?(?:blockiert|gesperrt)\b
phrase blocked strong fr \bliste noire\b|\b(?:adresse ip|ip|serveur) (?:est |a [ée]t[ée] )?(?:bloqu[ée]e?|bannie?|refus[ée]e?)\b
phrase blocked strong tr \bkara ?l[iİ]ste|\b(?:[iİ]p|sunucu|g[öo]nder[iİ]c[iİ])(?: adres[iİ](?:n[iİ]z)?)? (?:engellend[iİ]|engellenm[iİ][şs]|yasakland[ıI])\b

# --- badreputation
phrase badreputation strong en \breputation\b|\b(?:user|spam) complaints\b|\bsender ?score\b
phrase badreputation strong de \b(?:reputation|ruf)\b
phrase badreputation strong tr \b[iİ]t[iİ]bar(?:[ıI]|[ıI]n[ıI]z|[ıI]m[ıI]z)?\b

# --- norelaying
phrase norelaying strong en \brelay(?:ing)?(?: (?:to|for|from) \S+)? (?:access )?(?:is )?(?:denied|not (?:permitted|allowed)|prohibited|refused|disallowed)\b|\b(?:unable|cannot|can't|will not|won't|do not|don't|we do not)(?: to)? relay\b|\bnot (?:an )?open relay\b|\b(?:mail )?relay(?:ing)? denied\b|\bno relaying\b|\b(?:isn't|is not|not) in my (?:list of allowed )?rcpthosts\b|\brelay not permitted\b
phrase norelaying strong fr \brelais (?:refus[ée]|interdit|non autoris[ée]|non permis)\b|\brelayage (?:refus[ée]|interdit|non autoris[ée])\b|\b(?:pas|non) autoris[ée] [àa] relayer\b
phrase norelaying strong de \brelay(?:ing)? (?:ist )?(?:verweigert|abgelehnt|nicht (?:erlaubt|gestattet|zul(?:ä|ae)ssig))\b|\bkein relay\b|\brelay-?zugriff (?:verweigert|abgelehnt)\b
phrase norelaying strong tr \b(?:aktar[ıI]m|relay|r[öo]le)(?:a|e)?(?: \(relay\))? (?:[iİ]z[iİ]n|[iİ]zn[iİ])\w* (?:ver[iİ]lm[iİ]yor|yok|bulunmuyor)\b|\baktar[ıI]m (?:\(relay\) )?yap(?:maz|[ıI]lmaz|[ıI]lam[ıI]yor|m[ıI]yor)\b|\b(?:relay|r[öo]le|aktar[ıI]m) (?:eri[şs][iİ]m[iİ] )?redded[iİ]ld[iİ]\b|\bposta aktarm[ıI]yor\b|\brelay redded[iİ]ld[iİ]\b

# --- rejected (the envelope sender)
phrase rejected strong en \bsender (?:address |domain )?(?:rejected|refused|denied|blocked|invalid|not (?:allowed|accepted|authorized|permitted))\b|\bsender verif(?:y|ication) failed\b|\b(?:domain|address) of sender\b|\bsender domain (?:does not exist|not found|must (?:exist|resolve)|unknown|invalid|is not)\b|\b(?:bad|invalid|unknown|unverified|unverifiable|forged) (?:envelope )?sender\b|\bnull sender (?:is )?not allowed\b|\bbatv\b|\bnot owned by (?:user|auth)|\bunresolvable (?:rfc\.?532[12] )?(?:from )?domain\b|\bbad outbound sender\b|\bmail from (?:address )?(?:rejected|refused|invalid|not allowed)\b|\bsender address syntax\b|\breturn[- ]path (?:rejected|invalid)\b|\bsending (?:for|from) this account (?:is|has been) (?:disabled|suspended)\b|\bsending (?:mail |messages? |e-?mail )?(?:is |has been )?(?:disabled|suspended|blocked) for (?:this|your) account\b|\b(?:sending|sender) account (?:is |has been )?(?:banned|blocked|suspended|disabled)\b|\b(?:rfc\.?532[12]|sender|envelope|mail from) ?(?:from )?domain\b[^.;]{0,30}\b(?:cannot|could not|can't) be resolved\b|\bsender (?:address |domain )?has (?:a )?null ?mx\b|\bsend from (?:unregistered|unprovisioned|unverified) domains?\b
phrase rejected strong fr \bexp[ée]diteur (?:refus[ée]e?|invalide|inconnue?|rejet[ée]e?)\b
phrase rejected strong de \babsender(?:adresse)? (?:abgelehnt|ung(?:ü|ue)ltig|unbekannt)\b
phrase rejected strong tr \bg[öo]nderen(?: adres[iİ])? (?:redded[iİ]ld[iİ]|ge[çc]ers[iİ]z)\b

# --- suspend
phrase suspend strong en \b(?:account|mailbox|user|address|recipient|e-?mail)(?: account)? (?:has been |is |was |is currently )?(?:temporarily )?(?:closed|terminated)\b|\b(?:account|mailbox|user|address|recipient)\b[^.;:]{0,40}?\b(?:disabled|deactivated|suspended|inactive|locked|frozen|discontinued)\b|\binactive (?:account|mailbox|user|e-?mail|recipient)\b|\bdeactivated mailbox\b|\bno longer (?:in use|active|accepts? (?:mail|messages|e-?mail)|available)\b|\bmailbox (?:is )?(?:unavailable|disabled) for (?:policy|administrative)\b|\bpolicy rejection on the target address\b|\bbanned (?:recipient|mailbox)\b
phrase suspend strong fr \bcompte\b[^.;]{0,40}?\b(?:d[ée]sactiv[ée]|suspendu|bloqu[ée]|ferm[ée]|inactif)\b
phrase suspend strong de \b(?:konto|postfach|benutzer)\b[^.;]{0,30}?\b(?:deaktiviert|gesperrt|stillgelegt|inaktiv)\b
phrase suspend strong tr \b(?:hesap|hesab[ıI]|posta kutusu|kullan[ıI]c[ıI])(?:[ıI]?n[ıI]z)? (?:ask[ıI]ya al[ıI]n(?:d[ıI]|m[ıI][şs]\w*)|ask[ıI]da|devre d[ıI][şs][ıI]|kapat[ıI]ld[ıI]|k[iİ]l[iİ]tlend[iİ]|pas[iİ]f)\b

# --- hasmoved
phrase hasmoved strong en \bhas been replaced by\b|\bno longer on (?:this |the )?server\b|\b(?:mailbox|user|address|recipient) (?:has )?moved\b|\buser not local; please try\b|\b(?:mailbox|domain) owner has changed\b

# --- userunknown
phrase userunknown strong en \b(?:user|recipient|mailbox|address|account|alias|local part|addressee)(?: name)? (?:is )?unknown\b|\bunknown (?:user|recipient|mailbox|local[- ]part|address|alias|e-?mail address)\b|\bno such (?:user|recipient|mailbox|account|address|person|local user|e-?mail address)\b|\b(?:user|recipient|mailbox|account|address|e-?mail|inbox|local part)\b[^.;:]{0,60}?\b(?:does not|doesn't|did not|do not) exists?\b
phrase userunknown strong en \b(?:user|recipient|mailbox|account|address|e-?mail address)(?: address)? (?:was |is )?not found\b|\b(?:invalid|bad|nonexistent|non-existent|unrecognized|unknown|undeliverable) (?:recipient|mailbox|user|e-?mail address|destination address|local user)\b|\bnot a valid (?:mailbox|user|recipient|address|e-?mail)\b|\brecipient address rejected: (?:user unknown|undeliverable address|unknown user|invalid recipient)\b|\brecip(?:ient)?notfound\b|\bno mailbox (?:here )?by that name\b|\b(?:address|recipient|mailbox|user|account)\b[^.;:]{0,40}\b(?:couldn't|could not|cannot|can't) be found\b|\bdoesn't have an? \S+ account\b|\bnot our customer\b|\b(?:bad|invalid) (?:recipient |destination )?address syntax\b|\bunknown user: \S|\brecipient address rejected: access denied\b|\bhas no (?:e-?mail )?account (?:for|named)\b
phrase userunknown strong fr \b(?:utilisateur|destinataire|adresse|bo[iî]te)(?: aux lettres)? (?:inconnue?|inexistante?|introuvable)\b|\bn'existe pas\b
phrase userunknown strong de \b(?:benutzer|empf(?:ä|ae)nger|postfach|mailbox|adresse|nutzer)(?:adresse)? (?:ist )?(?:unbekannt|existiert nicht|nicht gefunden|nicht vorhanden)\b|\bunbekannte[rs]? (?:empf(?:ä|ae)nger|benutzer)\b|(?<!domain )(?<!domäne )\bexistiert nicht\b
phrase userunknown strong tr \bal[ıI]c[ıI](?: adres[iİ])? (?:bulunamad[ıI]|yok|mevcut de[ğg][iİ]l|ge[çc]ers[iİ]z)\b|\bkullan[ıI]c[ıI](?: ad[ıI])? (?:bulunamad[ıI]|yok|mevcut de[ğg][iİ]l)\b|\bb[öo]yle b[iİ]r (?:kullan[ıI]c[ıI]|hesap|posta kutusu|al[ıI]c[ıI]) (?:yok|bulunmuyor|bulunmamaktad[ıI]r)\b|\bge[çc]ers[iİ]z al[ıI]c[ıI]\b|\bposta kutusu (?:bulunamad[ıI]|mevcut de[ğg][iİ]l|yok)\b
phrase userunknown strong es \busuario desconocido\b|\bno existe\b
phrase userunknown strong it \butente (?:sconosciuto|inesistente)\b
# RFC 5321's text for 550, which servers use for unknown mailboxes.
phrase userunknown weak en \bmailbox (?:unavailable|not available)\b|\brecipient (?:address )?rejected\b|\binvalid address\b|\baddress rejected\b

# --- hostunknown
phrase hostunknown strong en ^(?!.*\b(?:try again|name server reply|servfail)\b).*?(?:\bhost (?:or domain name )?not found\b|\bno such domain\b|\bdomain (?:name )?(?:\S+ )?(?:does not exist|doesn't exist|not found|is unknown|unknown|not valid|is not valid)\b|\bunknown (?:domain|host)\b|\bunroutable (?:mail )?(?:domain|address)\b|\bunrouteable (?:mail )?(?:domain|address)\b|\bnxdomain\b|\bname or service not known\b|\bnonexistentdomain\b|\bfind the recipient domain\b|\brecipient domain (?:not found|does not exist)\b)
phrase hostunknown strong fr \bdomaine (?:inconnu|inexistant|introuvable)\b
phrase hostunknown strong de \b(?:domain|domäne) (?:existiert nicht|unbekannt|nicht gefunden)\b
phrase hostunknown strong tr \balan ad[ıI] (?:bulunamad[ıI]|yok|mevcut de[ğg][iİ]l)\b

# --- notaccept
# A domain that refuses mail over IPv6 only is a routing matter (networkerror).
phrase notaccept strong en \b(?:does not|doesn't|do not) (?:accept|receive) (?:e-?)?mail\b(?! over ipv6| via ipv6| from)|(?<!sender has )(?<!sender address has )(?<!sender domain has )\bnull ?mx\b|\baccepts no mail\b|\bno mail (?:service|accepted) (?:here|for)\b

# --- filtered
phrase filtered strong en \brecipient(?:'s)? (?:preferences|filters?|rules)\b|\b(?:rejected|refused|blocked|declined) by (?:the )?(?:recipient|user|addressee)\b(?! (?:policy|policies|organi[sz]ation|domain|server|system))|\brecipient (?:has )?(?:blocked|rejected|refused|declined) (?:you|your|the sender|mail|messages|e-?mail)\b|\byou have been blocked by\b|\b(?:recipient|user|addressee) (?:does not|doesn't|will not) accept (?:messages|mail|e-?mail) from\b|\b(?:only )?accept(?:s|ing)? (?:mail|messages|e-?mail) only from\b|\bonly accepts? (?:mail|messages|e-?mail) from\b|\bnot (?:authorized|allowed|permitted) to send (?:e-?mail |mail |messages )?to (?:this|the) (?:recipient|user|group|mailbox|list|address)\b|\bsender (?:is )?not (?:in|on) (?:the )?(?:allowed|safe|white) ?(?:senders? )?list\b|\bnot in (?:the )?allowed[- ]senders\b|\buser reject|\bdelivery restrictions\b|\brestricted to (?:internal|authenticated)\b|\b(?:recipient|user|addressee) (?:has )?(?:chosen|decided|asked|elected) not to (?:receive|accept)\b|\b(?:personal|recipient's|user's) (?:block|black|deny) ?list\b|\bblocked[- ]senders?[- ]list\b|\b(?:sender|you) (?:was |were |is |are )?not authenticated (?:by|for|with) (?:the |this )?(?:organi[sz]ation|recipient|group|mailbox|public folder)\b
phrase filtered strong tr \bal[ıI]c[ıI] (?:taraf[ıI]ndan )?(?:engellend[iİ]|redded[iİ]ld[iİ])\b|\bal[ıI]c[ıI],? [^.;]{0,40}\b(?:engelled[iİ]|reddett[iİ]|kabul etm[iİ]yor)\b
phrase filtered strong de \bempf(?:ä|ae)nger\b[^.;]{0,30}\bnimmt keine (?:nachrichten|e-?mails|mails) (?:von|an)\b|\bvom empf(?:ä|ae)nger (?:blockiert|abgelehnt)\b
phrase filtered strong fr \ble destinataire (?:a bloqu[ée]|refuse|n'accepte pas)\b

# --- notcompliantrfc
phrase notcompliantrfc strong en \brfc[- ]?(?:5322|2822|822)\b|\bnot (?:rfc|standards?)[- ]?compliant\b|\b(?:duplicate|multiple|missing|malformed|invalid) (?:\S+ )?header(?:s| field| line)?\b|\b(?:from|date|message-id|sender|to|subject) header (?:is )?(?:missing|invalid|malformed|required)\b|\bmissing (?:a )?(?:from|date|message-id)\b|\bRfcMessageNonCompliant\b|\bheaders? (?:are|is) not (?:rfc )?compliant\b|\b(?:do|does) not (?:comply|conform) (?:with|to) (?:the )?rfcs?\b|\bmessage malformed\b

# --- contenterror
phrase contenterror strong en \bbare (?:lf|linefeeds?|<lf>|newlines?|cr)\b|\b8-?bit (?:data|characters?|bytes?) (?:in|within) (?:the )?(?:message )?header|\bimproper use of 8-?bit\b|\b(?:invalid|malformed|broken) mime\b|\bmime (?:error|violation|structure|syntax)\b|\bnon-?ascii (?:characters?|address|header)|\b(?:smtputf8|utf-?8) (?:is )?(?:not supported|required)\b|\bconversion (?:required|failed|not supported|not possible)\b|\bheader (?:line )?too long\b|\b(?:text|body) lines? (?:is |are )?too long\b|\b(?:does not|doesn't) (?:announce|advertise|support) 8bitmime\b|\billegal characters? in (?:the )?header\b|\bcontent (?:type|encoding) (?:not supported|invalid)\b|\bmessage (?:content )?not available\b

# --- policyviolation
phrase policyviolation strong en \bpolicy violation\b|\b(?:rejected|refused|denied|blocked|not accepted|bounced) (?:for|due to|by|because of) (?:local |site |content |recipient |our |organi[sz]ational |security |administrative )?(?:policy|policies|organi[sz]ational settings)(?: reasons)?\b|\bviolat(?:es|ion of|ing) (?:our|the|local|site) (?:policy|policies|terms)\b|\b(?:prohibited|forbidden|blocked|banned|unsafe|dangerous) (?:attachment|file|content|extension|file type|url)s?\b|\battachment (?:type|extension|name)s? (?:is |are )?(?:not (?:allowed|permitted|accepted)|prohibited|blocked|forbidden|rejected)\b|\bexecutable (?:file|attachment|content)\b|\bpotential(?:ly)? (?:security issue|executable)\b|\bmembers[- ]only\b|\badministrative prohibition\b|\b(?:mail flow|transport) rule\b
phrase policyviolation strong de \brichtlinie\b
phrase policyviolation strong fr \bpolitique (?:de s[ée]curit[ée]|locale)\b
phrase policyviolation strong tr \b(?:pol[iİ]t[iİ]ka|[iİ]lke)(?:s[iİ]|m[ıI]z)? (?:gere[ğg][iİ]|[iİ]hlal[iİ])\b
phrase policyviolation weak en \bpolic(?:y|ies)\b|\bnot (?:allowed|permitted)\b|\bprohibited\b|\bcontent (?:rejected|refused|not accepted)\b

# --- securityerror (our own SMTP authentication)
phrase securityerror strong en \bauthentication (?:is )?(?:required|failed|failure|unsuccessful|credentials invalid|needed)\b|\bauth(?:entication)? required\b|\bmust (?:authenticate|be authenticated|log ?in)\b|\b(?:client|sender|user) (?:was |is )?not authenticated\b|\binvalid (?:credentials|login|username or password|user name or password)\b|\busername and password not accepted\b|\b(?:application|app)[- ]specific password\b|\bsasl\b|\binsecure mail relay\b|\bsmtp auth(?:entication)? (?:is )?(?:disabled|required)\b|\bauthentication mechanism\b|\b(?:failed|invalid|unsuccessful) (?:login|authentication|auth) attempts\b
phrase securityerror strong en \b(?:does not|doesn't) have permissions? to send as\b|\bsend ?as (?:permission )?denied\b
phrase securityerror strong tr \bk[iİ]ml[iİ]k do[ğg]rulama(?:s[ıI])? (?:ba[şs]ar[ıI]s[ıI]z|gerekl[iİ]|gerek[iİ]yor|hatas[ıI])|\b(?:kullan[ıI]c[ıI] ad[ıI] ve(?:ya)? )?[şs][iİ]fre (?:hatal[ıI]|yanl[ıI][şs])
phrase securityerror strong de \bauthentifizierung (?:ist )?(?:fehlgeschlagen|erforderlich|notwendig)\b|\banmeldung fehlgeschlagen\b|\bauthentifizierung\b[^.;]{0,20}\bfehlgeschlagen\b
phrase securityerror strong fr \bauthentification (?:requise|obligatoire|n[ée]cessaire|[ée]chou[ée]e|refus[ée]e)\b|\b[ée]chec de l'authentification\b
phrase securityerror weak en \bauthenticat|\bcredentials\b|\bpassword\b

# --- mailloop
phrase mailloop strong en \bloops? back to myself\b|\bmail (?:forwarding )?loop\b|\btoo many hops\b|\bhop count (?:exceeded|limit)\b|\brouting loop\b|\bloop(?:ing)? detected\b|\bmessage (?:is )?looping\b|\btoo many (?:"?received"?|delivered-to) (?:headers|lines)\b|\bmaximum hop count\b
phrase mailloop strong de \bmailschleife\b|\bschleife erkannt\b
phrase mailloop strong fr \bboucle (?:de messagerie|d[ée]tect[ée]e)\b
phrase mailloop strong tr \bposta d[öo]ng[üu]s[üu]\b|\bd[öo]ng[üu] (?:alg[ıI]land[ıI]|tesp[iİ]t ed[iİ]ld[iİ])\b

# --- dnserror
# Postfix's "Temporary lookup failure" is a failed table lookup (systemerror).
phrase dnserror strong en \bhost (?:or domain name )?not found\b.{0,100}\btry again\b|\bhost not found, try again\b|\btemporary (?:dns|name (?:service|resolution)|resolver) (?:failure|error|problem)\b|\bdns (?:lookup|query|resolution|server|record lookup) (?:failed|failure|error|timed? ?out)\b|\b(?:dns|lookup|query) (?:timed out|timeout)\b|\bservfail\b|\bmalformed (?:or unexpected )?name server reply\b|\bname server (?:failure|error|timeout)\b|\bdns (?:temporary )?(?:failure|error)\b|\bhost lookup did not complete\b|\btemporary failure in name resolution\b|\bname service error\b.{0,60}\btry again\b
phrase dnserror strong en \bdns\b[^;]{0,60}?\b(?:timed? ?out|timeout|servfail|try_again|temporary failure)\b|\b(?:mx|dns) (?:lookup|query|resolution)s? (?:of|for) \S+(?: \(mx\))? (?:failed|timed out|gave try_again)\b|\bgave try_again\b
phrase dnserror strong tr \bdns (?:hatas[ıI]|sorgusu(?:nda)? (?:ba[şs]ar[ıI]s[ıI]z|hata))|\bdns sorgusu\b[^.;]{0,30}\b(?:zaman a[şs][ıI]m[ıI]|ba[şs]ar[ıI]s[ıI]z)|\bad [çc][öo]z[üu]mleme (?:hatas[ıI]|ba[şs]ar[ıI]s[ıI]z)
phrase dnserror strong de \bdns-?(?:abfrage|aufl(?:ö|oe)sung|anfrage)\b[^;]{0,40}\b(?:fehlgeschlagen|zeit(?:ü|ue)berschreitung|nicht m(?:ö|oe)glich)\b|\bnamensaufl(?:ö|oe)sung (?:fehlgeschlagen|gescheitert)\b
phrase dnserror strong fr \b(?:[ée]chec de la |erreur de )r[ée]solution dns\b|\br[ée]solution dns (?:[ée]chou[ée]e|impossible|expir[ée]e)\b|\berreur dns\b

# --- connectionerror
phrase connectionerror strong en \bconnection has (?:expired|timed out|been (?:closed|reset|lost))\b|\bconnection (?:timed out|refused|reset|closed|dropped|lost|failed|terminated|aborted)\b|\blost connection with\b|\bconversation with \S+ timed out\b|\btimed out while\b|\bnetwork (?:is )?unreachable\b|\bno route to host\b|\bhost is unreachable\b|\bsocket ?error\b|\bbroken pipe\b|\bconnection (?:was )?(?:unexpectedly )?closed\b|\bremote (?:host|server|end) (?:closed|dropped|terminated|hung up)\b|\bunexpected(?:ly)? (?:eof|end of file|disconnect)\b|\b(?:server|host) (?:is )?not responding\b|\bno (?:response|answer) from (?:the )?(?:remote )?(?:host|server)\b|\b(?:smtp|read|write|connect|greeting|banner) timeout\b|\bcould not connect\b|\bunable to connect\b|\bfailed to connect\b|\bconnection (?:attempt )?(?:to \S+ )?failed\b
phrase connectionerror strong fr \bconnexion (?:refus[ée]e|interrompue|expir[ée]e|perdue|impossible)\b
phrase connectionerror strong de \bverbindung (?:abgelehnt|unterbrochen|verweigert|fehlgeschlagen|abgebrochen)\b|\bzeit(?:ü|ue)berschreitung\b
phrase connectionerror strong tr \bba[ğg]lant[ıI](?:s[ıI])? (?:redded[iİ]ld[iİ]|koptu|kes[iİ]ld[iİ]|kurulamad[ıI]|zaman a[şs][ıI]m[ıI]na u[ğg]rad[ıI])\b|\bzaman a[şs][ıI]m[ıI]\b
phrase connectionerror weak en \btimed? ?out\b|\btimeout\b

# --- networkerror
phrase networkerror strong en \bunable to route\b|\bno route (?:to|for) (?:the )?(?:domain|destination)\b|\ball (?:relevant )?mx (?:records|hosts) point to (?:non-?existent|invalid) hosts\b|\bmx (?:record|host)s? (?:points? to|has|have) (?:an? )?(?:invalid|bad|non-?existent|unusable)\b|\bmx host \S+ has (?:bad|no) address\b|\brouting (?:error|failure|problem)\b|\bnetwork (?:error|failure|problem)\b|\bipv6 (?:not supported|is required|required)\b|\bdoes not accept (?:e-?mail|mail) over ipv6\b

# --- systemfull
phrase systemfull strong en \binsufficient system (?:storage|resources)\b|\bmail system (?:is )?full\b|\b(?:disk|queue|spool|file ?system|partition) (?:is )?full\b|\bno space left on device\b|\bnot enough (?:disk )?space on (?:the )?(?:server|system|disk)\b|\bout of (?:disk )?space\b|\bsystem storage\b|\b(?:disk |storage )?space shortage\b

phrase systemfull strong de \bspeicherplatz auf dem (?:server|system)\b[^.;]{0,20}\b(?:ersch(?:ö|oe)pft|voll)\b|\bnicht gen(?:ü|ue)gend speicherplatz auf dem (?:server|system)\b
phrase systemfull strong tr \b(?:sistemde|sunucuda) yeterli (?:depolama |disk )?alan[ıI] yok\b|\bsunucu diski dolu\b

# --- systemerror
phrase systemerror strong en \blocal error in processing\b|\btemporary (?:local |system |server |internal )(?:problem|failure|error)\b|\b(?:local|system|server) (?:problem|failure|error),? (?:please )?try (?:again )?later\b|\binternal (?:server |system )?error\b|\bsystem (?:config(?:uration)? )?error\b|\b(?:server|service|system|mail ?server|mailbox) (?:is )?(?:temporarily )?(?:busy|overloaded|down)\b|\bqueue file write error\b|\bresources? (?:are )?temporarily unavailable\b|\btoo busy\b|\btemporary (?:table )?lookup failure\b|\bshutting down\b|\bconfiguration error\b|\bmisconfigur
phrase systemerror strong fr \berreur (?:interne|locale|syst[eè]me)\b|\berreur temporaire (?:du (?:serveur|syst[eè]me)|interne|locale)\b|\bservice (?:temporairement )?indisponible\b
phrase systemerror strong de \btempor(?:ä|ae)re[rs]? (?:system|server)(?:fehler|problem)\b|\binterner (?:server)?fehler\b|\bsystemfehler\b|\bdienst (?:ist )?(?:nicht verf(?:ü|ue)gbar|vor(?:ü|ue)bergehend)\b
phrase systemerror strong tr \bge[çc][iİ]c[iİ] (?:b[iİ]r )?(?:s[iİ]stem|sunucu) (?:hatas[ıI]|sorunu)\b|\bs[iİ]stem hatas[ıI]\b|\bsunucu hatas[ıI]\b|\byerel hata\b|\bh[iİ]zmet (?:ge[çc][iİ]c[iİ] olarak )?kullan[ıI]lam[ıI]yor\b
# Sendmail's "stat=Service unavailable" is the generic text of its exit
# status EX_UNAVAILABLE, not a word from the remote server.
phrase systemerror weak en (?<!stat=)\b(?:server|service|system) (?:is )?(?:temporarily )?(?:unavailable|not available)\b|(?<!stat=service )\bunavailable\b

# --- expired
phrase expired strong en \bretry timeout exceeded\b|\b(?:message|delivery|envelope) (?:has |was )?expired\b|\bdelivery time (?:expired|exceeded)\b|\b(?:queue|message) (?:lifetime|timeout) (?:exceeded|expired|reached)\b|\bmessage (?:has been )?(?:in the )?queue too long\b|\btoo long in (?:the )?queue\b|\bcould not be delivered (?:for|within|in) (?:the last )?\d+ (?:days?|hours?)\b|\b(?:gave|giving) up\b|\bQUEUE\.Expired\b|\bretry time not reached for any host after a long failure period\b|\bhave been failing for a long time\b|\bexpired after\b|\bmaximum (?:queue|retry) (?:time|lifetime)\b|\b(?:cannot|could not) (?:send|deliver) (?:the )?message (?:for|within|in) (?:the last )?\d+ (?:days?|hours?)\b
phrase expired strong fr \bd[ée]lai (?:de (?:livraison|remise|distribution) )?(?:d[ée]pass[ée]|expir[ée])\b
phrase expired strong de \bzustellung aufgegeben\b|\b(?:zustell|liefer)(?:frist|zeit)\b[^.;]{0,30}\b(?:abgelaufen|(?:ü|ue)berschritten)\b|\b(?:zustellung|nachricht|zustellzeit) (?:ist )?(?:abgelaufen|(?:ü|ue)berschritten)\b
phrase expired strong tr \b(?:tesl[iİ]m(?:at)?|bekleme) s[üu]res[iİ] (?:doldu|a[şs][ıI]ld[ıI])\b|\bs[üu]res[iİ] doldu\b

# --- mailererror
phrase mailererror strong en \bcommand died with (?:status|signal)\b|\bdied with signal \d+|\bexited with (?:status|code) \d+|\bkilled by signal \d+|\bsignal \d+ \(core dumped\)|\bdelivery to (?:command|program|pipe) \S+ failed\b|\bcommand output:|\bmailer error\b|\bprocmail\b|\bmaildrop\b|\bpipe to \||\bchild process of\b|\btransport returned \d+\b|\bdelivery (?:program|agent|command) (?:failed|returned|exited)\b|\b(?:exit|returned) (?:code|status) \d+\b|\bdovecot-lda\b|\bcommand time ?limit exceeded\b|\bsieve\b

# --- syntaxerror
phrase syntaxerror strong en \bsyntax error\b|\bbad sequence of commands\b|\b(?:unrecognized|unrecognised|unknown|invalid) (?:smtp )?command\b|\bcommand (?:not (?:recognized|implemented|understood)|unrecognized)\b|\bneed (?:mail|rcpt|helo|ehlo)(?: command)?(?: first| before)?\b|\b(?:mail|rcpt|helo|ehlo) first\b|\bprotocol (?:error|violation)\b|\bsynchroni[sz]ation error\b|\b(?:command )?line too long\b|\bimproper (?:use of smtp )?command pipelining\b|\b(?:invalid|unrecognized|unsupported) (?:parameter|argument)s?\b|\bparameters? (?:not (?:recognized|implemented)|unrecognized)\b
phrase syntaxerror strong de \bsyntaxfehler\b
phrase syntaxerror strong fr \berreur de syntaxe\b
phrase syntaxerror strong tr \bs[öo]z ?d[iİ]z[iİ]m[iİ] hatas[ıI]\b

# --- blocked and rejected, weak
phrase blocked weak en \bblocked\b|\bbanned\b|\baccess denied\b
phrase blocked weak de \bblockiert\b|\bgesperrt\b
phrase blocked weak fr \bbloqu[ée]\b
phrase blocked weak tr \bengellend[iİ]\b

# ---------------------------------------------------------------------
# Enhanced codes (RFC 3463 and the IANA registry), class X meaning 4 or
# 5.  The first rule that fits decides; "strong" codes name a concrete
# cause, "weak" ones only a category.  onhold means "no decision".
code 2.*.* delivered strong
code X.0.0 onhold weak
code X.1.0 rejected weak stage=MAIL
code X.1.0 onhold weak
code X.1.1 userunknown strong
code X.1.2 hostunknown strong
code X.1.3 userunknown strong
code X.1.4 userunknown weak
code X.1.6 hasmoved strong
code X.1.7 rejected strong
code X.1.8 rejected strong
code X.1.9 systemerror weak
code X.1.10 notaccept strong
code X.1.* onhold weak
code X.2.0 filtered weak
code X.2.1 suspend weak
code X.2.2 mailboxfull strong
code X.2.3 emailtoolarge strong
code X.2.4 filtered weak
code X.2.* filtered weak
code X.3.0 systemerror weak
code X.3.1 systemfull strong
code X.3.2 notaccept weak reply=521,556
code X.3.2 systemerror weak
code X.3.3 systemerror weak
code X.3.4 emailtoolarge strong
code X.3.5 systemerror strong
code X.3.* systemerror weak
code X.4.0 networkerror weak
code X.4.1 connectionerror weak
code X.4.2 connectionerror weak
code X.4.3 dnserror strong
code 5.4.4 hostunknown weak
code 4.4.4 networkerror weak
code X.4.5 systemerror weak
code X.4.6 mailloop strong
code X.4.7 expired strong
code X.4.8 failedstarttls weak
code X.4.* networkerror weak
code X.5.3 toomanyrecipients strong
code X.5.6 securityerror strong
code X.5.* syntaxerror weak
code X.6.0 contenterror weak
code X.6.1-3 contenterror strong
code X.6.5-9 contenterror strong
code X.6.* contenterror weak
code X.7.0 securityerror weak stage=AUTH
code X.7.0 securityerror weak reply=530,534,535,538,454
# A temporary 4.7.0 or 4.7.1 with no decisive words names no policy;
# the reply code decides (421 systemerror, 451 onhold).
code 4.7.0-1 onhold weak
code X.7.0 policyviolation weak
code X.7.1 policyviolation weak
code X.7.2 policyviolation weak
code X.7.3-9 securityerror strong
code X.7.10-11 failedstarttls strong
code X.7.12-14 securityerror strong
code X.7.15 policyviolation strong
code X.7.16 emailtoolarge strong
code X.7.17-18 hasmoved strong
code X.7.19 policyviolation strong
code X.7.20-24 authfailure strong
code X.7.25 requireptr strong
code X.7.26 authfailure strong
code X.7.27 rejected strong
code X.7.28 spamdetected strong
code X.7.29 authfailure strong
code X.7.30 failedstarttls strong
code X.7.* policyviolation weak

# ---------------------------------------------------------------------
# The SMTP stage, when the log names it.  Strong defaults apply before
# weak phrases and codes; weak ones only when nothing else decided.
stage CONN blocked strong reply=5xx
stage HELO blocked strong reply=5xx
stage MAIL rejected strong reply=5xx
stage CONN blocked weak
stage HELO blocked weak
stage MAIL rejected weak
stage RCPT userunknown weak reply=550,553
stage AUTH securityerror weak
stage STARTTLS failedstarttls weak

# ---------------------------------------------------------------------
# Reply codes alone (RFC 5321 and the RFCs of its extensions).
reply 2xx delivered
reply 421 systemerror
reply 432 securityerror
reply 450 onhold
# RFC 5321 gives 451 for any aborted action, so alone it decides nothing.
reply 451 onhold
reply 452 systemfull
reply 454 securityerror
reply 455 syntaxerror
reply 458 systemerror
reply 459 policyviolation
reply 500 syntaxerror
reply 501 syntaxerror
reply 502 syntaxerror
reply 503 syntaxerror
reply 504 syntaxerror
reply 521 notaccept
reply 523 failedstarttls
reply 524 failedstarttls
reply 525 securityerror
reply 530 securityerror
reply 534 securityerror
reply 535 securityerror
reply 538 failedstarttls
reply 550 onhold
reply 551 hasmoved
reply 552 mailboxfull
reply 553 onhold
reply 554 onhold
reply 555 syntaxerror
reply 556 notaccept
