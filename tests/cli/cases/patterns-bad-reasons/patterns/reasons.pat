format reasons
# The second rule has an unclosed group; the others still work.
phrase userunknown strong en \bnobody here\b
phrase mailboxfull strong en (full
reply 550 onhold
