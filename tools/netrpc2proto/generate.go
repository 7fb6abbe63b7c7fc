package main

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// result is what one run produces.
type result struct {
	proto     string
	yaml      string
	textproto string
	report    []string
	failed    bool
	errors    int
}

// rpc is one generated rpc.
type rpc struct {
	m       *serviceMethod
	in, out protoRef
	sig     string
	ok      bool
}

type genService struct {
	svc       *service
	protoName string
	rpcs      []*rpc
}

func (g *generator) position(pos token.Pos) string {
	if !pos.IsValid() {
		return "netrpc2proto"
	}
	p := g.l.fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

func (g *generator) format(e reportEntry) string {
	return fmt.Sprintf("%s: %s: %s", g.position(e.pos), e.severity, e.msg)
}

// topLevel maps an argument or reply type: a struct is its message, a
// non-struct value an unwrap message.
func (g *generator) topLevel(t types.Type, base string) (protoRef, error) {
	d := deref(t)
	if isNamed(d, "time", "Time") || isNamed(d, "time", "Duration") {
		return g.singular(d, base)
	}
	switch d.Underlying().(type) {
	case *types.Struct:
		if marshaler(d) == "" {
			m, err := g.structMessage(d, base)
			return protoRef{msg: m}, err
		}
		return g.singular(d, base)
	case *types.Chan, *types.Signature, *types.Interface:
		return g.singular(d, base)
	}
	m, err := g.unwrapMessage(d, base)
	if err != nil {
		return protoRef{}, err
	}
	return protoRef{msg: m}, nil
}

func defaultPackage(l *loaded) string {
	name := l.pkg.Name()
	if name == "main" {
		abs, _ := filepath.Abs(l.dir)
		name = filepath.Base(abs)
	}
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9' && b.Len() > 0) || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		b.WriteString("netrpc")
	}
	return b.String() + ".v1"
}

