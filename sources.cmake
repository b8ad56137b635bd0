# Every source and public header of ns3-ipsec, by layer, lowest first. A layer includes only
# the layers listed before it here (doc/design.md; test/e2e/include-layers.sh checks it).
# One list for all builds: CMakeLists.txt (standalone and inside an ns-3 tree) and wscript
# (waf-based ns-3) read these lists; paths are relative to the repository's root.
# *_HEADERS are public: reached as "ns3/NAME.h" and installed. *_PRIVATE_HEADERS are shared by
# the files of one folder only, included by their plain name, and neither linked nor installed.

# The layers that make the ns-3 module "ipsec" (library ns3-ipsec), lowest first; the crypto
# core below is its own static library, the scenario layer its own library (ns3-ipsec-scenario).
set(IPSEC_MODULE_LAYERS WIRE HARDWARE DATAPLANE STACK IKE APPS HELPER IOS)

# crypto core: OpenSSL EVP and zlib, no ns-3 (its own static library)
set(IPSEC_CRYPTO_SOURCES
    model/crypto/byte-source.cc
    model/crypto/cipher.cc
    model/crypto/compression-deflate.cc
    model/crypto/compression-lzs.cc
    model/crypto/diffie-hellman.cc
    model/crypto/ike-prf.cc
    model/crypto/openssl-error.cc
    model/crypto/rsa-key.cc
    model/crypto/rsa-ops.cc
    model/crypto/x509-issue.cc
    model/crypto/x509-verify.cc
)
set(IPSEC_CRYPTO_HEADERS
    model/crypto/byte-source.h
    model/crypto/cipher.h
    model/crypto/compression.h
    model/crypto/diffie-hellman.h
    model/crypto/ike-prf.h
    model/crypto/openssl-error.h
    model/crypto/rsa-key.h
    model/crypto/rsa-ops.h
    model/crypto/x509-issue.h
    model/crypto/x509-verify.h
)
set(IPSEC_CRYPTO_PRIVATE_HEADERS
    model/crypto/openssl-ptr.h
)

# wire formats: ESP, AH, IPComp, RFC 1829, ISAKMP header and payloads
set(IPSEC_WIRE_SOURCES
    model/wire/ah-header.cc
    model/wire/esp-header.cc
    model/wire/esp-rfc1829-header.cc
    model/wire/esp-trailer.cc
    model/wire/ipcomp-header.cc
    model/wire/isakmp-header.cc
    model/wire/isakmp-attribute.cc
    model/wire/isakmp-cert-payload.cc
    model/wire/isakmp-constants.cc
    model/wire/isakmp-delete-payload.cc
    model/wire/isakmp-hash-payload.cc
    model/wire/isakmp-id-payload.cc
    model/wire/isakmp-ke-payload.cc
    model/wire/isakmp-message.cc
    model/wire/isakmp-nonce-payload.cc
    model/wire/isakmp-notify-payload.cc
    model/wire/isakmp-opaque-payload.cc
    model/wire/isakmp-payload.cc
    model/wire/isakmp-proposal-payload.cc
    model/wire/isakmp-raw-payload.cc
    model/wire/isakmp-sa-payload.cc
    model/wire/isakmp-sig-payload.cc
    model/wire/isakmp-transform-payload.cc
    model/wire/isakmp-vid-payload.cc
)
set(IPSEC_WIRE_HEADERS
    model/wire/ah-header.h
    model/wire/esp-header.h
    model/wire/esp-rfc1829-header.h
    model/wire/esp-trailer.h
    model/wire/ipcomp-header.h
    model/wire/isakmp-header.h
    model/wire/isakmp-attribute.h
    model/wire/isakmp-cert-payload.h
    model/wire/isakmp-constants.h
    model/wire/isakmp-delete-payload.h
    model/wire/isakmp-hash-payload.h
    model/wire/isakmp-id-payload.h
    model/wire/isakmp-ke-payload.h
    model/wire/isakmp-message.h
    model/wire/isakmp-nonce-payload.h
    model/wire/isakmp-notify-payload.h
    model/wire/isakmp-opaque-payload.h
    model/wire/isakmp-payload.h
    model/wire/isakmp-payloads.h
    model/wire/isakmp-proposal-payload.h
    model/wire/isakmp-raw-payload.h
    model/wire/isakmp-sa-payload.h
    model/wire/isakmp-sig-payload.h
    model/wire/isakmp-transform-payload.h
    model/wire/isakmp-vid-payload.h
)
set(IPSEC_WIRE_PRIVATE_HEADERS
    model/wire/isakmp-payload-util.h
)

