//go:build !race

package main

// raceScale multiplies the bounds on uvpipe's waits in a binary built with
// the race detector (see race.go); without it they are as written.
const raceScale = 1