func generate(dir string, opts *options) (*result, error) {
	l, err := loadPackage(dir)
	if err != nil {
		return nil, err
	}
	if opts.pkg == "" {
		opts.pkg = defaultPackage(l)
	}
	g := newGenerator(l, opts)
	res := &result{}
	var entries []reportEntry
	addErr := func(e reportEntry) {
		entries = append(entries, e)
		if e.severity == "error" {
			res.failed = true
			res.errors++
		}
	}

	found := l.findServices()
	registered := l.registeredNames()
	for _, s := range found {
		if n, ok := registered[s.typeName]; ok {
			s.name = n
		}
		if n, ok := opts.names[s.typeName]; ok {
			s.name = n
		}
	}
	for t := range opts.names {
		ok := false
		for _, s := range found {
			ok = ok || s.typeName == t
		}
		if !ok {
			addErr(reportEntry{severity: "error", msg: fmt.Sprintf("--name %s=%s: no type %s with methods net/rpc would register", t, opts.names[t], t)})
		}
	}
	var chosen []*service
	if len(opts.services) == 0 {
		chosen = found
	} else {
		for _, want := range opts.services {
			var hit *service
			for _, s := range found {
				if s.typeName == want || s.name == want {
					hit = s
				}
			}
			if hit == nil {
				addErr(reportEntry{severity: "error", msg: fmt.Sprintf("--services: no service %q in %s (found: %s)", want, l.pkg.Path(), serviceList(found))})
				continue
			}
			chosen = append(chosen, hit)
		}
	}
	if len(found) == 0 {
		addErr(reportEntry{severity: "error", msg: fmt.Sprintf("%s: no type has methods net/rpc would register (func (T) M(args A, reply *R) error)", l.pkg.Path())})
	}

	// Map every method's types.
	var gsvcs []*genService
	for _, s := range chosen {
		entries = append(entries, s.skipped...)
		gs := &genService{svc: s, protoName: exportName(s.name[strings.LastIndex(s.name, ".")+1:])}
		for _, m := range s.methods {
			r := &rpc{m: m, ok: true}
			r.sig = fmt.Sprintf("func (%s) %s(%s, *%s) error", m.recv, m.name, goTypeString(m.arg), goTypeString(m.reply))
			for _, a := range []struct {
				what string
				t    types.Type
			}{{"argument", m.arg}, {"reply", m.reply}} {
				if _, isArr := deref(a.t).Underlying().(*types.Array); isArr {
					g.note(m.pos, "%s.%s: %s %s: a Go array maps to a repeated field; Go can send it to the bridge, but the bridge sends a slice, which Go cannot decode into an array", s.name, m.name, a.what, goTypeString(a.t))
				}
			}
			var err1, err2 error
			r.in, err1 = g.topLevel(m.arg, m.name+"Args")
			r.out, err2 = g.topLevel(m.reply, m.name+"Reply")
			if err1 != nil {
				addErr(reportEntry{pos: m.pos, severity: "error", msg: fmt.Sprintf("%s.%s: argument %s: %v", s.name, m.name, goTypeString(m.arg), err1)})
				r.ok = false
			}
			if err2 != nil {
				addErr(reportEntry{pos: m.pos, severity: "error", msg: fmt.Sprintf("%s.%s: reply %s: %v", s.name, m.name, goTypeString(m.reply), err2)})
				r.ok = false
			}
			gs.rpcs = append(gs.rpcs, r)
		}
		gsvcs = append(gsvcs, gs)
	}

	// A method is generated when nothing its types reach failed.
	reported := map[*message]bool{}
	var order []interface{}
	inOrder := map[interface{}]bool{}
	for _, gs := range gsvcs {
		for _, r := range gs.rpcs {
			if !r.ok {
				continue
			}
			var closure []interface{}
			seen := map[interface{}]bool{}
			var walk func(x interface{})
			walk = func(x interface{}) {
				if x == nil || seen[x] {
					return
				}
				seen[x] = true
				closure = append(closure, x)
				if m, ok := x.(*message); ok {
					for _, ref := range m.refs {
						walk(ref)
					}
				}
			}
			for _, ref := range []protoRef{r.in, r.out} {
				if ref.msg != nil {
					walk(ref.msg)
				}
				if ref.enum != nil {
					walk(ref.enum)
				}
			}
			var bad []string
			for _, x := range closure {
				if m, ok := x.(*message); ok && len(m.errs) > 0 {
					bad = append(bad, m.goName)
					if !reported[m] {
						reported[m] = true
						for _, e := range m.errs {
							addErr(e)
						}
					}
				}
			}
			if len(bad) > 0 {
				sort.Strings(bad)
				r.ok = false
				what := "not generated"
				if opts.skipUnsupported {
					what = "left out (--skip_unsupported)"
				}
				entries = append(entries, reportEntry{pos: r.m.pos, severity: "error", msg: fmt.Sprintf("%s.%s: %s: it uses %s, which cannot be mapped", gs.svc.name, r.m.name, what, strings.Join(bad, ", "))})
				res.errors++
				continue
			}
			for _, x := range closure {
				if !inOrder[x] {
					inOrder[x] = true
					order = append(order, x)
				}
			}
		}
	}
	g.assignNames(gsvcs, order)

	for _, e := range entries {
		res.report = append(res.report, g.format(e))
	}
	for _, e := range g.notes {
		res.report = append(res.report, g.format(e))
	}
	res.proto = g.emitProto(gsvcs, order)
	res.yaml, res.textproto = g.emitConfig(gsvcs, order)
	return res, nil
}