# timed crypto engines: service-time models of router CPUs and accelerator cards
set(IPSEC_HARDWARE_SOURCES
    hardware/calibration.cc
    hardware/crypto-engine.cc
    hardware/esp-overhead.cc
)
set(IPSEC_HARDWARE_HEADERS
    hardware/calibration.h
    hardware/crypto-engine.h
    hardware/esp-overhead.h
)

# data plane: SA, SAD, SPD, access lists, transforms, replay window, tags, drop reasons
set(IPSEC_DATAPLANE_SOURCES
    model/dataplane/ipsec-access-list.cc
    model/dataplane/ipsec-drop-reason.cc
    model/dataplane/ipsec-random.cc
    model/dataplane/ipsec-replay-window.cc
    model/dataplane/ipsec-sa.cc
    model/dataplane/ipsec-sad.cc
    model/dataplane/ipsec-spd.cc
    model/dataplane/ipsec-tags.cc
    model/dataplane/ipsec-traffic-selector.cc
    model/dataplane/ipsec-transform-set.cc
    model/dataplane/ipsec-transforms.cc
)
set(IPSEC_DATAPLANE_HEADERS
    model/dataplane/ipsec-access-list.h
    model/dataplane/ipsec-drop-reason.h
    model/dataplane/ipsec-random.h
    model/dataplane/ipsec-replay-window.h
    model/dataplane/ipsec-sa.h
    model/dataplane/ipsec-sad.h
    model/dataplane/ipsec-spd.h
    model/dataplane/ipsec-tags.h
    model/dataplane/ipsec-traffic-selector.h
    model/dataplane/ipsec-transform-set.h
    model/dataplane/ipsec-transforms.h
)

# where IPsec meets the ns-3 stack: the per-node processor and its hooks (traffic control,
# L4 protocol, input routing), GRE, static NAT
set(IPSEC_STACK_SOURCES
    model/stack/ipsec-gre.cc
    model/stack/ipsec-hooks.cc
    model/stack/ipsec-processor.cc
    model/stack/ipsec-static-nat.cc
)
set(IPSEC_STACK_HEADERS
    model/stack/ipsec-gre.h
    model/stack/ipsec-hooks.h
    model/stack/ipsec-ns3-compat.h
    model/stack/ipsec-processor.h
    model/stack/ipsec-static-nat.h
)

# IKEv1: daemon, exchanges, proposals, keying material, IKE SAs
set(IPSEC_IKE_SOURCES
    model/ike/ike-config.cc
    model/ike/ike-daemon.cc
    model/ike/ike-daemon-bundles.cc
    model/ike/ike-daemon-informational.cc
    model/ike/ike-daemon-liveness.cc
    model/ike/ike-daemon-negotiation.cc
    model/ike/ike-daemon-tasks.cc
    model/ike/ike-drop-reason.cc
    model/ike/ike-initial-contact.cc
    model/ike/ike-keymat.cc
    model/ike/ike-main-mode.cc
    model/ike/ike-main-mode-rsa.cc
    model/ike/ike-proposal-phase1.cc
    model/ike/ike-proposal-phase2.cc
    model/ike/ike-quick-mode.cc
    model/ike/ike-sa.cc
    model/ike/isakmp-crypto.cc
)
set(IPSEC_IKE_HEADERS
    model/ike/ike-config.h
    model/ike/ike-daemon.h
    model/ike/ike-drop-reason.h
    model/ike/ike-exchange.h
    model/ike/ike-initial-contact.h
    model/ike/ike-ipsec-debug.h
    model/ike/ike-keymat.h
    model/ike/ike-policy-provider.h
    model/ike/ike-proposal.h
    model/ike/ike-sa.h
    model/ike/isakmp-crypto.h
)
set(IPSEC_IKE_PRIVATE_HEADERS
    model/ike/ike-daemon-private.h
    model/ike/ike-proposal-private.h
)

