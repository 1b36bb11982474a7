format x
program (
rule info * ^
