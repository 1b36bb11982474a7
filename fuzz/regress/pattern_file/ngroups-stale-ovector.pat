format x
rule info smtp ^(.)(.)(.*)$
rule info qmgr ^
