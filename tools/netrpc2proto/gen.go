package main

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// reportEntry is one line of the report on stderr.
type reportEntry struct {
	pos      token.Pos
	severity string // "error", "skip" or "note"
	msg      string
}

// protoRef is a singular proto type: a scalar, a message or an enum.
type protoRef struct {
	scalar string // "int64", ".google.protobuf.Timestamp", ...
	msg    *message
	enum   *enum
}

// shape is what a Go type becomes as a proto field.
type shape struct {
	repeated bool
	mapKey   string // proto map key scalar, when a map
	elem     protoRef
}

// field is one proto field of a message.
type field struct {
	goName  string
	name    string // proto name
	number  int
	shape   shape
	comment string
	pos     token.Pos
}

// message is one proto message.
type message struct {
	key     string // identity: the Go type, or a synthetic key
	goName  string // the name gob sends (go_type when it differs)
	base    string // name wanted before conflicts are resolved
	prefix  string // package prefix used on conflict ("" for local types)
	local   bool
	wrapper bool          // synthetic wrapper of a slice/map (unwrap)
	wrapFn  func() string // computes base for wrappers (depends on element names)
	unwrap  bool
	anon    bool   // an anonymous struct: no Go name to keep
	name    string // final proto name
	fields  []*field
	errs    []reportEntry
	refs    []interface{} // *message or *enum referenced by fields
	comment string
	pos     token.Pos
}

// enumValue is one enum constant.
type enumValue struct {
	goName string
	name   string
	value  int64
}

// enum is a Go named signed integer type with constants.
type enum struct {
	key    string
	goName string
	base   string
	prefix string
	local  bool
	name   string
	values []*enumValue
	alias  bool
	pos    token.Pos
}

// generator maps Go types to proto types.
type generator struct {
	l        *loaded
	opts     *options
	messages map[string]*message
	enums    map[string]*enum
	notes    []reportEntry
	noted    map[string]bool
}

func newGenerator(l *loaded, opts *options) *generator {
	return &generator{l: l, opts: opts, messages: map[string]*message{}, enums: map[string]*enum{}, noted: map[string]bool{}}
}

func (g *generator) note(pos token.Pos, format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	if g.noted[msg] {
		return
	}
	g.noted[msg] = true
	g.notes = append(g.notes, reportEntry{pos: pos, severity: "note", msg: msg})
}

func typeKey(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Path() })
}

func deref(t types.Type) types.Type {
	for {
		p, ok := t.(*types.Pointer)
		if !ok {
			return t
		}
		t = p.Elem()
	}
}

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// marshaler reports which gob-honoured marshalling interface t (or *t)
// implements, if any: gob then sends opaque bytes.
func marshaler(t types.Type) string {
	for _, m := range []string{"GobEncode", "MarshalBinary", "MarshalText"} {
		for _, tt := range []types.Type{t, types.NewPointer(t)} {
			obj, _, _ := types.LookupFieldOrMethod(tt, true, nil, m)
			if fn, ok := obj.(*types.Func); ok {
				sig := fn.Type().(*types.Signature)
				if sig.Params().Len() == 0 && sig.Results().Len() == 2 {
					return m
				}
			}
		}
	}
	return ""
}

// mapErr is why a Go type has no proto form.
type mapErr struct{ why string }

func (e *mapErr) Error() string { return e.why }

func errf(format string, args ...interface{}) error {
	return &mapErr{fmt.Sprintf(format, args...)}
}

func basicScalar(b *types.Basic) (string, error) {
	switch b.Kind() {
	case types.Bool, types.UntypedBool:
		return "bool", nil
	case types.Int, types.Int64:
		return "int64", nil
	case types.Int8, types.Int16, types.Int32:
		return "int32", nil
	case types.Uint, types.Uint64, types.Uintptr:
		return "uint64", nil
	case types.Uint8, types.Uint16, types.Uint32:
		return "uint32", nil
	case types.Float32:
		return "float", nil
	case types.Float64:
		return "double", nil
	case types.String:
		return "string", nil
	case types.Complex64, types.Complex128:
		return "", errf("complex numbers have no protobuf type")
	case types.UnsafePointer:
		return "", errf("gob cannot send unsafe.Pointer")
	}
	return "", errf("%s: no protobuf type", b.Name())
}

