package nodejson

import (
	"math"
	"sort"
	"strconv"
	"sync"
	"unsafe"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// DefaultMaxDepth is the default limit on nesting of arrays and objects in a
// decoded message. JSON.parse has none; a limit keeps an untrusted peer from
// making the decoder work without bound.
const DefaultMaxDepth = 10000

// Decode parses one message as JSON.parse does and returns it in the model of
// package jsvalue: objects as *jsvalue.Object with their keys in the order
// JavaScript enumerates them (canonical array-index keys ascending first,
// then the others in order of first appearance; a repeated key keeps its
// first position and takes its last value), arrays as []any, numbers as
// float64 (-0 stays -0; a number too large for float64 is ±Inf, as in
// JavaScript), strings as WTF-8 (a \uXXXX escape of a lone surrogate is kept).
//
// data is taken as Node's IPC channel takes a line: invalid UTF-8 is replaced
// by U+FFFD (one per maximal invalid subsequence, as Node's StringDecoder
// does), which is a syntax error outside a string. Errors are *SyntaxError,
// or *LimitError when nesting exceeds DefaultMaxDepth.
func Decode(data []byte) (any, error) {
	p := getParser(data, DefaultMaxDepth)
	defer putParser(p)
	return p.parse()
}

// Unmarshal parses data as Decode does and stores the result in v as
// jsvalue.Assign does (the way encoding/json's Unmarshal fills Go values).
func Unmarshal(data []byte, v any) error {
	m, err := Decode(data)
	if err != nil {
		return err
	}
	return jsvalue.Assign(m, v)
}

// smallInts holds the numbers 0..1023 already stored in an interface, so the
// common small integers cost no allocation.
var smallInts = func() (t [1024]any) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

type parser struct {
	s        []byte
	i        int
	depth    int
	maxDepth int
	scratch  []byte             // string being unescaped
	vals     []any              // elements of the arrays being parsed
	props    []jsvalue.Property // properties of the objects being parsed
	strs     [256]string        // recently made short strings, by hash
	boxed    [256]any           // recently made short string values, by hash

	noNumberRuns bool // tests: parse arrays of numbers with the general loop
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

func getParser(data []byte, maxDepth int) *parser {
	p := parserPool.Get().(*parser)
	p.s, p.i, p.depth, p.maxDepth = data, 0, 0, maxDepth
	return p
}

// putParser returns p to the pool unless its stacks grew large.
func putParser(p *parser) {
	p.s = nil
	if cap(p.vals) > 1<<14 || cap(p.props) > 1<<12 || cap(p.scratch) > 1<<16 {
		return
	}
	parserPool.Put(p)
}

func (p *parser) fail(msg string) error {
	return &SyntaxError{Msg: msg, Offset: int64(p.i)}
}

func (p *parser) unexpected() error {
	if p.i >= len(p.s) {
		return p.fail("Unexpected end of JSON input")
	}
	c := p.s[p.i]
	if c < 0x20 || c >= 0x7F {
		return p.fail("Unexpected character 0x" + strconv.FormatUint(uint64(c), 16))
	}
	return p.fail("Unexpected token '" + string(rune(c)) + "'")
}

func (p *parser) parse() (any, error) {
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, p.fail("Unexpected non-whitespace character after JSON")
	}
	return v, nil
}

func (p *parser) skipSpace() {
	s, i := p.s, p.i // locals: the loop then keeps them in registers
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			p.i = i
			return
		}
	}
	p.i = i
}

func (p *parser) value() (any, error) {
	if p.i >= len(p.s) {
		return nil, p.unexpected()
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.strValue()
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, p.unexpected()
}

func (p *parser) literal(word string) error {
	for j := 0; j < len(word); j++ {
		if p.i >= len(p.s) || p.s[p.i] != word[j] {
			return p.unexpected()
		}
		p.i++
	}
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return &LimitError{Limit: "depth", Max: p.maxDepth}
	}
	return nil
}

func (p *parser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.i++
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return []any{}, nil
	}
	if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] >= '0' && p.s[p.i] <= '9') && !p.noNumberRuns {
		if n := p.numberCount(); n > 0 {
			return p.numberArray(n)
		}
	}
	base := len(p.vals)
	defer func() {
		clear(p.vals[base:])
		p.vals = p.vals[:base]
	}()
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if len(p.vals) == cap(p.vals) {
			// Double, rather than append's slower growth for large slices:
			// a Buffer's JSON form is an array of a million numbers.
			grown := make([]any, len(p.vals), max(64, 2*cap(p.vals)))
			copy(grown, p.vals)
			p.vals = grown
		}
		p.vals = append(p.vals, v)
		if end, err := p.afterElement(); err != nil {
			return nil, err
		} else if end {
			return append([]any(nil), p.vals[base:]...), nil
		}
	}
}

