// Unit tests of netrpc2proto's generator. go_test.sh copies this file next
// to tools/netrpc2proto's sources and runs `go test` with GOPATH set to
// testdata/gopath (the inventory estate).
package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func inventoryDir(t *testing.T) string {
	t.Helper()
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		t.Fatal("GOPATH is unset (run through go_test.sh)")
	}
	return filepath.Join(gopath, "src", "example.com", "inventory")
}

// runTool runs the command line and returns its exit status, stdout and
// stderr.
func runTool(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q; whole text:\n%s", what, w, text)
		}
	}
}

func mustNotContain(t *testing.T, what, text string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(text, w) {
			t.Errorf("%s has %q; whole text:\n%s", what, w, text)
		}
	}
}

// writePkg writes a one-file package into a temporary directory.
func writePkg(t *testing.T, src string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "estate")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "estate.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestGoCamelCaseIsTheBridgesRule(t *testing.T) {
	// bridge/convert/names_test.cc's cases.
	for in, want := range map[string]string{
		"user_id": "UserId", "x_1": "X_1", "_foo": "XFoo", "foo_bar_baz": "FooBarBaz",
		"http2_server": "Http2Server", "a_b_c": "ABC", "lat": "Lat", "fl32": "Fl32",
		"already_Upper": "Already_Upper", "": "",
	} {
		if got := goCamelCase(in); got != want {
			t.Errorf("goCamelCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFieldNamesAndWhenGoNameIsNeeded(t *testing.T) {
	for _, c := range []struct {
		goName, proto string
		needGoName    bool
	}{
		{"Name", "name", false},
		{"UserID", "user_id", true},
		{"CreatedBy", "created_by", false},
		{"HTTPServer", "http_server", true},
		{"URLs", "urls", true},
		{"I32", "i32", false},
		{"Fl32", "fl32", false},
		{"X1Y", "x1_y", false},
		{"WidthMM", "width_mm", true},
		{"V2API", "v2_api", true},
		{"Some_Thing", "some_thing", true},
		{"A", "a", false},
	} {
		got := protoFieldName(c.goName, 1)
		if got != c.proto {
			t.Errorf("protoFieldName(%q) = %q, want %q", c.goName, got, c.proto)
		}
		if need := goCamelCase(got) != c.goName; need != c.needGoName {
			t.Errorf("%q -> %q: go_name needed = %v, want %v", c.goName, got, need, c.needGoName)
		}
	}
	if got := protoFieldName("Größe", 4); got != "field_4" {
		t.Errorf("non-ASCII name: got %q, want field_4", got)
	}
}

// e2eFlags are the flags of the BUILD's generated schema.
var e2eFlags = []string{"--package=inventory.v1", "--services=Catalog,Accounts", "--name=Users=Accounts", "--upstream=inventoryd"}

func TestInventoryProto(t *testing.T) {
	code, proto, report := runTool(append(e2eFlags, inventoryDir(t))...)
	if code != 0 {
		t.Fatalf("exit %d; report:\n%s", code, report)
	}
	mustContain(t, "proto", proto,
		"syntax = \"proto3\";",
		"package inventory.v1;",
		`import "google/protobuf/duration.proto";`,
		`import "google/protobuf/timestamp.proto";`,
		`import "proto/options/v1/netrpc.proto";`,
		// Services and rpcs: arg and reply types, non-struct values.
		"service Catalog {",
		"  // func (*Catalog) Get(string, *inventory.Item) error\n  rpc Get(GetArgs) returns (Item);",
		"rpc Put(Item) returns (Item);",
		"rpc Count(Filter) returns (CountReply);",
		"rpc Search(Filter) returns (SearchReply);",
		"rpc Stock(SKU) returns (StockReport);",
		"rpc Touch(TouchArgs) returns (.google.protobuf.Timestamp);",
		"service Accounts {", // RegisterName via --name
		"rpc Find(FindArgs) returns (User);",
		// Unwrapped non-struct values.
		"message CountReply {\n  option (netrpc.options.v1.unwrap) = true;\n  int64 value = 1;\n}",
		"message GetArgs {\n  option (netrpc.options.v1.unwrap) = true;\n  string value = 1;\n}",
		"message SearchReply {\n  option (netrpc.options.v1.unwrap) = true;\n  repeated Item value = 1;\n}",
		"message SKU {\n  option (netrpc.options.v1.unwrap) = true;\n  string value = 1;\n}",
		// Field order and numbers, names, go_name only where needed, the
		// embedded struct as one field, pointers flattened, maps, nested
		// slices through wrappers, bytes, widths, time.
		"message Item {\n  Audit audit = 1;\n  string sku = 2 [(netrpc.options.v1.go_name) = \"SKU\"];\n  string name = 3;\n  repeated string tags = 4;\n  Status status = 5;\n",
		"  Address origin = 8;\n  map<string, int32> stock = 9;\n  map<string, StringList> attrs = 10;\n  repeated Int64List ratings = 11;\n  repeated Item variants = 12;\n  bytes photo = 13;\n  float weight = 14;\n  .google.protobuf.Timestamp created = 15;\n  .google.protobuf.Duration ttl = 16 [(netrpc.options.v1.go_name) = \"TTL\"];\n}",
		"int32 width_mm = 1 [(netrpc.options.v1.go_name) = \"WidthMM\"];",
		"message StringList {\n  option (netrpc.options.v1.unwrap) = true;\n  repeated string value = 1;\n}",
		"message Int64List {\n  option (netrpc.options.v1.unwrap) = true;\n  repeated int64 value = 1;\n}",
		// Shared types once; the other package's clashing Price prefixed
		// and keeping its gob name.
		"message Price {\n  MoneyPrice list = 1;\n  MoneyPrice sale = 2;\n  .google.protobuf.Timestamp valid_until = 3;\n}",
		"message MoneyPrice {\n  option (netrpc.options.v1.go_type) = \"Price\";\n  string currency = 1;\n  int64 cents = 2;\n}",
		"  MoneyPrice balance = 6;",
		"int64 user_id = 1 [(netrpc.options.v1.go_name) = \"UserID\"];",
		"string http_proxy = 9 [(netrpc.options.v1.go_name) = \"HTTPProxy\"];",
		"repeated string urls = 10 [(netrpc.options.v1.go_name) = \"URLs\"];",
		"map<int32, Session> sessions = 8;",
		"repeated uint32 digest = 4;",
		"int64 total = 3;",
		// Enums from named integer types with constants.
		"enum Status {\n  STATUS_UNKNOWN = 0;  // StatusUnknown\n  STATUS_ACTIVE = 1;  // StatusActive\n",
		"enum Role {\n  ROLE_UNSPECIFIED = 0;\n  ROLE_READER = 1;  // RoleReader\n",
		"repeated Role roles = 3;",
	)
	for _, once := range []string{"message Address {", "message MoneyPrice {", "message Item {", "message StringList {"} {
		if n := strings.Count(proto, once); n != 1 {
			t.Errorf("%q appears %d times, want once", once, n)
		}
	}
	mustNotContain(t, "proto", proto,
		"internal", "on_change", "secret", // unexported and func fields
		"service Metrics", "Sample", // not asked for
		"go_name) = \"Name\"", "go_name) = \"Email\"")
	// The report: notes about what gob ignores or sends one way.
	mustContain(t, "report", report,
		`note: field Item.OnChange (func()) is not in the proto: gob ignores chan and func fields`,
		`note: field StockReport.Digest ([4]uint8): a Go array maps to a repeated field`,
		`note: embedded field Item.Audit: gob sends it as one field named Audit`)
	mustNotContain(t, "report", report, "error:")
}

func TestSkippedMethodsAreReportedInGosWords(t *testing.T) {
	_, _, report := runTool(append(e2eFlags, inventoryDir(t))...)
	mustContain(t, "report", report,
		`catalog.go:116:19: skip: Catalog.Size: not registered by net/rpc: rpc.Register: method "Size" has 2 input parameters; needs exactly three`,
		`skip: Catalog.Reset: not registered by net/rpc: rpc.Register: method "Reset" has 1 input parameters; needs exactly three`,
		`skip: Catalog.Lookup: not registered by net/rpc: rpc.Register: reply type of method "Lookup" is not a pointer: "inventory.Item"`,
		`skip: Catalog.Peek: not registered by net/rpc: rpc.Register: argument type of method "Peek" is not exported: "inventory.key"`,
		`skip: Catalog.Dump: not registered by net/rpc: rpc.Register: method "Dump" has 2 output parameters; needs exactly one`)
	mustNotContain(t, "report", report, "check") // unexported: net/rpc says nothing
}

func TestUnsupportedTypesFailWithAReport(t *testing.T) {
	dir := inventoryDir(t)
	code, out, report := runTool("--package=inventory.v1", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if out != "" {
		t.Errorf("wrote a proto despite errors:\n%s", out)
	}
	mustContain(t, "report", report,
		`metrics.go:10:2: error: field Sample.Phase (complex128): complex numbers have no protobuf type`,
		`metrics.go:11:2: error: field Sample.Extra (interface{}): interface{} is an interface: gob needs gob.Register'ed concrete types`,
		`metrics.go:12:2: error: field Sample.Bucket (map[float64]string): map key float64: protobuf map keys are integers, strings or bools, not floats`,
		`metrics.go:13:2: note: field Sample.Done (chan bool) is not in the proto: gob ignores chan and func fields`,
		`error: Metrics.Snapshot: not generated: it uses Sample, which cannot be mapped`,
		`error: Metrics.Watch: argument chan int: chan int is a channel: gob cannot send channels`,
		`netrpc2proto: 5 error(s); nothing written (--skip_unsupported writes the rest)`)

	code, proto, report := runTool("--package=inventory.v1", "--skip_unsupported", dir)
	if code != 0 {
		t.Errorf("--skip_unsupported: exit %d, want 0; report:\n%s", code, report)
	}
	mustContain(t, "report", report, `error: Metrics.Snapshot: left out (--skip_unsupported): it uses Sample, which cannot be mapped`)
	mustContain(t, "proto", proto, "service Metrics {", "rpc Ping(PingArgs) returns (PingReply);", "service Catalog {")
	mustNotContain(t, "proto", proto, "Snapshot", "Watch", "message Sample")
}

func TestAnnotateConfigPutsNamesInTheConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "gw.yaml")
	code, proto, report := runTool(append(e2eFlags, "--annotate=config", "--config_out="+cfg, inventoryDir(t))...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, report)
	}
	mustNotContain(t, "proto", proto, "netrpc.options", "proto/options/v1/netrpc.proto")
	mustContain(t, "proto", proto, "string sku = 2;", "  // Go type name (gob): Price\n")
	y, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "yaml", string(y),
		"schemas:\n- descriptor_set: \"services.pb\"\n",
		"bridge:\n  package: \"inventory.v1\"\n  unwrap_messages:\n  - \"inventory.v1.CountReply\"\n",
		"  - \"inventory.v1.StringList\"\n",
		"  field_names:\n",
		"  - {message: \"inventory.v1.Item\", field: \"sku\", go_name: \"SKU\"}\n",
		"  - {message: \"inventory.v1.User\", field: \"user_id\", go_name: \"UserID\"}\n",
		"routes:\n- service: \"Catalog\"\n  upstream: \"inventoryd\"\n- service: \"Accounts\"\n  upstream: \"inventoryd\"\n")
}

