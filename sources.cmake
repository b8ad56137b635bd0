# Every source and public header of ns3-ipsec, by layer, lowest first. A layer includes only
# the layers listed before it here (doc/design.md; test/e2e/include-layers.sh checks it).
# One list for all builds: CMakeLists.txt (standalone and inside an ns-3 tree) and wscript
# (waf-based ns-3) read these lists; paths are relative to the repository's root.

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
)
set(IPSEC_CRYPTO_HEADERS
    model/crypto/byte-source.h
    model/crypto/cipher.h
    model/crypto/compression.h
    model/crypto/diffie-hellman.h
    model/crypto/ike-prf.h
    model/crypto/openssl-error.h
)

# wire formats: ESP, AH, IPComp, RFC 1829, ISAKMP header and payloads
set(IPSEC_WIRE_SOURCES
    model/wire/ah-header.cc
    model/wire/esp-header.cc
    model/wire/esp-rfc1829-header.cc
    model/wire/esp-trailer.cc
    model/wire/ipcomp-header.cc
    model/wire/isakmp-header.cc
    model/wire/isakmp-payloads.cc
)
set(IPSEC_WIRE_HEADERS
    model/wire/ah-header.h
    model/wire/esp-header.h
    model/wire/esp-rfc1829-header.h
    model/wire/esp-trailer.h
    model/wire/ipcomp-header.h
    model/wire/isakmp-header.h
    model/wire/isakmp-payloads.h
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
    model/stack/ipsec-processor.h
    model/stack/ipsec-static-nat.h
)

# IKEv1: daemon, exchanges, proposals, keying material, IKE SAs
set(IPSEC_IKE_SOURCES
    model/ike/ike-config.cc
    model/ike/ike-daemon.cc
    model/ike/ike-keymat.cc
    model/ike/ike-main-mode.cc
    model/ike/ike-proposal.cc
    model/ike/ike-quick-mode.cc
    model/ike/ike-sa.cc
    model/ike/isakmp-crypto.cc
)
set(IPSEC_IKE_HEADERS
    model/ike/ike-config.h
    model/ike/ike-daemon.h
    model/ike/ike-exchange.h
    model/ike/ike-keymat.h
    model/ike/ike-policy-provider.h
    model/ike/ike-proposal.h
    model/ike/ike-sa.h
    model/ike/isakmp-crypto.h
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
    ios/ios-config.cc
    ios/ios-exec.cc
    ios/ios-isakmp-show.cc
    ios/ios-keywords.cc
    ios/ios-router.cc
)
set(IPSEC_IOS_HEADERS
    ios/ios-config.h
    ios/ios-exec.h
    ios/ios-isakmp-show.h
    ios/ios-keywords.h
    ios/ios-router.h
)

# the scenario layer: reader, runner, results, report, sweeps, console
set(IPSEC_SCENARIO_SOURCES
    scenario/ios-console.cc
    scenario/plot-writer.cc
    scenario/router-faults.cc
    scenario/run-report.cc
    scenario/scenario-runner.cc
    scenario/scenario-sweep.cc
    scenario/scenario.cc
)
set(IPSEC_SCENARIO_HEADERS
    scenario/ios-console.h
    scenario/plot-writer.h
    scenario/router-faults.h
    scenario/run-report.h
    scenario/scenario-runner.h
    scenario/scenario-sweep.h
    scenario/scenario.h
)

