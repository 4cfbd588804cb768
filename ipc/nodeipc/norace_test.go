//go:build !race

package nodeipc_test

// raceScale multiplies the tests' deadlines under the race detector (1
// without it).
const raceScale = 1
