package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// loaded is one type-checked Go package.
type loaded struct {
	fset  *token.FileSet
	pkg   *types.Package
	files []*ast.File
	info  *types.Info
	dir   string
}

// loadPackage parses and type-checks the package in dir, with imports read
// from source (GOROOT, then GOPATH; GO111MODULE=off rules, nothing
// downloaded).
func loadPackage(dir string) (*loaded, error) {
	// The source importer reads build.Default. A binary built with -trimpath
	// does not know its GOROOT: ask the go command, as go/build would.
	build.Default.CgoEnabled = false
	if build.Default.GOROOT == "" {
		build.Default.GOROOT = findGOROOT()
	}
	ctxt := build.Default
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	bp, err := ctxt.ImportDir(abs, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", dir, err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no Go files", dir)
	}
	var errs []string
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "source", nil).(types.ImporterFrom),
		Error: func(err error) {
			if len(errs) < 10 {
				errs = append(errs, err.Error())
			}
		},
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	path := bp.ImportPath
	if path == "" || path == "." {
		path = bp.Name
	}
	pkg, _ := conf.Check(path, fset, files, info)
	if len(errs) > 0 {
		return nil, fmt.Errorf("package does not type-check:\n  %s", strings.Join(errs, "\n  "))
	}
	return &loaded{fset: fset, pkg: pkg, files: files, info: info, dir: dir}, nil
}

// registeredNames finds rpc.RegisterName("Name", value) calls (package
// function or (*rpc.Server).RegisterName) whose name is a constant and
// returns type name -> service name.
func (l *loaded) registeredNames() map[string]string {
	out := map[string]string{}
	for _, f := range l.files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "RegisterName" {
				return true
			}
			obj := l.info.Uses[sel.Sel]
			if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "net/rpc" {
				return true
			}
			tv, ok := l.info.Types[call.Args[0]]
			if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
				return true
			}
			at, ok := l.info.Types[call.Args[1]]
			if !ok {
				return true
			}
			t := at.Type
			for {
				p, ok := t.(*types.Pointer)
				if !ok {
					break
				}
				t = p.Elem()
			}
			if named, ok := t.(*types.Named); ok && named.Obj().Pkg() == l.pkg {
				out[named.Obj().Name()] = constant.StringVal(tv.Value)
			}
			return true
		})
	}
	return out
}

// serviceMethod is one method net/rpc would register.
type serviceMethod struct {
	name  string
	recv  string // "T" or "*T"
	pos   token.Pos
	arg   types.Type // as declared (may be a pointer)
	reply types.Type // the pointer's element
}

// service is one type with methods net/rpc would register.
type service struct {
	typeName string
	name     string // net/rpc service name
	pos      token.Pos
	methods  []*serviceMethod
	skipped  []reportEntry // methods net/rpc would not register, Go's words
}

var errorType = types.Universe.Lookup("error").Type()

// isExportedOrBuiltin is net/rpc's isExportedOrBuiltinType.
func isExportedOrBuiltin(t types.Type) bool {
	for {
		p, ok := t.(*types.Pointer)
		if !ok {
			break
		}
		t = p.Elem()
	}
	switch t := t.(type) {
	case *types.Named:
		return token.IsExported(t.Obj().Name()) || t.Obj().Pkg() == nil
	case *types.Basic:
		return true
	default:
		return true // unnamed: PkgPath() == ""
	}
}

// goTypeString prints a type as reflect's String does (package names, not
// paths).
func goTypeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// findServices applies net/rpc's suitableMethods to the pointer method set
// of every exported named type of the package and keeps the types with at
// least one suitable method.
func (l *loaded) findServices() []*service {
	var out []*service
	scope := l.pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 {
			continue
		}
		if _, isIface := named.Underlying().(*types.Interface); isIface {
			continue
		}
		svc := &service{typeName: name, name: name, pos: tn.Pos()}
		mset := types.NewMethodSet(types.NewPointer(named))
		var sels []*types.Selection
		for i := 0; i < mset.Len(); i++ {
			sels = append(sels, mset.At(i))
		}
		// reflect's method order: by name.
		sort.Slice(sels, func(i, j int) bool { return sels[i].Obj().Name() < sels[j].Obj().Name() })
		for _, sel := range sels {
			fn := sel.Obj().(*types.Func)
			mname := fn.Name()
			if !fn.Exported() {
				continue
			}
			sig := fn.Type().(*types.Signature)
			skip := func(format string, args ...interface{}) {
				svc.skipped = append(svc.skipped, reportEntry{
					pos: fn.Pos(), severity: "skip",
					msg: fmt.Sprintf("%s.%s: not registered by net/rpc: rpc.Register: ", name, mname) + fmt.Sprintf(format, args...),
				})
			}
			if sig.Params().Len() != 2 || sig.Variadic() {
				n := sig.Params().Len() + 1
				skip("method %q has %d input parameters; needs exactly three", mname, n)
				continue
			}
			argType := sig.Params().At(0).Type()
			if !isExportedOrBuiltin(argType) {
				skip("argument type of method %q is not exported: %q", mname, goTypeString(argType))
				continue
			}
			replyType := sig.Params().At(1).Type()
			rp, ok := replyType.(*types.Pointer)
			if !ok {
				skip("reply type of method %q is not a pointer: %q", mname, goTypeString(replyType))
				continue
			}
			if !isExportedOrBuiltin(replyType) {
				skip("reply type of method %q is not exported: %q", mname, goTypeString(replyType))
				continue
			}
			if sig.Results().Len() != 1 {
				skip("method %q has %d output parameters; needs exactly one", mname, sig.Results().Len())
				continue
			}
			if rt := sig.Results().At(0).Type(); !types.Identical(rt, errorType) {
				skip("return type of method %q is %q, must be error", mname, goTypeString(rt))
				continue
			}
			recv := name
			if _, ptr := sig.Recv().Type().(*types.Pointer); ptr {
				recv = "*" + name
			}
			svc.methods = append(svc.methods, &serviceMethod{name: mname, recv: recv, pos: fn.Pos(), arg: argType, reply: rp.Elem()})
		}
		if len(svc.methods) > 0 {
			out = append(out, svc)
		}
	}
	return out
}

// findGOROOT is $GOROOT, else `go env GOROOT`, else Debian's /usr/lib/go.
func findGOROOT() string {
	if r := os.Getenv("GOROOT"); r != "" {
		return r
	}
	for _, gobin := range []string{"go", "/usr/bin/go"} {
		out, err := exec.Command(gobin, "env", "GOROOT").Output()
		if r := string(bytes.TrimSpace(out)); err == nil && r != "" {
			return r
		}
	}
	return "/usr/lib/go"
}
