format x
rule reject smtpd,postscreen ^(?:(?<qid>NOQUEUE)|(?<qid>[0-9A-F]+)): (?<text>.*)$
