// Command grpcserver is a Go gRPC server (Debian's grpc-go 1.33, no
// generated code: messages are declared by hand with protobuf struct tags
// and the services by hand-written grpc.ServiceDesc) of demo.v1.Arith
// (proto/demo/v1/arith.proto) and h2interop.v1.Probe (../probe.proto), for
// the HTTP/2 interop tests of the bridge's gRPC clients.
//
//	grpcserver [-addr 127.0.0.1:0] [-max_streams N]
//
// It prints "listening grpc ADDR" once it accepts connections, "sleeping
// TAG" when a Sleep call starts and "sleep TAG ended: WHY" when it ends. On
// SIGTERM it prints "stopping", stops gracefully (GracefulStop: GOAWAY, calls
// in flight finish, no new ones) and prints "stopped" before exiting 0.
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/golang/protobuf/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// demo.v1 messages.

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

// h2interop.v1 messages.

type SleepRequest struct {
	Millis int64  `protobuf:"varint,1,opt,name=millis,proto3"`
	Tag    string `protobuf:"bytes,2,opt,name=tag,proto3"`
}

func (m *SleepRequest) Reset()         { *m = SleepRequest{} }
func (m *SleepRequest) String() string { return proto.CompactTextString(m) }
func (*SleepRequest) ProtoMessage()    {}

type SleepReply struct {
	SleptMillis int64 `protobuf:"varint,1,opt,name=slept_millis,json=sleptMillis,proto3"`
}

func (m *SleepReply) Reset()         { *m = SleepReply{} }
func (m *SleepReply) String() string { return proto.CompactTextString(m) }
func (*SleepReply) ProtoMessage()    {}

type BigRequest struct {
	DataBytes int64  `protobuf:"varint,1,opt,name=data_bytes,json=dataBytes,proto3"`
	Payload   []byte `protobuf:"bytes,2,opt,name=payload,proto3"`
}

func (m *BigRequest) Reset()         { *m = BigRequest{} }
func (m *BigRequest) String() string { return proto.CompactTextString(m) }
func (*BigRequest) ProtoMessage()    {}

type BigReply struct {
	Data         []byte `protobuf:"bytes,1,opt,name=data,proto3"`
	PayloadBytes int64  `protobuf:"varint,2,opt,name=payload_bytes,json=payloadBytes,proto3"`
}

func (m *BigReply) Reset()         { *m = BigReply{} }
func (m *BigReply) String() string { return proto.CompactTextString(m) }
func (*BigReply) ProtoMessage()    {}

type EchoRequest struct{}

func (m *EchoRequest) Reset()         { *m = EchoRequest{} }
func (m *EchoRequest) String() string { return proto.CompactTextString(m) }
func (*EchoRequest) ProtoMessage()    {}

type EchoReply struct {
	Entries        []string `protobuf:"bytes,1,rep,name=entries,proto3"`
	DeadlineMillis int64    `protobuf:"varint,2,opt,name=deadline_millis,json=deadlineMillis,proto3"`
}

func (m *EchoReply) Reset()         { *m = EchoReply{} }
func (m *EchoReply) String() string { return proto.CompactTextString(m) }
func (*EchoReply) ProtoMessage()    {}

type FailRequest struct {
	Code    int32  `protobuf:"varint,1,opt,name=code,proto3"`
	Message string `protobuf:"bytes,2,opt,name=message,proto3"`
}

func (m *FailRequest) Reset()         { *m = FailRequest{} }
func (m *FailRequest) String() string { return proto.CompactTextString(m) }
func (*FailRequest) ProtoMessage()    {}

type FailReply struct {
	Note string `protobuf:"bytes,1,opt,name=note,proto3"`
}

func (m *FailReply) Reset()         { *m = FailReply{} }
func (m *FailReply) String() string { return proto.CompactTextString(m) }
func (*FailReply) ProtoMessage()    {}

type RendezvousRequest struct {
	Group string `protobuf:"bytes,1,opt,name=group,proto3"`
	Count int32  `protobuf:"varint,2,opt,name=count,proto3"`
}

func (m *RendezvousRequest) Reset()         { *m = RendezvousRequest{} }
func (m *RendezvousRequest) String() string { return proto.CompactTextString(m) }
func (*RendezvousRequest) ProtoMessage()    {}

type RendezvousReply struct {
	Arrived int32 `protobuf:"varint,1,opt,name=arrived,proto3"`
}

func (m *RendezvousReply) Reset()         { *m = RendezvousReply{} }
func (m *RendezvousReply) String() string { return proto.CompactTextString(m) }
func (*RendezvousReply) ProtoMessage()    {}

// out serializes the server's progress lines.
var out sync.Mutex

func say(format string, args ...interface{}) {
	out.Lock()
	defer out.Unlock()
	fmt.Printf(format+"\n", args...)
}

// contextStatus is the status a handler gives up with when ctx ends.
func contextStatus(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return status.Error(codes.DeadlineExceeded, ctx.Err().Error())
	}
	return status.Error(codes.Canceled, ctx.Err().Error())
}

// Arith is demo.v1.Arith.
type arith struct{}

func (arith) Multiply(ctx context.Context, a *Args) (*Product, error) {
	return &Product{Value: a.A * a.B}, nil
}

func (arith) Divide(ctx context.Context, a *Args) (*Quotient, error) {
	if a.B == 0 {
		// A plain error: grpc-go answers UNKNOWN with its text, as a Go
		// net/rpc server's error crosses the bridge.
		return nil, errors.New("divide by zero")
	}
	return &Quotient{Quo: a.A / a.B, Rem: a.A % a.B}, nil
}

// probe is h2interop.v1.Probe.
type probe struct {
	mu     sync.Mutex
	groups map[string]*group
}