// afterElement reads what follows an array element: a ',' and white space
// (more elements follow), or the ']' that ends the array (end).
func (p *parser) afterElement() (end bool, err error) {
	p.skipSpace()
	if p.i >= len(p.s) {
		return false, p.unexpected()
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		p.skipSpace()
		return false, nil
	case ']':
		p.i++
		p.depth--
		return true, nil
	}
	return false, p.fail("Expected ',' or ']' after array element")
}

func (p *parser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.i++
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return &jsvalue.Object{}, nil
	}
	var seen map[string]int
	hasIndex := false
	base := len(p.props)
	defer func() {
		clear(p.props[base:])
		p.props = p.props[:base]
	}()
	for {
		if p.i >= len(p.s) {
			return nil, p.unexpected()
		}
		if p.s[p.i] != '"' {
			return nil, p.fail("Expected double-quoted property name")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			if p.i >= len(p.s) {
				return nil, p.unexpected()
			}
			return nil, p.fail("Expected ':' after property name")
		}
		p.i++
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if !hasIndex && len(key) > 0 && key[0] >= '0' && key[0] <= '9' {
			_, hasIndex = jsvalue.IsIndexKey(key)
		}
		seen = p.addProp(base, seen, key, v)
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.unexpected()
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case '}':
			p.i++
			p.depth--
			o := newObject(p.props[base:])
			if hasIndex {
				indexFirst(o.Props)
			}
			return o, nil
		default:
			return nil, p.fail("Expected ',' or '}' after property value")
		}
	}
}

// addProp sets key on the object whose properties start at p.props[base]: a
// repeated key keeps its position and takes the new value. Small objects are
// searched; larger ones get an index map.
func (p *parser) addProp(base int, seen map[string]int, key string, v any) map[string]int {
	props := p.props[base:]
	if seen == nil && len(props) < 16 {
		for i := range props {
			if props[i].Key == key {
				props[i].Value = v
				return nil
			}
		}
		p.props = append(p.props, jsvalue.Property{Key: key, Value: v})
		return nil
	}
	if seen == nil {
		seen = make(map[string]int, 2*len(props))
		for i, pr := range props {
			seen[pr.Key] = i
		}
	}
	if i, ok := seen[key]; ok {
		props[i].Value = v
		return seen
	}
	seen[key] = len(props)
	p.props = append(p.props, jsvalue.Property{Key: key, Value: v})
	return seen
}

// indexFirst reorders props as JavaScript enumerates them: canonical index
// keys ascending, then the rest in their order.
func indexFirst(props []jsvalue.Property) {
	sort.SliceStable(props, func(a, b int) bool {
		na, ia := jsvalue.IsIndexKey(props[a].Key)
		nb, ib := jsvalue.IsIndexKey(props[b].Key)
		if ia && ib {
			return na < nb
		}
		return ia && !ib
	})
}

func (p *parser) number() (any, error) {
	s, i := p.s, p.i // locals: the loops then keep them in registers
	start := i
	neg := false
	if s[i] == '-' {
		neg = true
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		p.i = i
		if i >= len(s) {
			return nil, p.unexpected()
		}
		return nil, p.fail("No number after minus sign")
	}
	var n int64
	digits := 0
	if s[i] == '0' {
		i++
		digits = 1
	} else {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if digits < 15 {
				n = n*10 + int64(s[i]-'0')
			}
			digits++
			i++
		}
	}
	p.i = i
	if i < len(s) && (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
		return p.numberTail(start)
	}
	if digits > 15 {
		return p.parseFloat(start)
	}
	if neg {
		if n == 0 {
			return math.Copysign(0, -1), nil
		}
		return float64(-n), nil
	}
	if n < int64(len(smallInts)) {
		return smallInts[n], nil
	}
	return float64(n), nil
}

// numberTail reads the fraction and exponent of the number that starts at
// start, from p.i, and converts the number.
func (p *parser) numberTail(start int) (any, error) {
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if !p.digits() {
			return nil, p.failNumber("Unterminated fractional number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return nil, p.failNumber("Exponent part is missing a number")
		}
	}
	return p.parseFloat(start)
}

// parseFloat converts the number text p.s[start:p.i], known to be valid JSON.
func (p *parser) parseFloat(start int) (any, error) {
	text := p.s[start:p.i]
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(text), len(text)), 64)
	if err != nil && !isRangeErr(err) {
		return nil, p.fail("bad number")
	}
	return f, nil
}

func (p *parser) failNumber(msg string) error {
	if p.i >= len(p.s) {
		return p.unexpected()
	}
	return p.fail(msg)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func (p *parser) digits() bool {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}
