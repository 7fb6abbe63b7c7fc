"""A repository rule that wraps Debian's system libraries as cc_library targets.

Bazel cannot download anything on these machines, so gRPC, protobuf, Abseil,
GoogleTest and friends come from Debian's -dev packages. Their headers live in
/usr/include (found without flags); their link lines come from pkg-config, which
is the only sane way to get gRPC's ~80 Abseil libraries right.

    system_libs(name = "system", libs = {"grpc": ["grpc++", "protobuf"]})

gives `@system//:grpc`.
"""

def _pkg_config(ctx, flag, modules):
    res = ctx.execute(["pkg-config", flag] + modules)
    if res.return_code != 0:
        fail("pkg-config %s %s failed (run tools/setup.sh to install the Debian packages): %s" %
             (flag, " ".join(modules), res.stderr))
    return [f for f in res.stdout.strip().split(" ") if f]

def _system_libs_impl(ctx):
    build = ['package(default_visibility = ["//visibility:public"])', ""]
    for name, modules in ctx.attr.libs.items():
        cflags = _pkg_config(ctx, "--cflags", modules)
        libs = _pkg_config(ctx, "--libs", modules)
        defines = [f[2:] for f in cflags if f.startswith("-D")]
        build.append("cc_library(")
        build.append("    name = %r," % name)
        build.append("    defines = %r," % defines)
        build.append("    linkopts = %r," % libs)
        build.append(")")
        build.append("")
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD.bazel", "\n".join(build))

system_libs = repository_rule(
    implementation = _system_libs_impl,
    attrs = {"libs": attr.string_list_dict(mandatory = True)},
    local = True,
    environ = ["PKG_CONFIG_PATH"],
)