type group struct {
	arrived int32
	full    chan struct{}
}

func (*probe) Sleep(ctx context.Context, r *SleepRequest) (*SleepReply, error) {
	say("sleeping %s", r.Tag)
	start := time.Now()
	t := time.NewTimer(time.Duration(r.Millis) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		say("sleep %s ended: done", r.Tag)
		return &SleepReply{SleptMillis: time.Since(start).Milliseconds()}, nil
	case <-ctx.Done():
		say("sleep %s ended: %v", r.Tag, ctx.Err())
		return nil, contextStatus(ctx)
	}
}

func (*probe) Big(ctx context.Context, r *BigRequest) (*BigReply, error) {
	data := make([]byte, r.DataBytes)
	for i := range data {
		data[i] = byte(i * 7)
	}
	return &BigReply{Data: data, PayloadBytes: int64(len(r.Payload))}, nil
}

func (*probe) Echo(ctx context.Context, r *EchoRequest) (*EchoReply, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	var keys []string
	for k := range md {
		if strings.HasPrefix(k, "x-") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	reply := &EchoReply{DeadlineMillis: -1}
	for _, k := range keys {
		for _, v := range md[k] {
			if strings.HasSuffix(k, "-bin") {
				v = hex.EncodeToString([]byte(v))
			}
			reply.Entries = append(reply.Entries, k+"="+v)
		}
	}
	if d, ok := ctx.Deadline(); ok {
		reply.DeadlineMillis = time.Until(d).Milliseconds()
	}
	return reply, nil
}

func (*probe) Fail(ctx context.Context, r *FailRequest) (*FailReply, error) {
	if r.Code == 0 {
		return &FailReply{Note: r.Message}, nil
	}
	return nil, status.Error(codes.Code(r.Code), r.Message)
}

func (p *probe) Rendezvous(ctx context.Context, r *RendezvousRequest) (*RendezvousReply, error) {
	p.mu.Lock()
	g := p.groups[r.Group]
	if g == nil {
		g = &group{full: make(chan struct{})}
		p.groups[r.Group] = g
	}
	g.arrived++
	if g.arrived == r.Count {
		close(g.full)
	}
	p.mu.Unlock()
	select {
	case <-g.full:
		return &RendezvousReply{Arrived: r.Count}, nil
	case <-ctx.Done():
		p.mu.Lock()
		n := g.arrived
		p.mu.Unlock()
		return nil, status.Errorf(codes.DeadlineExceeded,
			"rendezvous %s: %d of %d arrived", r.Group, n, r.Count)
	}
}

// handler adapts a typed method to grpc.MethodDesc's Handler.
func handler(name string, newReq func() interface{},
	call func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error)) grpc.MethodDesc {
	return grpc.MethodDesc{
		MethodName: name,
		Handler: func(srv interface{}, ctx context.Context, dec func(interface{}) error,
			interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
			req := newReq()
			if err := dec(req); err != nil {
				return nil, err
			}
			return call(srv, ctx, req)
		},
	}
}

var arithDesc = grpc.ServiceDesc{
	ServiceName: "demo.v1.Arith",
	HandlerType: (*interface{})(nil),
	Methods: []grpc.MethodDesc{
		handler("Multiply", func() interface{} { return new(Args) },
			func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error) {
				return srv.(arith).Multiply(ctx, req.(*Args))
			}),
		handler("Divide", func() interface{} { return new(Args) },
			func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error) {
				return srv.(arith).Divide(ctx, req.(*Args))
			}),
	},
	Metadata: "demo/v1/arith.proto",
}

var probeDesc = grpc.ServiceDesc{
	ServiceName: "h2interop.v1.Probe",
	HandlerType: (*interface{})(nil),
	Methods: []grpc.MethodDesc{
		handler("Sleep", func() interface{} { return new(SleepRequest) },
			func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error) {
				return srv.(*probe).Sleep(ctx, req.(*SleepRequest))
			}),
		handler("Big", func() interface{} { return new(BigRequest) },
			func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error) {
				return srv.(*probe).Big(ctx, req.(*BigRequest))
			}),
		handler("Echo", func() interface{} { return new(EchoRequest) },
			func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error) {
				return srv.(*probe).Echo(ctx, req.(*EchoRequest))
			}),
		handler("Fail", func() interface{} { return new(FailRequest) },
			func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error) {
				return srv.(*probe).Fail(ctx, req.(*FailRequest))
			}),
		handler("Rendezvous", func() interface{} { return new(RendezvousRequest) },
			func(srv interface{}, ctx context.Context, req interface{}) (interface{}, error) {
				return srv.(*probe).Rendezvous(ctx, req.(*RendezvousRequest))
			}),
	},
	Metadata: "tests/h2_interop/probe.proto",
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	maxStreams := flag.Uint("max_streams", 0,
		"SETTINGS_MAX_CONCURRENT_STREAMS (0: grpc-go's default, unlimited)")
	flag.Parse()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)

	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "grpcserver: %v\n", err)
		os.Exit(1)
	}
	var opts []grpc.ServerOption
	if *maxStreams > 0 {
		opts = append(opts, grpc.MaxConcurrentStreams(uint32(*maxStreams)))
	}
	s := grpc.NewServer(opts...)
	s.RegisterService(&arithDesc, arith{})
	s.RegisterService(&probeDesc, &probe{groups: map[string]*group{}})
	served := make(chan error, 1)
	go func() { served <- s.Serve(lis) }()
	say("listening grpc %s", lis.Addr())

	select {
	case <-stop:
	case err := <-served:
		fmt.Fprintf(os.Stderr, "grpcserver: serve: %v\n", err)
		os.Exit(1)
	}
	say("stopping")
	s.GracefulStop()
	say("stopped")
}
