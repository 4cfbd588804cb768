//go:build race

package main

// raceScale multiplies the bounds on uvpipe's waits (for a child to start,
// for a peer to answer) in a binary built with the race detector, which
// runs Go code several times slower; the tests, which run such a binary,
// scale their own waits by it too.
const raceScale = 3
