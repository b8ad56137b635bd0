// ESP packet sizes as pure arithmetic, without building a packet: what a "fast" run (timing and
// sizes exactly as modelled, bytes not encrypted) needs, and what the calibration checks use.
#ifndef IPSEC_ESP_OVERHEAD_H
#define IPSEC_ESP_OVERHEAD_H

#include "ns3/cipher.h"

#include <cstdint>

namespace ns3
{

/**
 * Padding ESP adds to @p payloadBytes with @p cipher: the plaintext (payload, padding, pad
 * length, next header) must fill whole cipher blocks and end on a 4-byte boundary
 * (RFC 4303 2.4, RFC 2406 2.4). 0-7 for DES/3DES, 0-15 for AES-CBC, 0-3 for NULL and GCM.
 */
uint32_t IpsecEspPadLength(ipsec::CipherAlgorithm cipher, uint32_t payloadBytes);

/**
 * Bytes ESP adds to an IP packet of @p innerBytes (RFC 4303 2, RFC 2406 2):
 * (tunnel ? 20 outer IPv4 header : 0) + 8 SPI and sequence number + IV + padding
 * + 2 (pad length, next header) + ICV. In tunnel mode the inner packet, header included, is the
 * ESP payload; in transport mode pass the IP payload only (the header stays in front).
 * Tunnel ESP with DES or 3DES and HMAC-MD5-96 or HMAC-SHA1-96: 50 + 0-7 padding bytes.
 */
uint32_t IpsecEspOverhead(ipsec::CipherAlgorithm cipher, ipsec::AuthAlgorithm auth,
                          uint32_t innerBytes, bool tunnel);

/** Bytes AH adds (RFC 4302 2, RFC 2402 2): 12 + ICV rounded to 4 bytes, + 20 in tunnel mode. */
uint32_t IpsecAhOverhead(ipsec::AuthAlgorithm auth, bool tunnel);

} // namespace ns3

#endif
