format x
program ^postfix(?:/\S+)?$
rule delivery smtp,lmtp ^(?<qid>[0-9A-F]{5,}): to=<(?<to>[^>]*)>, (?<fields>(?:[a-z_]+=[^,]*, )*?)status=(?<status>\w+)(?: \((?<text>.*))?$
