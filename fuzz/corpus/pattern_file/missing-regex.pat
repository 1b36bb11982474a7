format x
rule info
rule info *
rule info * 
rule * ^
