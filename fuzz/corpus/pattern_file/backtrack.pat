format x
rule info * ^(a+)+$
rule info * ^(?:(?:.*)*)*x
