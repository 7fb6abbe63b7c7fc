// Fuzz target: any bytes, as YAML and as textproto, must load or fail with a
// status (never crash, never throw); what loads must validate or fail, and
// survive ApplyDefaults and BridgeConfigOf.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

#include "gateway/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto format : {gateway::config::ConfigFormat::kYaml,
                      gateway::config::ConfigFormat::kTextproto}) {
    absl::StatusOr<gateway::config::LoadedConfig> config =
        gateway::config::LoadConfigString(text, format, "fuzz.cfg");
    if (!config.ok()) continue;
    (void)gateway::config::Validate(*config).ok();
    netrpc::config::v1::Gateway g = config->gateway;
    gateway::config::ApplyDefaults(&g);
    (void)gateway::config::BridgeConfigOf(g).ByteSizeLong();
    (void)gateway::config::ReloadCompatible(config->gateway, g).ok();
  }
  return 0;
}
