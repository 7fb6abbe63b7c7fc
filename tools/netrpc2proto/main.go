// Command netrpc2proto writes the proto3 schema (and the gateway config
// fragment) that lets the bridge serve a Go net/rpc package's services over
// gRPC, by reading the package's Go source. See README.md.
//
//	netrpc2proto [flags] DIR
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// options are the command-line flags.
type options struct {
	pkg             string
	out             string
	configOut       string
	upstream        string
	descriptorSet   string
	services        []string
	goPackage       string
	names           map[string]string
	skipUnsupported bool
	annotate        string
	enums           bool
}

type nameFlag map[string]string

func (n nameFlag) String() string { return "" }
func (n nameFlag) Set(s string) error {
	i := strings.Index(s, "=")
	if i <= 0 || i == len(s)-1 {
		return fmt.Errorf("want Type=ServiceName, got %q", s)
	}
	n[s[:i]] = s[i+1:]
	return nil
}

const usage = `usage: netrpc2proto [flags] DIR

Reads the Go package in DIR, finds the services Go's net/rpc would register
(exported methods func (T) M(args A, reply *R) error), and writes a proto3
file with one service per type and the messages of their argument and reply
types, for the netrpc-gateway bridge. Problems go to stderr as
"file:line:col: error|skip|note: ..."; exit status 1 if something requested
could not be mapped (unless --skip_unsupported), 2 on bad usage.

flags:
`

func main() {
	// Under `bazel run`, paths are the caller's.
	if wd := os.Getenv("BUILD_WORKING_DIRECTORY"); wd != "" {
		if err := os.Chdir(wd); err != nil {
			fmt.Fprintf(os.Stderr, "netrpc2proto: %v\n", err)
			os.Exit(2)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("netrpc2proto", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := &options{names: map[string]string{}}
	var services string
	fs.StringVar(&opts.pkg, "package", "", "proto package (default: the Go package name + \".v1\"; a main package uses its directory's name)")
	fs.StringVar(&opts.out, "out", "", "write the .proto here (default: stdout)")
	fs.StringVar(&opts.configOut, "config_out", "", "write the gateway config fragment (schemas, bridge, routes) here: YAML, or textproto if the name ends in .textproto/.txtpb")
	fs.StringVar(&opts.upstream, "upstream", "legacy", "upstream name the generated routes send calls to")
	fs.StringVar(&opts.descriptorSet, "descriptor_set", "", "descriptor set file named in the config's schemas (default: --out's name with .pb)")
	fs.StringVar(&services, "services", "", "comma-separated services (type or service names) to generate (default: all found)")
	fs.StringVar(&opts.goPackage, "go_package", "", "option go_package of the proto file (default: none)")
	fs.Var(nameFlag(opts.names), "name", "Type=ServiceName: the type is registered with rpc.RegisterName (repeatable; RegisterName calls with constant names in DIR are found by themselves)")
	fs.BoolVar(&opts.skipUnsupported, "skip_unsupported", false, "leave out the methods whose types cannot be mapped (still reported) and exit 0")
	fs.StringVar(&opts.annotate, "annotate", "proto", "where Go names and unwrap marks go: \"proto\" (netrpc.options.v1 options) or \"config\" (bridge field_names and unwrap_messages)")
	fs.BoolVar(&opts.enums, "enums", true, "map a named signed integer type with constants to a proto enum")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	if opts.annotate != "proto" && opts.annotate != "config" {
		fmt.Fprintf(stderr, "netrpc2proto: --annotate must be proto or config, not %q\n", opts.annotate)
		return 2
	}
	for _, s := range strings.Split(services, ",") {
		if s = strings.TrimSpace(s); s != "" {
			opts.services = append(opts.services, s)
		}
	}
	if opts.descriptorSet == "" {
		if opts.out != "" {
			opts.descriptorSet = strings.TrimSuffix(filepath.Base(opts.out), ".proto") + ".pb"
		} else {
			opts.descriptorSet = "services.pb"
		}
	}

	res, err := generate(fs.Arg(0), opts)
	if err != nil {
		fmt.Fprintf(stderr, "netrpc2proto: %v\n", err)
		return 1
	}
	for _, line := range res.report {
		fmt.Fprintln(stderr, line)
	}
	if res.failed && !opts.skipUnsupported {
		fmt.Fprintf(stderr, "netrpc2proto: %d error(s); nothing written (--skip_unsupported writes the rest)\n", res.errors)
		return 1
	}
	if opts.out == "" {
		io.WriteString(stdout, res.proto)
	} else if err := os.WriteFile(opts.out, []byte(res.proto), 0o644); err != nil {
		fmt.Fprintf(stderr, "netrpc2proto: %v\n", err)
		return 1
	}
	if opts.configOut != "" {
		text := res.yaml
		if strings.HasSuffix(opts.configOut, ".textproto") || strings.HasSuffix(opts.configOut, ".txtpb") {
			text = res.textproto
		}
		if err := os.WriteFile(opts.configOut, []byte(text), 0o644); err != nil {
			fmt.Fprintf(stderr, "netrpc2proto: %v\n", err)
			return 1
		}
	}
	return 0
}
