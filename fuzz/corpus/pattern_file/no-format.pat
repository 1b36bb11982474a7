rule info * ^