func TestConfigTextproto(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "gw.textproto")
	code, _, report := runTool(append(e2eFlags, "--out=/dev/null", "--descriptor_set=inv.pb", "--config_out="+cfg, inventoryDir(t))...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, report)
	}
	b, _ := os.ReadFile(cfg)
	mustContain(t, "textproto", string(b),
		"schemas { descriptor_set: \"inv.pb\" }\nbridge {\n  package: \"inventory.v1\"\n}\n",
		"routes {\n  service: \"Accounts\"\n  upstream: \"inventoryd\"\n}\n")
}

const synthetic = `package main

import (
	"math/big"
	"net"
	"net/rpc"
	"time"
)

type Page[T any] struct {
	Items []T
	Next  string
}

type Entry struct {
	UserID    int64
	User_ID   int64
	UserId    int64
	I8        int8
	I16       int16
	U8        uint8
	U16       uint16
	U         uint
	Ptr       uintptr
	F64       float64
	B         bool
	Grid      map[string]map[string]int
	Rows      [][]string
	Lists     []map[int64]bool
	Blob      [][]byte
	Anon      struct{ X, Y int }
	Kind      Kind
	Bits      Bits
	Ptrs      **int
	At        *time.Time
	Wait      time.Duration
	Größe     int
}

// Kind has an alias constant.
type Kind int8

const (
	KindNone Kind = 0
	KindA    Kind = 1
	KindB    Kind = 1
	KindBig  Kind = 2
)

// Bits is unsigned: not an enum (the bridge maps enums to gob int).
type Bits uint8

const BitsOne Bits = 1

type Secret struct{ a, b int }

type Numbers struct {
	Big *big.Int
	IP  net.IP
}

type Svc struct{}

func (Svc) Paged(n int, reply *Page[Entry]) error          { return nil }
func (Svc) Names(names []string, reply *map[string]int) error { return nil }
func (Svc) Hidden(s Secret, reply *int) error                { return nil }
func (Svc) Nums(n Numbers, reply *int) error                  { return nil }
func (Svc) Now(_ struct{}, reply *time.Time) error           { return nil }

type Arith int

func (*Arith) Add(args [2]int, reply *int) error { return nil }

func main() {
	rpc.RegisterName("Calculator", new(Arith))
}
`

