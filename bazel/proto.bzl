"""cc_proto(): compiles .proto files with Debian's protoc (and grpc_cpp_plugin).

Bazel 4's native proto rules want to build protoc from source, which cannot be
downloaded here; Debian ships protoc 3.21 and grpc_cpp_plugin 1.51 that match the
system libraries exactly, so one genrule per library calls them directly.

    cc_proto(
        name = "arith_proto",
        srcs = ["arith.proto"],
        grpc = True,          # also generate the gRPC service stubs
        descriptor_set = True # also write arith_proto.pb (with imports) for run-time schemas
    )

Imports are resolved from the workspace root and /usr/include (well-known types).
deps are other cc_proto targets whose .proto files the srcs import.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

def _strip(src):
    return src[:-len(".proto")]

def cc_proto(name, srcs, deps = [], grpc = False, descriptor_set = False, visibility = None, **kwargs):
    pkg = native.package_name()
    prefix = pkg + "/" if pkg else ""
    outs = []
    for src in srcs:
        base = _strip(src)
        outs += [base + ".pb.h", base + ".pb.cc"]
        if grpc:
            outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]

    proto_srcs = [prefix + s for s in srcs]
    dep_protos = [d + "_srcs" for d in deps]

    # protoc runs from the execroot, where the workspace's files sit at their paths
    # and generated files under $(GENDIR).
    cmd = "/usr/bin/protoc -I. -I/usr/include --cpp_out=$(GENDIR) "
    if grpc:
        cmd += "--grpc_out=$(GENDIR) --plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin "
    cmd += " ".join(proto_srcs)

    native.filegroup(
        name = name + "_srcs",
        srcs = srcs + dep_protos,
        visibility = visibility,
    )

    native.genrule(
        name = name + "_gen",
        srcs = srcs + dep_protos,
        outs = outs,
        cmd = cmd,
    )

    if descriptor_set:
        native.genrule(
            name = name + "_descriptor_set",
            srcs = srcs + dep_protos,
            outs = [name + ".pb"],
            cmd = ("/usr/bin/protoc -I. -I/usr/include --include_imports " +
                   "--include_source_info --descriptor_set_out=$@ " + " ".join(proto_srcs)),
            visibility = visibility,
        )

    cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        deps = deps + ["@system//:grpc" if grpc else "@system//:protobuf"],
        visibility = visibility,
        **kwargs
    )
