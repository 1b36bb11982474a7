format x
frobnicate [31mred Â› ÿ
rule info * .
