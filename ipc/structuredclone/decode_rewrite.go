package structuredclone

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// rewriter replaces, inside a decoded value, the references to an array's
// first-guess representation (old) with its settled one (new). It is only
// needed when an array refers to itself and its representation changed.
type rewriter struct {
	old, new any
	seen     map[any]bool
}

func (r *rewriter) fix(v any) any {
	if sameRef(v, r.old) {
		return r.new
	}
	r.children(v)
	return v
}

// children rewrites what v holds, visiting each object once.
func (r *rewriter) children(v any) {
	var key any
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return
		}
		key = &x[0]
	case *jsvalue.Object, *jsvalue.Array, *jsvalue.SparseArray, *jsvalue.Map, *jsvalue.Set, *jsvalue.Error:
		key = x
	default:
		return
	}
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	switch x := v.(type) {
	case []any:
		r.list(x)
	case *jsvalue.Object:
		r.props(x.Props)
	case *jsvalue.Array:
		r.list(x.Elements)
		r.props(x.Props)
	case *jsvalue.SparseArray:
		for i := range x.Elements {
			x.Elements[i].Value = r.fix(x.Elements[i].Value)
		}
		r.props(x.Props)
	case *jsvalue.Map:
		for i := range x.Entries {
			x.Entries[i].Key = r.fix(x.Entries[i].Key)
			x.Entries[i].Value = r.fix(x.Entries[i].Value)
		}
	case *jsvalue.Set:
		r.list(x.Values)
	case *jsvalue.Error:
		x.Cause = r.fix(x.Cause)
		r.list(x.Errors)
	}
}

func (r *rewriter) list(xs []any) {
	for i := range xs {
		xs[i] = r.fix(xs[i])
	}
}

func (r *rewriter) props(ps []jsvalue.Property) {
	for i := range ps {
		ps[i].Value = r.fix(ps[i].Value)
	}
}
