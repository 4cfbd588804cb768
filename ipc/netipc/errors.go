package netipc

import "github.com/uvpipe/uvpipe/ipc/netipc/wire"

// DefaultMaxPacketSize is the largest packet payload accepted unless
// ServerOptions.MaxPacketSize or ClientOptions.MaxPacketSize says otherwise.
const DefaultMaxPacketSize = wire.DefaultMaxPacketSize

// ErrPacketTooLarge is wrapped by the error of a connection whose peer
// announced a packet above the size limit; the connection is closed before
// anything is allocated for it.
var ErrPacketTooLarge = wire.ErrPacketTooLarge

// PacketError is the error of a packet whose payload does not parse; the
// connection goes on with the next packet.
type PacketError = wire.PacketError
