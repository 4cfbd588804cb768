package jsvalue

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Numbers are written as Number.prototype.toString writes them.
func TestNumbers(t *testing.T) {
	point1 := 0.1
	cases := map[float64]string{
		0: "0", math.Copysign(0, -1): "0", 1: "1", -1: "-1", 1e21: "1e+21", 1e20: "100000000000000000000",
		1e-7: "1e-7", 1.5e-7: "1.5e-7", 1e-6: "0.000001", 5e-324: "5e-324", 1<<53 + 2: "9007199254740994",
		point1 + 0.2: "0.30000000000000004", 123456789012345680000: "123456789012345680000",
		math.NaN(): "null", math.Inf(-1): "null", 1.7976931348623157e308: "1.7976931348623157e+308",
		-1.5: "-1.5", 123.456: "123.456", 1e17 + 16: "100000000000000020",
	}
	for f, want := range cases {
		assert.Equal(t, want, string(appendNumber(nil, f)), "%v", f)
	}
}

// NumberString is String(number): names for NaN and the infinities, -0 as 0.
func TestNumberString(t *testing.T) {
	cases := map[float64]string{
		math.NaN(): "NaN", math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", math.Copysign(0, -1): "0",
		1e20: "100000000000000000000", 1e21: "1e+21", 0.1: "0.1", -2: "-2",
	}
	for f, want := range cases {
		assert.Equal(t, want, NumberString(f), "%v", f)
	}
}