# ns-3 applications used by scenarios
set(IPSEC_APPS_SOURCES
    model/apps/udp-pattern-app.cc
)
set(IPSEC_APPS_HEADERS
    model/apps/udp-pattern-app.h
)

# thin ns-3 helpers
set(IPSEC_HELPER_SOURCES
    helper/ipsec-helper.cc
)
set(IPSEC_HELPER_HEADERS
    helper/ipsec-helper.h
)

# the IOS layer: configuration reader, router, exec commands and show output
set(IPSEC_IOS_SOURCES
    ios/clear-crypto.cc
    ios/debug-crypto-ipsec.cc
    ios/ios-config-acl.cc
    ios/ios-config-crypto-map.cc
    ios/ios-config-interface.cc
    ios/ios-config-isakmp.cc
    ios/ios-config-keyring.cc
    ios/ios-config-ikev2.cc
    ios/ios-config-hosts.cc
    ios/ios-config-paste.cc
    ios/ios-config-pki.cc
    ios/ios-config-profile.cc
    ios/ios-config-reader.cc
    ios/ios-config-tables.cc
    ios/ios-config.cc
    ios/ios-exec.cc
    ios/ios-keywords.cc
    ios/ios-router-ike-policy.cc
    ios/ios-router-routing.cc
    ios/ios-router-tunnels.cc
    ios/ios-router-pki.cc
    ios/ios-router-profiles.cc
    ios/ios-router-hosts.cc
    ios/ios-router-ikev2.cc
    ios/ios-router-rri.cc
    ios/ios-router.cc
    ios/show-access-lists.cc
    ios/show-crypto-engine.cc
    ios/show-crypto-ipsec-sa.cc
    ios/show-crypto-isakmp-profile.cc
    ios/show-crypto-ikev2.cc
    ios/show-crypto-isakmp.cc
    ios/show-crypto-map.cc
    ios/show-crypto-pki.cc
    ios/show-crypto-session.cc
    ios/show-ip-route.cc
    ios/show-running-config.cc
)
set(IPSEC_IOS_HEADERS
    ios/ios-config.h
    ios/ios-exec.h
    ios/ios-keywords.h
    ios/ios-pki.h
    ios/ios-router.h
    ios/ios-show.h
)
set(IPSEC_IOS_PRIVATE_HEADERS
    ios/ios-config-reader.h
    ios/ios-pki-state.h
    ios/ios-router-state.h
)

# the scenario layer: reader, runner, results, report, sweeps, console
set(IPSEC_SCENARIO_SOURCES
    scenario/ios-console.cc
    scenario/plot-writer.cc
    scenario/report-ike-timeline.cc
    scenario/results-json.cc
    scenario/router-faults.cc
    scenario/router-json.cc
    scenario/run-report.cc
    scenario/scenario-import-network.cc
    scenario/scenario-import-provider.cc
    scenario/scenario-import-traffic.cc
    scenario/scenario-import.cc
    scenario/scenario-loader.cc
    scenario/scenario-pki.cc
    scenario/scenario-read-events.cc
    scenario/scenario-read-hosts.cc
    scenario/scenario-read-links.cc
    scenario/scenario-read-nodes.cc
    scenario/scenario-read-pki.cc
    scenario/scenario-read-sweep.cc
    scenario/scenario-read-traffic.cc
    scenario/scenario-reader.cc
    scenario/scenario-runner-measure.cc
    scenario/scenario-runner.cc
    scenario/scenario-sweep.cc
    scenario/scenario-sweep-ike.cc
    scenario/scenario-topology.cc
    scenario/scenario.cc
)
set(IPSEC_SCENARIO_HEADERS
    scenario/ios-console.h
    scenario/plot-writer.h
    scenario/results-json.h
    scenario/router-faults.h
    scenario/router-json.h
    scenario/run-report.h
    scenario/scenario-import.h
    scenario/scenario-runner.h
    scenario/scenario-sweep.h
    scenario/scenario.h
)
set(IPSEC_SCENARIO_PRIVATE_HEADERS
    scenario/run-report-parts.h
    scenario/scenario-import-impl.h
    scenario/scenario-pki.h
    scenario/scenario-reader.h
    scenario/scenario-runner-impl.h
)