// shapeOf maps a Go type to a field shape. hint names synthetic messages.
func (g *generator) shapeOf(t types.Type, hint string) (shape, error) {
	t = deref(t)
	if isWellKnown(t) || marshaler(t) != "" {
		r, err := g.singular(t, hint)
		return shape{elem: r}, err
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Uint8 {
			return shape{elem: protoRef{scalar: "bytes"}}, nil
		}
		r, err := g.singular(u.Elem(), hint)
		return shape{repeated: true, elem: r}, err
	case *types.Array:
		r, err := g.singular(u.Elem(), hint)
		return shape{repeated: true, elem: r}, err
	case *types.Map:
		k, err := mapKey(u.Key())
		if err != nil {
			return shape{}, err
		}
		r, err := g.singular(u.Elem(), hint)
		return shape{mapKey: k, elem: r}, err
	}
	r, err := g.singular(t, hint)
	return shape{elem: r}, err
}

func mapKey(t types.Type) (string, error) {
	b, ok := t.Underlying().(*types.Basic)
	if ok {
		switch b.Kind() {
		case types.Float32, types.Float64:
			return "", errf("map key %s: protobuf map keys are integers, strings or bools, not floats", goTypeString(t))
		}
		s, err := basicScalar(b)
		if err == nil {
			return s, nil
		}
	}
	return "", errf("map key %s: protobuf map keys are integers, strings or bools", goTypeString(t))
}

func isWellKnown(t types.Type) bool {
	return isNamed(t, "time", "Time") || isNamed(t, "time", "Duration")
}

// singular maps a Go type to one proto type, wrapping slices and maps in
// unwrap messages.
func (g *generator) singular(t types.Type, hint string) (protoRef, error) {
	t = deref(t)
	if isNamed(t, "time", "Time") {
		return protoRef{scalar: ".google.protobuf.Timestamp"}, nil
	}
	if isNamed(t, "time", "Duration") {
		return protoRef{scalar: ".google.protobuf.Duration"}, nil
	}
	if m := marshaler(t); m != "" {
		return protoRef{}, errf("%s implements %s: gob sends it as opaque bytes, which the bridge maps only for time.Time", goTypeString(t), m)
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if named, ok := t.(*types.Named); ok && g.opts.enums {
			if e := g.enumFor(named); e != nil {
				return protoRef{enum: e}, nil
			}
		}
		s, err := basicScalar(u)
		return protoRef{scalar: s}, err
	case *types.Struct:
		m, err := g.structMessage(t, hint)
		return protoRef{msg: m}, err
	case *types.Slice, *types.Array, *types.Map:
		if sl, ok := u.(*types.Slice); ok {
			if b, ok := sl.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Uint8 {
				return protoRef{scalar: "bytes"}, nil
			}
		}
		m, err := g.wrapper(t, hint)
		if err != nil {
			return protoRef{}, err
		}
		return protoRef{msg: m}, nil
	case *types.Interface:
		return protoRef{}, errf("%s is an interface: gob needs gob.Register'ed concrete types and the bridge has no mapping for them (google.protobuf.Any is refused)", goTypeString(t))
	case *types.Chan:
		return protoRef{}, errf("%s is a channel: gob cannot send channels", goTypeString(t))
	case *types.Signature:
		return protoRef{}, errf("%s is a function: gob cannot send functions", goTypeString(t))
	}
	return protoRef{}, errf("%s: no protobuf type", goTypeString(t))
}

// refLabel is a CamelCase label of a proto type, for wrapper names.
func refLabel(r protoRef) string {
	switch {
	case r.msg != nil:
		return r.msg.name
	case r.enum != nil:
		return r.enum.name
	}
	s := strings.TrimPrefix(r.scalar, ".google.protobuf.")
	return strings.ToUpper(s[:1]) + s[1:]
}

