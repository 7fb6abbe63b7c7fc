package inventory

// Metrics is served by the Go server but has types protobuf cannot express:
// netrpc2proto reports them (and --skip_unsupported leaves them out).
type Metrics struct{}

// Sample holds what has no protobuf form.
type Sample struct {
	Name   string
	Phase  complex128         // complex numbers: no protobuf type
	Extra  interface{}        // interfaces: no mapping
	Bucket map[float64]string // float map keys: not allowed in protobuf
	Done   chan bool          // gob ignores it: a note, not an error
}

// Snapshot is a method whose reply cannot be mapped.
func (Metrics) Snapshot(name string, reply *Sample) error {
	*reply = Sample{Name: name}
	return nil
}

// Watch takes a channel: gob cannot send it.
func (Metrics) Watch(ch chan int, reply *bool) error { return nil }

// Ping is fine: it is generated even when its siblings are not.
func (Metrics) Ping(n int, reply *int) error {
	*reply = n
	return nil
}
