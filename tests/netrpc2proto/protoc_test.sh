#!/bin/bash
# The generated proto against Debian's protoc and the golden copies:
#  1. inventory.proto and inventory.yaml (the BUILD's genrule output) equal
#     testdata/inventory.golden.{proto,yaml}; after an intended change,
#     regenerate them with the command printed below.
#  2. protoc compiles inventory.proto (with the netrpc options import);
#  3. the --annotate=config variant compiles without that import;
#  4. every service with --skip_unsupported (Metrics minus what cannot be
#     mapped) compiles.
set -euo pipefail
R="${TEST_SRCDIR}/${TEST_WORKSPACE:-netrpc_gateway}"
T="${TEST_TMPDIR}"
D="$R/tests/netrpc2proto/testdata/gopath/src/example.com/inventory"
TOOL="$R/tools/netrpc2proto/netrpc2proto"
export HOME="$T" GO111MODULE=off GOPATH="$R/tests/netrpc2proto/testdata/gopath"
FLAGS=(--package=inventory.v1 --services=Catalog,Accounts --name=Users=Accounts
  --upstream=inventoryd --descriptor_set=inventory.pb)
fail=0

for ext in proto yaml; do
  if ! diff -u "$R/tests/netrpc2proto/testdata/inventory.golden.$ext" \
      "$R/tests/netrpc2proto/inventory.$ext"; then
    echo "FAIL: generated inventory.$ext differs from testdata/inventory.golden.$ext"
    fail=1
  fi
done
if [[ $fail == 1 ]]; then
  echo "regenerate (from the workspace root, GO111MODULE=off GOPATH=\$PWD/tests/netrpc2proto/testdata/gopath):"
  echo "  bazel-bin/tools/netrpc2proto/netrpc2proto ${FLAGS[*]} \\"
  echo "    --out=tests/netrpc2proto/testdata/inventory.golden.proto \\"
  echo "    --config_out=tests/netrpc2proto/testdata/inventory.golden.yaml \\"
  echo "    tests/netrpc2proto/testdata/gopath/src/example.com/inventory"
fi

compile() {  # compile NAME: protoc on $T/gen/NAME.proto
  if /usr/bin/protoc -I"$T/gen" -I"$R" -I/usr/include --include_imports \
      --descriptor_set_out="$T/$1.pb" "$T/gen/$1.proto"; then
    echo "PASS protoc $1.proto"
  else
    echo "FAIL protoc $1.proto:"; cat -n "$T/gen/$1.proto"; fail=1
  fi
}
mkdir -p "$T/gen"
cp "$R/tests/netrpc2proto/inventory.proto" "$T/gen/inventory.proto"
compile inventory

"$TOOL" "${FLAGS[@]}" --annotate=config --out="$T/gen/annotate_config.proto" \
  --config_out="$T/annotate_config.yaml" "$D" 2>/dev/null
if grep -q netrpc.options "$T/gen/annotate_config.proto"; then
  echo "FAIL: --annotate=config still uses the netrpc options"; fail=1
fi
grep -q 'go_name: "UserID"' "$T/annotate_config.yaml" || { echo "FAIL: no field_names in config"; fail=1; }
compile annotate_config

set +e
"$TOOL" --package=inventory.v1 --name=Users=Accounts --skip_unsupported \
  --out="$T/gen/everything.proto" "$D" 2>"$T/everything.report"
code=$?
set -e
if [[ $code != 0 ]]; then echo "FAIL: --skip_unsupported exited $code"; cat "$T/everything.report"; fail=1; fi
grep -q "service Metrics" "$T/gen/everything.proto" || { echo "FAIL: no Metrics service"; fail=1; }
compile everything

# The report of the BUILD's run: notes only, no errors.
if grep -q ": error:" "$R/tests/netrpc2proto/inventory_report.txt"; then
  echo "FAIL: errors in the report:"; cat "$R/tests/netrpc2proto/inventory_report.txt"; fail=1
fi
exit $fail