// wrapper is an unwrap message standing for a slice or map that cannot be a
// field directly (an element of a slice or a map value).
func (g *generator) wrapper(t types.Type, hint string) (*message, error) {
	key := "wrap:" + typeKey(t)
	if m, ok := g.messages[key]; ok {
		return m, nil
	}
	m := &message{key: key, goName: goTypeString(t), wrapper: true, unwrap: true}
	g.messages[key] = m
	s, err := g.shapeOf(t, hint)
	if err != nil {
		delete(g.messages, key)
		return nil, err
	}
	m.fields = []*field{{goName: "", name: "value", number: 1, shape: s}}
	m.addRef(s.elem)
	m.wrapFn = func() string {
		if s.mapKey != "" {
			return refLabel(protoRef{scalar: s.mapKey}) + refLabel(s.elem) + "Map"
		}
		return refLabel(s.elem) + "List"
	}
	m.comment = "Go " + goTypeString(t) + " (a wrapper: a protobuf repeated or map field cannot hold another)."
	return m, nil
}

// unwrapMessage stands for a non-struct argument or reply.
func (g *generator) unwrapMessage(t types.Type, base string) (*message, error) {
	t = deref(t)
	key := "unwrap:" + typeKey(t)
	named, isNamedT := t.(*types.Named)
	if !isNamedT {
		key += ":" + base
	}
	if m, ok := g.messages[key]; ok {
		return m, nil
	}
	m := &message{key: key, goName: goTypeString(t), unwrap: true, base: base, local: true}
	if isNamedT {
		m.base = exportName(named.Obj().Name())
		m.pos = named.Obj().Pos()
		m.local = named.Obj().Pkg() == g.l.pkg
		if !m.local && named.Obj().Pkg() != nil {
			m.prefix = exportName(named.Obj().Pkg().Name())
		}
	}
	g.messages[key] = m
	s, err := g.shapeOf(t, base)
	if err != nil {
		delete(g.messages, key)
		return nil, err
	}
	m.fields = []*field{{name: "value", number: 1, shape: s}}
	m.addRef(s.elem)
	m.comment = "Go " + goTypeString(t) + ": a non-struct net/rpc value (unwrap)."
	return m, nil
}

func (m *message) addRef(r protoRef) {
	if r.msg != nil {
		m.refs = append(m.refs, r.msg)
	}
	if r.enum != nil {
		m.refs = append(m.refs, r.enum)
	}
}

// structMessage maps a struct type (named or not) to a message.
func (g *generator) structMessage(t types.Type, hint string) (*message, error) {
	key := typeKey(t)
	if m, ok := g.messages[key]; ok {
		return m, nil
	}
	st := t.Underlying().(*types.Struct)
	m := &message{key: key, goName: goTypeString(t), local: true}
	if named, ok := t.(*types.Named); ok {
		obj := named.Obj()
		m.pos = obj.Pos()
		m.goName = obj.Name()
		if named.TypeArgs().Len() > 0 {
			// reflect names an instance Page[pkg/path.Item].
			var args []string
			for i := 0; i < named.TypeArgs().Len(); i++ {
				args = append(args, typeKey(named.TypeArgs().At(i)))
			}
			m.goName += "[" + strings.Join(args, ",") + "]"
		}
		m.base = exportName(obj.Name())
		for i := 0; i < named.TypeArgs().Len(); i++ {
			m.base += exportName(labelOf(named.TypeArgs().At(i)))
		}
		if obj.Pkg() != g.l.pkg {
			m.local = false
			if obj.Pkg() != nil {
				m.prefix = exportName(obj.Pkg().Name())
			}
		}
	} else {
		m.base = exportName(hint)
		m.anon = true
		m.comment = "Go " + goTypeString(t) + " (an anonymous struct)."
	}
	g.messages[key] = m
	owner := m.goName
	used := map[string]bool{}
	usedJSON := map[string]bool{}
	sent := 0
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		if !v.Exported() {
			continue
		}
		where := owner + "." + v.Name()
		ft := deref(v.Type())
		switch ft.Underlying().(type) {
		case *types.Chan, *types.Signature:
			g.note(v.Pos(), "field %s (%s) is not in the proto: gob ignores chan and func fields", where, goTypeString(v.Type()))
			continue
		}
		sent++
		s, err := g.shapeOf(v.Type(), m.base+v.Name())
		if err != nil {
			m.errs = append(m.errs, reportEntry{pos: v.Pos(), severity: "error", msg: fmt.Sprintf("field %s (%s): %v", where, goTypeString(v.Type()), err)})
			continue
		}
		if hasArray(v.Type()) {
			g.note(v.Pos(), "field %s (%s): a Go array maps to a repeated field; Go can send it to the bridge, but the bridge sends a slice, which Go cannot decode into an array", where, goTypeString(v.Type()))
		}
		if v.Anonymous() {
			g.note(v.Pos(), "embedded field %s: gob sends it as one field named %s (not flattened), and so does the proto", where, v.Name())
		}
		f := &field{goName: v.Name(), shape: s, pos: v.Pos()}
		f.name = uniqueFieldName(protoFieldName(v.Name(), len(m.fields)+1), used, usedJSON)
		f.number = len(m.fields) + 1
		m.fields = append(m.fields, f)
		m.addRef(s.elem)
	}
	if st.NumFields() > 0 && sent == 0 {
		m.errs = append(m.errs, reportEntry{pos: m.pos, severity: "error", msg: fmt.Sprintf("type %s has no exported fields: gob refuses to send it", m.goName)})
	}
	return m, nil
}

