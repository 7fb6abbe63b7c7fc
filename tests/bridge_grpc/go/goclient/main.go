// Command goclient is a stock Go gRPC client (Debian's grpc-go 1.33) talking
// to the bridge's generic server: it discovers demo.v1.Arith through
// grpc.reflection.v1alpha, checks health, calls the methods, and prints a
// transcript, one fact a line, for bridge_grpc_test to compare. The Arith
// messages are declared by hand, as a client without generated code would.
//
//	goclient 127.0.0.1:PORT
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/golang/protobuf/proto"
	descpb "github.com/golang/protobuf/protoc-gen-go/descriptor"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
)

type Args struct {
	A int64 `protobuf:"varint,1,opt,name=a,proto3"`
	B int64 `protobuf:"varint,2,opt,name=b,proto3"`
}

func (m *Args) Reset()         { *m = Args{} }
func (m *Args) String() string { return proto.CompactTextString(m) }
func (*Args) ProtoMessage()    {}

type Product struct {
	Value int64 `protobuf:"varint,1,opt,name=value,proto3"`
}

func (m *Product) Reset()         { *m = Product{} }
func (m *Product) String() string { return proto.CompactTextString(m) }
func (*Product) ProtoMessage()    {}

type Quotient struct {
	Quo int64 `protobuf:"varint,1,opt,name=quo,proto3"`
	Rem int64 `protobuf:"varint,2,opt,name=rem,proto3"`
}

func (m *Quotient) Reset()         { *m = Quotient{} }
func (m *Quotient) String() string { return proto.CompactTextString(m) }
func (*Quotient) ProtoMessage()    {}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "goclient: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: goclient host:port")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cc, err := grpc.DialContext(ctx, os.Args[1], grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		fail("dial %s: %v", os.Args[1], err)
	}
	defer cc.Close()

	health := healthpb.NewHealthClient(cc)
	for _, service := range []string{"", "demo.v1.Arith", "nope"} {
		resp, err := health.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			fmt.Printf("health %q: %v\n", service, err)
		} else {
			fmt.Printf("health %q: %v\n", service, resp.Status)
		}
	}
	watch, err := health.Watch(ctx, &healthpb.HealthCheckRequest{Service: "demo.v1.Arith"})
	if err != nil {
		fail("watch: %v", err)
	}
	first, err := watch.Recv()
	if err != nil {
		fail("watch recv: %v", err)
	}
	fmt.Printf("watch %q: %v\n", "demo.v1.Arith", first.Status)

	reflection, err := rpb.NewServerReflectionClient(cc).ServerReflectionInfo(ctx)
	if err != nil {
		fail("reflection: %v", err)
	}
	ask := func(req *rpb.ServerReflectionRequest) *rpb.ServerReflectionResponse {
		if err := reflection.Send(req); err != nil {
			fail("reflection send: %v", err)
		}
		resp, err := reflection.Recv()
		if err != nil {
			fail("reflection recv: %v", err)
		}
		return resp
	}

	list := ask(&rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_ListServices{ListServices: "*"}})
	var names []string
	for _, s := range list.GetListServicesResponse().GetService() {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	fmt.Printf("services: %s\n", strings.Join(names, " "))

	files := ask(&rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{
			FileContainingSymbol: "demo.v1.Arith"}})
	for _, raw := range files.GetFileDescriptorResponse().GetFileDescriptorProto() {
		var fd descpb.FileDescriptorProto
		if err := proto.Unmarshal(raw, &fd); err != nil {
			fail("file descriptor: %v", err)
		}
		fmt.Printf("file: %s\n", fd.GetName())
		for _, service := range fd.GetService() {
			for _, m := range service.GetMethod() {
				fmt.Printf("method %s.%s.%s: %s -> %s\n", fd.GetPackage(), service.GetName(),
					m.GetName(), m.GetInputType(), m.GetOutputType())
			}
		}
	}

	missing := ask(&rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{
			FileContainingSymbol: "demo.v1.Nope"}})
	fmt.Printf("symbol demo.v1.Nope: error %d\n", missing.GetErrorResponse().GetErrorCode())
	if err := reflection.CloseSend(); err != nil {
		fail("reflection close: %v", err)
	}

	var product Product
	if err := cc.Invoke(ctx, "/demo.v1.Arith/Multiply", &Args{A: 6, B: 7}, &product); err != nil {
		fmt.Printf("Multiply(6, 7): %v\n", err)
	} else {
		fmt.Printf("Multiply(6, 7): %d\n", product.Value)
	}
	var quotient Quotient
	if err := cc.Invoke(ctx, "/demo.v1.Arith/Divide", &Args{A: 17, B: 5}, &quotient); err != nil {
		fmt.Printf("Divide(17, 5): %v\n", err)
	} else {
		fmt.Printf("Divide(17, 5): %d %d\n", quotient.Quo, quotient.Rem)
	}
	for _, call := range []struct {
		method string
		b      int64
	}{{"Divide", 0}, {"Add", 1}} {
		err := cc.Invoke(ctx, "/demo.v1.Arith/"+call.method, &Args{A: 1, B: call.b}, &quotient)
		fmt.Printf("%s(1, %d): %v\n", call.method, call.b, err)
	}
}
