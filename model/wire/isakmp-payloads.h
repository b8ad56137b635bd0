// ISAKMP payloads (RFC 2408 3.2-3.16) with the IPsec DOI (RFC 2407) and IKE (RFC 2409) values,
// and IsakmpMessage: a header plus an ordered chain of payloads.
//
// Every payload class is an ns-3 Header whose Serialize writes the generic payload header (RFC
// 2408 3.2) followed by the payload body; a chain's Next Payload fields are filled in by the
// container (IsakmpMessage for payloads, IsakmpSaPayload for proposals, IsakmpProposal for
// transforms). Parsing works on bytes and never trusts a length: every failure is reported as an
// IsakmpParseStatus naming the fault, its offset and the Notify Message Type (RFC 2408 3.14.1)
// a receiver would answer with.
//
// This umbrella header includes one header per payload family (isakmp-sa-payload.h,
// isakmp-notify-payload.h, ...); include the one you need or this one for all.
#ifndef ISAKMP_PAYLOADS_H
#define ISAKMP_PAYLOADS_H

#include "ns3/isakmp-attribute.h"
#include "ns3/isakmp-cert-payload.h"
#include "ns3/isakmp-constants.h"
#include "ns3/isakmp-delete-payload.h"
#include "ns3/isakmp-hash-payload.h"
#include "ns3/isakmp-id-payload.h"
#include "ns3/isakmp-ke-payload.h"
#include "ns3/isakmp-message.h"
#include "ns3/isakmp-nonce-payload.h"
#include "ns3/isakmp-notify-payload.h"
#include "ns3/isakmp-opaque-payload.h"
#include "ns3/isakmp-payload.h"
#include "ns3/isakmp-proposal-payload.h"
#include "ns3/isakmp-raw-payload.h"
#include "ns3/isakmp-sa-payload.h"
#include "ns3/isakmp-sig-payload.h"
#include "ns3/isakmp-transform-payload.h"
#include "ns3/isakmp-vid-payload.h"

#endif /* ISAKMP_PAYLOADS_H */
