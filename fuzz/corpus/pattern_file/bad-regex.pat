format x
rule info * (unclosed
rule info * [z-a]
rule info * a{2,1}
rule info * ok
