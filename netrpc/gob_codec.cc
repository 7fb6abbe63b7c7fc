// TEMPORARY compile scaffold, replaced when netrpc/gob lands.
#include "netrpc/gob_codec.h"
namespace netrpc {
std::unique_ptr<StreamServerCodec> NewGobStreamServerCodec(const GobCodecOptions&) { return nullptr; }
std::unique_ptr<StreamClientCodec> NewGobStreamClientCodec(const GobCodecOptions&) { return nullptr; }
std::unique_ptr<ServerCodec> NewGobServerCodec(std::unique_ptr<Conn> conn, const GobCodecOptions& o) { return NewServerCodec(std::move(conn), NewGobStreamServerCodec(o)); }
std::unique_ptr<ClientCodec> NewGobClientCodec(std::unique_ptr<Conn> conn, const GobCodecOptions& o) { return NewClientCodec(std::move(conn), NewGobStreamClientCodec(o)); }
}