// labelOf is a short CamelCase label of a Go type.
func labelOf(t types.Type) string {
	t = deref(t)
	switch u := t.(type) {
	case *types.Named:
		return u.Obj().Name()
	case *types.Basic:
		return u.Name()
	case *types.Slice:
		return labelOf(u.Elem()) + "List"
	case *types.Map:
		return labelOf(u.Key()) + labelOf(u.Elem()) + "Map"
	}
	return "T"
}

// enumFor returns the enum of a named signed integer type with constants
// in int32 range declared in its package, or nil.
func (g *generator) enumFor(named *types.Named) *enum {
	key := typeKey(named)
	if e, ok := g.enums[key]; ok {
		return e
	}
	b := named.Underlying().(*types.Basic)
	if b.Info()&types.IsInteger == 0 || b.Info()&types.IsUnsigned != 0 || named.Obj().Pkg() == nil {
		return nil
	}
	scope := named.Obj().Pkg().Scope()
	var vals []*enumValue
	for _, n := range scope.Names() {
		c, ok := scope.Lookup(n).(*types.Const)
		if !ok || !types.Identical(c.Type(), named) || !c.Exported() {
			continue
		}
		v, exact := constantInt64(c)
		if !exact || v < -1<<31 || v > 1<<31-1 {
			return nil
		}
		vals = append(vals, &enumValue{goName: c.Name(), value: v})
	}
	if len(vals) == 0 {
		return nil
	}
	obj := named.Obj()
	e := &enum{key: key, goName: obj.Name(), base: exportName(obj.Name()), local: obj.Pkg() == g.l.pkg, pos: obj.Pos()}
	if !e.local {
		e.prefix = exportName(obj.Pkg().Name())
	}
	sort.SliceStable(vals, func(i, j int) bool {
		if vals[i].value != vals[j].value {
			return vals[i].value < vals[j].value
		}
		return scope.Lookup(vals[i].goName).Pos() < scope.Lookup(vals[j].goName).Pos()
	})
	// proto3: the first value must be zero.
	zero := -1
	for i, v := range vals {
		if v.value == 0 {
			zero = i
			break
		}
	}
	if zero < 0 {
		vals = append([]*enumValue{{goName: "", value: 0}}, vals...)
	} else {
		z := vals[zero]
		vals = append(append([]*enumValue{z}, vals[:zero]...), vals[zero+1:]...)
	}
	seen := map[int64]bool{}
	for _, v := range vals {
		if seen[v.value] {
			e.alias = true
		}
		seen[v.value] = true
	}
	e.values = vals
	g.enums[key] = e
	return e
}

// hasArray reports whether t holds a Go array (outside structs).
func hasArray(t types.Type) bool {
	switch u := deref(t).Underlying().(type) {
	case *types.Array:
		return true
	case *types.Slice:
		return hasArray(u.Elem())
	case *types.Map:
		return hasArray(u.Elem())
	}
	return false
}