func serviceList(s []*service) string {
	var names []string
	for _, x := range s {
		names = append(names, x.name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// assignNames gives every emitted message and enum its proto name:
// the Go name for the package's own types, the Go name prefixed with its
// package's name for another package's type whose name is taken, a
// numbered name as a last resort.
func (g *generator) assignNames(gsvcs []*genService, order []interface{}) {
	taken := map[string]bool{}
	alloc := func(base string) string {
		cand := base
		for n := 2; taken[cand]; n++ {
			cand = base + strconv.Itoa(n)
		}
		taken[cand] = true
		return cand
	}
	for _, gs := range gsvcs {
		gs.protoName = alloc(gs.protoName)
	}
	// How many distinct Go types want each base name.
	wants := map[string]int{}
	for _, x := range order {
		switch v := x.(type) {
		case *message:
			if !v.wrapper {
				wants[v.base]++
			}
		case *enum:
			wants[v.base]++
		}
	}
	pick := func(base, prefix string, local bool) string {
		if !local && (wants[base] > 1 || taken[base]) && prefix != "" {
			return alloc(prefix + base)
		}
		return alloc(base)
	}
	// Local types first so they keep their Go names, then other packages'
	// types, then synthetic messages, then wrappers.
	for pass := 0; pass < 3; pass++ {
		for _, x := range order {
			switch v := x.(type) {
			case *message:
				if v.wrapper || v.name != "" {
					continue
				}
				synthetic := v.unwrap && v.pos == token.NoPos
				if (pass == 0 && v.local && !synthetic) || (pass == 1 && !v.local) || (pass == 2 && synthetic) {
					v.name = pick(v.base, v.prefix, v.local)
				}
			case *enum:
				if v.name == "" && ((pass == 0 && v.local) || (pass == 1 && !v.local)) {
					v.name = pick(v.base, v.prefix, v.local)
				}
			}
		}
	}
	for progress := true; progress; {
		progress = false
		for _, x := range order {
			m, ok := x.(*message)
			if !ok || !m.wrapper || m.name != "" {
				continue
			}
			e := m.fields[0].shape.elem
			if e.msg != nil && e.msg.name == "" {
				continue
			}
			m.base = m.wrapFn()
			m.name = alloc(m.base)
			progress = true
		}
	}
	// A wrapper that holds itself (type Tree []Tree) has no element name.
	for _, x := range order {
		if m, ok := x.(*message); ok && m.name == "" {
			m.name = alloc(exportName(labelOfKey(m.goName)) + "Wrapper")
		}
	}
	for _, x := range order {
		e, ok := x.(*enum)
		if !ok {
			continue
		}
		prefix := upperSnake(e.name) + "_"
		for _, v := range e.values {
			rest := "UNSPECIFIED"
			if v.goName != "" {
				rest = upperSnake(strings.TrimPrefix(v.goName, e.goName))
				if rest == "" || !isProtoIdent(rest) {
					rest = upperSnake(exportName(v.goName))
				}
			}
			v.name = alloc(prefix + rest)
		}
	}
}

func typeName(r protoRef) string {
	switch {
	case r.msg != nil:
		return r.msg.name
	case r.enum != nil:
		return r.enum.name
	}
	return r.scalar
}

func protoString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// needsGoName reports whether the bridge's default derivation misses the
// field's Go name.
func needsGoName(m *message, f *field) bool {
	return !m.unwrap && goCamelCase(f.name) != f.goName
}

func (g *generator) emitProto(gsvcs []*genService, order []interface{}) string {
	useOptions := g.opts.annotate == "proto"
	needTS, needDur, needOpts := false, false, false
	scan := func(r protoRef) {
		needTS = needTS || r.scalar == ".google.protobuf.Timestamp"
		needDur = needDur || r.scalar == ".google.protobuf.Duration"
	}
	for _, gs := range gsvcs {
		for _, r := range gs.rpcs {
			if r.ok {
				scan(r.in)
				scan(r.out)
			}
		}
	}
	for _, x := range order {
		if m, ok := x.(*message); ok {
			for _, f := range m.fields {
				scan(f.shape.elem)
				if needsGoName(m, f) {
					needOpts = true
				}
			}
			if m.unwrap || (!m.anon && m.name != m.goName) {
				needOpts = true
			}
		}
	}
	needOpts = needOpts && useOptions

	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by netrpc2proto from the Go package %s. DO NOT EDIT.\n", g.l.pkg.Path())
	fmt.Fprintf(&b, "// The net/rpc services of the package as gRPC services, for the\n// netrpc-gateway bridge (gob <-> protobuf by Go field name).\n")
	b.WriteString("syntax = \"proto3\";\n\n")
	fmt.Fprintf(&b, "package %s;\n", g.opts.pkg)
	var imports []string
	if needDur {
		imports = append(imports, "google/protobuf/duration.proto")
	}
	if needTS {
		imports = append(imports, "google/protobuf/timestamp.proto")
	}
	if needOpts {
		imports = append(imports, "proto/options/v1/netrpc.proto")
	}
	if len(imports) > 0 {
		b.WriteString("\n")
	}
	for _, i := range imports {
		fmt.Fprintf(&b, "import %q;\n", i)
	}
	if g.opts.goPackage != "" {
		fmt.Fprintf(&b, "\noption go_package = %s;\n", protoString(g.opts.goPackage))
	}
	for _, gs := range gsvcs {
		var rpcs []*rpc
		for _, r := range gs.rpcs {
			if r.ok {
				rpcs = append(rpcs, r)
			}
		}
		if len(rpcs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n// net/rpc service %q (Go type %s).\n", gs.svc.name, gs.svc.typeName)
		fmt.Fprintf(&b, "service %s {\n", gs.protoName)
		// Inside a service, protoc resolves a name to the service's own rpc
		// first: a message named like a method (Scale(args *Scale)) must be
		// written fully qualified.
		methods := map[string]bool{}
		for _, r := range rpcs {
			methods[r.m.name] = true
		}
		ref := func(r protoRef) string {
			n := typeName(r)
			if r.msg != nil && methods[n] {
				return "." + g.opts.pkg + "." + n
			}
			return n
		}
		for i, r := range rpcs {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "  // %s\n", r.sig)
			fmt.Fprintf(&b, "  rpc %s(%s) returns (%s);\n", r.m.name, ref(r.in), ref(r.out))
		}
		b.WriteString("}\n")
	}
	for _, x := range order {
		switch v := x.(type) {
		case *message:
			g.emitMessage(&b, v, useOptions)
		case *enum:
			g.emitEnum(&b, v)
		}
	}
	return b.String()
}

func (g *generator) emitMessage(b *strings.Builder, m *message, useOptions bool) {
	b.WriteString("\n")
	switch {
	case m.comment != "":
		fmt.Fprintf(b, "// %s\n", m.comment)
	case m.local:
		fmt.Fprintf(b, "// Go type %s.\n", m.goName)
	default:
		fmt.Fprintf(b, "// Go type %s.\n", strings.TrimPrefix(m.key, ""))
	}
	fmt.Fprintf(b, "message %s {\n", m.name)
	if useOptions && m.unwrap {
		b.WriteString("  option (netrpc.options.v1.unwrap) = true;\n")
	}
	if !m.unwrap && !m.anon && m.name != m.goName {
		if useOptions {
			fmt.Fprintf(b, "  option (netrpc.options.v1.go_type) = %s;\n", protoString(m.goName))
		} else {
			fmt.Fprintf(b, "  // Go type name (gob): %s\n", m.goName)
		}
	}
	for _, f := range m.fields {
		var t string
		switch {
		case f.shape.mapKey != "":
			t = fmt.Sprintf("map<%s, %s>", f.shape.mapKey, typeName(f.shape.elem))
		case f.shape.repeated:
			t = "repeated " + typeName(f.shape.elem)
		default:
			t = typeName(f.shape.elem)
		}
		opt := ""
		if useOptions && needsGoName(m, f) {
			opt = fmt.Sprintf(" [(netrpc.options.v1.go_name) = %s]", protoString(f.goName))
		}
		fmt.Fprintf(b, "  %s %s = %d%s;\n", t, f.name, f.number, opt)
	}
	b.WriteString("}\n")
}

func (g *generator) emitEnum(b *strings.Builder, e *enum) {
	fmt.Fprintf(b, "\n// Go type %s and its constants.\n", e.goName)
	fmt.Fprintf(b, "enum %s {\n", e.name)
	if e.alias {
		b.WriteString("  option allow_alias = true;\n")
	}
	for _, v := range e.values {
		c := ""
		if v.goName != "" {
			c = "  // " + v.goName
		}
		fmt.Fprintf(b, "  %s = %d;%s\n", v.name, v.value, c)
	}
	b.WriteString("}\n")
}

// emitConfig writes the gateway config fragment as YAML and as textproto.
func (g *generator) emitConfig(gsvcs []*genService, order []interface{}) (string, string) {
	type fieldName struct{ msg, field, goName string }
	var unwrap []string
	var names []fieldName
	if g.opts.annotate == "config" {
		for _, x := range order {
			m, ok := x.(*message)
			if !ok {
				continue
			}
			full := g.opts.pkg + "." + m.name
			if m.unwrap {
				unwrap = append(unwrap, full)
			}
			for _, f := range m.fields {
				if needsGoName(m, f) {
					names = append(names, fieldName{full, f.name, f.goName})
				}
			}
		}
	}
	type route struct{ service, grpcService string }
	var routes []route
	for _, gs := range gsvcs {
		any := false
		for _, r := range gs.rpcs {
			any = any || r.ok
		}
		if !any {
			continue
		}
		rt := route{service: gs.svc.name}
		if gs.protoName != gs.svc.name {
			rt.grpcService = g.opts.pkg + "." + gs.protoName
		}
		routes = append(routes, rt)
	}
	q := strconv.Quote
	var y, t strings.Builder
	header := fmt.Sprintf("Generated by netrpc2proto from the Go package %s: merge into the\n# gateway config; the upstream %q must be defined there (a netrpc upstream).\n", g.l.pkg.Path(), g.opts.upstream)
	y.WriteString("# " + header)
	t.WriteString("# " + header)
	fmt.Fprintf(&y, "schemas:\n- descriptor_set: %s\nbridge:\n  package: %s\n", q(g.opts.descriptorSet), q(g.opts.pkg))
	fmt.Fprintf(&t, "schemas { descriptor_set: %s }\nbridge {\n  package: %s\n", q(g.opts.descriptorSet), q(g.opts.pkg))
	if len(unwrap) > 0 {
		y.WriteString("  unwrap_messages:\n")
		for _, u := range unwrap {
			fmt.Fprintf(&y, "  - %s\n", q(u))
			fmt.Fprintf(&t, "  unwrap_messages: %s\n", q(u))
		}
	}
	if len(names) > 0 {
		y.WriteString("  field_names:\n")
		for _, n := range names {
			fmt.Fprintf(&y, "  - {message: %s, field: %s, go_name: %s}\n", q(n.msg), q(n.field), q(n.goName))
			fmt.Fprintf(&t, "  field_names { message: %s field: %s go_name: %s }\n", q(n.msg), q(n.field), q(n.goName))
		}
	}
	t.WriteString("}\n")
	if len(routes) == 0 {
		y.WriteString("routes: []\n")
	} else {
		y.WriteString("routes:\n")
	}
	for _, r := range routes {
		fmt.Fprintf(&y, "- service: %s\n", q(r.service))
		fmt.Fprintf(&t, "routes {\n  service: %s\n", q(r.service))
		if r.grpcService != "" {
			fmt.Fprintf(&y, "  grpc_service: %s\n", q(r.grpcService))
			fmt.Fprintf(&t, "  grpc_service: %s\n", q(r.grpcService))
		}
		fmt.Fprintf(&y, "  upstream: %s\n", q(g.opts.upstream))
		fmt.Fprintf(&t, "  upstream: %s\n}\n", q(g.opts.upstream))
	}
	return y.String(), t.String()
}

// labelOfKey is a CamelCase label of a Go type's printed form.
func labelOfKey(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r < 0x80 && (('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			if up && 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
			continue
		}
		up = true
	}
	return b.String()
}
