format postfix
rule info * ^