func TestSyntheticCases(t *testing.T) {
	dir := writePkg(t, synthetic)
	code, proto, report := runTool("--skip_unsupported", dir)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, report)
	}
	mustContain(t, "proto", proto,
		"package estate.v1;", // a main package is named after its directory
		"service Calculator {\n  // func (*Arith) Add([2]int, *int) error\n  rpc Add(AddArgs) returns (AddReply);", // RegisterName found in main
		"service Svc {",
		"rpc Paged(PagedArgs) returns (PageEntry);",
		"rpc Names(NamesArgs) returns (NamesReply);",
		"rpc Now(NowArgs) returns (.google.protobuf.Timestamp);",
		"message PageEntry {\n  option (netrpc.options.v1.go_type) = \"Page[main.Entry]\";\n  repeated Entry items = 1;\n  string next = 2;\n}",
		"  int64 user_id = 1 [(netrpc.options.v1.go_name) = \"UserID\"];\n",
		"  int64 user_id_2 = 2 [(netrpc.options.v1.go_name) = \"User_ID\"];\n",
		"  int64 user_id_3 = 3 [(netrpc.options.v1.go_name) = \"UserId\"];\n",
		"  int32 i8 = 4;\n  int32 i16 = 5;\n  uint32 u8 = 6;\n  uint32 u16 = 7;\n  uint64 u = 8;\n  uint64 ptr = 9;\n  double f64 = 10;\n  bool b = 11;\n",
		"  map<string, StringInt64Map> grid = 12;\n  repeated StringList rows = 13;\n  repeated Int64BoolMap lists = 14;\n  repeated bytes blob = 15;\n  EntryAnon anon = 16;\n  Kind kind = 17;\n  uint32 bits = 18;\n  int64 ptrs = 19;\n  .google.protobuf.Timestamp at = 20;\n  .google.protobuf.Duration wait = 21;\n  int64 field_22 = 22 [(netrpc.options.v1.go_name) = \"Größe\"];\n",
		"message StringInt64Map {\n  option (netrpc.options.v1.unwrap) = true;\n  map<string, int64> value = 1;\n}",
		"message EntryAnon {\n  int64 x = 1;\n  int64 y = 2;\n}",
		"enum Kind {\n  option allow_alias = true;\n  KIND_NONE = 0;  // KindNone\n  KIND_A = 1;  // KindA\n  KIND_B = 1;  // KindB\n  KIND_BIG = 2;  // KindBig\n}",
		"message AddArgs {\n  option (netrpc.options.v1.unwrap) = true;\n  repeated int64 value = 1;\n}",
		"message NowArgs {\n}",
	)
	mustContain(t, "report", report,
		"error: type Secret has no exported fields: gob refuses to send it",
		"error: field Numbers.Big (*big.Int): big.Int implements GobEncode: gob sends it as opaque bytes, which the bridge maps only for time.Time",
		"error: field Numbers.IP (net.IP): net.IP implements MarshalText",
		"error: Svc.Hidden: left out (--skip_unsupported): it uses Secret, which cannot be mapped",
		"note: Calculator.Add: argument [2]int: a Go array maps to a repeated field",
	)
	mustNotContain(t, "proto", proto, "Secret", "Numbers", "Hidden", "rpc Nums")
}

