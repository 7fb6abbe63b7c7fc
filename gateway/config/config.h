// File: config.h
//
// The gateway's config, all of it: loading YAML or textproto with positions
// (load.h), validation with field-path errors (validate.h), defaults and the
// bridge's config (defaults.h), reload compatibility (reload.h), Go-style
// durations (duration.h). See README.md for the file format.
//
//   #include "gateway/config/config.h"
//
//   absl::StatusOr<gateway::config::LoadedConfig> config =
//       gateway::config::LoadAndValidate(flags.config);
//   if (!config.ok()) {
//     std::cerr << config.status().message() << "\n";  // one error a line
//     return 2;
//   }
//   netrpc::config::v1::Bridge bridge =
//       gateway::config::BridgeConfigOf(config->gateway);

#ifndef GATEWAY_CONFIG_CONFIG_H_
#define GATEWAY_CONFIG_CONFIG_H_

#include "gateway/config/defaults.h"
#include "gateway/config/duration.h"
#include "gateway/config/load.h"
#include "gateway/config/reload.h"
#include "gateway/config/validate.h"

#endif  // GATEWAY_CONFIG_CONFIG_H_
