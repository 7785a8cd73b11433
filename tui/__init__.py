"""inkstream: stream anything into a terminal chat."""