func TestCommandLineErrors(t *testing.T) {
	dir := inventoryDir(t)
	if code, _, _ := runTool(); code != 2 {
		t.Errorf("no DIR: exit %d, want 2", code)
	}
	if code, _, _ := runTool("--annotate=both", dir); code != 2 {
		t.Errorf("bad --annotate: exit %d, want 2", code)
	}
	code, _, report := runTool("--services=Catalog,Nope", dir)
	if code != 1 {
		t.Errorf("unknown service: exit %d, want 1", code)
	}
	mustContain(t, "report", report, `error: --services: no service "Nope" in example.com/inventory (found: Catalog, Metrics, Users)`)
	code, _, report = runTool("--services=Catalog", "--name=Nope=X", dir)
	if code != 1 {
		t.Errorf("unknown --name type: exit %d, want 1", code)
	}
	mustContain(t, "report", report, "error: --name Nope=X: no type Nope with methods net/rpc would register")
	code, _, report = runTool(filepath.Join(dir, "money"))
	if code != 1 {
		t.Errorf("no services: exit %d, want 1", code)
	}
	mustContain(t, "report", report, "error: example.com/inventory/money: no type has methods net/rpc would register")
	code, _, report = runTool(writePkg(t, "package broken\n\nfunc F() int { return \"x\" }\n"))
	if code != 1 {
		t.Errorf("broken package: exit %d, want 1", code)
	}
	mustContain(t, "report", report, "netrpc2proto: package does not type-check:")
}

