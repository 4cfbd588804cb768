//go:build race

package nodeipc_test

// raceScale multiplies the tests' deadlines under the race detector, which
// runs Go code several times slower.
const raceScale = 3
