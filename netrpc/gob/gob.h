// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: gob.h
//
// The whole of netrpc::gob, Go's encoding/gob for C++: include this for the
// Encoder, Decoder, typed bindings (NETRPC_GOB_STRUCT), interface values,
// the dynamic Type/Value model and its JSON rendering. See README.md.

#ifndef NETRPC_GOB_GOB_H_
#define NETRPC_GOB_GOB_H_

#include "netrpc/gob/bind.h"       // IWYU pragma: export
#include "netrpc/gob/debug.h"      // IWYU pragma: export
#include "netrpc/gob/decoder.h"    // IWYU pragma: export
#include "netrpc/gob/encoder.h"    // IWYU pragma: export
#include "netrpc/gob/fields.h"     // IWYU pragma: export
#include "netrpc/gob/interface.h"  // IWYU pragma: export
#include "netrpc/gob/options.h"    // IWYU pragma: export
#include "netrpc/gob/time.h"       // IWYU pragma: export
#include "netrpc/gob/type.h"       // IWYU pragma: export
#include "netrpc/gob/value.h"      // IWYU pragma: export
#include "netrpc/gob/wire.h"       // IWYU pragma: export

#endif  // NETRPC_GOB_GOB_H_