func TestSelfHoldingTypesGetWrappers(t *testing.T) {
	dir := writePkg(t, `package tree

type Tree []Tree
type M map[string]M

type Node struct {
	Name     string
	Children []*Node
}

type Svc struct{}

func (Svc) Walk(t Tree, reply *M) error { return nil }
func (Svc) Root(n *Node, reply *Node) error { return nil }
`)
	code, proto, report := runTool(dir)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, report)
	}
	mustContain(t, "proto", proto,
		"package tree.v1;",
		"message Tree {\n  option (netrpc.options.v1.unwrap) = true;\n  repeated TreeTreeWrapper value = 1;\n}",
		"message TreeTreeWrapper {\n  option (netrpc.options.v1.unwrap) = true;\n  repeated TreeTreeWrapper value = 1;\n}",
		"message M {\n  option (netrpc.options.v1.unwrap) = true;\n  map<string, TreeMWrapper> value = 1;\n}",
		"message Node {\n  string name = 1;\n  repeated Node children = 2;\n}")
}

// A message named like a method of its service must be written fully
// qualified in the rpc line, or protoc takes the name for the method.
func TestMessageNamedLikeItsMethodIsQualified(t *testing.T) {
	dir := writePkg(t, `package calc

type Scale struct{ X, Factor float64 }

type Arith struct{}

func (*Arith) Scale(args *Scale, reply *float64) error { return nil }
`)
	code, proto, report := runTool(dir)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, report)
	}
	mustContain(t, "proto", proto,
		"rpc Scale(.calc.v1.Scale) returns (ScaleReply);")
}
