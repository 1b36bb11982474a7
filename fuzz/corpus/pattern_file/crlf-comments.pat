# comment

   # indented
format  crlf 
	rule	info	*	^x$
