// show crypto isakmp policy (from the configuration) and show crypto isakmp sa (from the IKE
// daemon), and the IOS names of ISAKMP policy values.
#include "ios-router-state.h"
#include "ns3/ios-show.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace ns3
{

// Where the wording comes from. No stored copy of a Cisco page gave a whole sample display, so
// each phrase was matched against public transcripts of real routers:
// - Cisco, "Advanced Encryption Standard (AES)", 12.2(13)T feature guide
//   (cisco.com/en/US/docs/ios/12_2t/12_2t13/feature/guide/ft_aes.html), which documents
//   `show crypto isakmp policy` with AES suites; lab transcripts of `show crypto isakmp policy`
//   print "AES - Advanced Encryption Standard (128 bit keys)." and "(256 bit keys)." with the
//   final period, "DES - Data Encryption Standard (56 bit keys).", "Three key triple DES",
//   "Secure Hash Standard", "Secure Hash Standard 2 (256 bit)", "Pre-Shared Key",
//   "Rivest-Shamir-Adleman Signature", "#1 (768 bit)", "#2 (1024 bit)", "#5 (1536 bit)",
//   "#14 (2048 bit)" and "86400 seconds, no volume limit".
// - The IOS help text (`hash ?`, `authentication ?`, `group ?` in config-isakmp mode) gives the
//   same phrases: "Message Digest 5", "Secure Hash Standard 2 (384 bit)", "(512 bit)",
//   "Rivest-Shamir-Adleman Encryption" (rsa-encr, whose show line we did not find printed;
//   assumed to match its help text as pre-share and rsa-sig do).
// - The default suite is the calibration table's row (shared/calibration/SOURCES.md, "IOS
//   defaults and behaviour"): DES-56, SHA, rsa-sig, group 1, 86,400 s.
// Layout: 12.4 prints the configured suites and then one "Default protection suite"; 15.x
// prints a blank line and "Global IKE policy" over the configured suites or, with none
// configured, "Default IKE policy" over its eight default suites, priorities 65507-65514 (the
// `show crypto isakmp policy` command reference, cisco.com/en/US/docs/ios/ipv6/command/reference/
// ipv6_13.html, dates them to 12.4(20)T; lab transcripts of 15.x routers show both headings).
// Transcripts show each value line indented eight columns and the values starting in column
// 24; we print spaces (the router may well send tabs that render the same).

std::string
IosIsakmpEncryptionText(IosIsakmpEncryption e)
{
    switch (e)
    {
    case IosIsakmpEncryption::DES:
        return "DES - Data Encryption Standard (56 bit keys).";
    case IosIsakmpEncryption::TRIPLE_DES:
        return "Three key triple DES";
    case IosIsakmpEncryption::AES_128:
        return "AES - Advanced Encryption Standard (128 bit keys).";
    case IosIsakmpEncryption::AES_192:
        return "AES - Advanced Encryption Standard (192 bit keys).";
    case IosIsakmpEncryption::AES_256:
        return "AES - Advanced Encryption Standard (256 bit keys).";
    }
    return "?";
}

std::string
IosIsakmpHashText(IosIsakmpHash h)
{
    switch (h)
    {
    case IosIsakmpHash::MD5:
        return "Message Digest 5";
    case IosIsakmpHash::SHA:
        return "Secure Hash Standard";
    case IosIsakmpHash::SHA256:
        return "Secure Hash Standard 2 (256 bit)";
    case IosIsakmpHash::SHA384:
        return "Secure Hash Standard 2 (384 bit)";
    case IosIsakmpHash::SHA512:
        return "Secure Hash Standard 2 (512 bit)";
    }
    return "?";
}

std::string
IosIsakmpAuthenticationText(IosIsakmpAuthentication a)
{
    switch (a)
    {
    case IosIsakmpAuthentication::PRE_SHARE:
        return "Pre-Shared Key";
    case IosIsakmpAuthentication::RSA_SIG:
        return "Rivest-Shamir-Adleman Signature";
    case IosIsakmpAuthentication::RSA_ENCR:
        return "Rivest-Shamir-Adleman Encryption";
    }
    return "?";
}

uint32_t
IosIsakmpGroupBits(uint8_t group)
{
    // RFC 2409 section 6.1 (768), 6.2 (1024); RFC 3526 groups 5 (1536), 14 (2048), 15 (3072),
    // 16 (4096); RFC 5903 groups 19, 20, 21 (the curves' field sizes); RFC 5114 group 24 (2048).
    switch (group)
    {
    case 1:
        return 768;
    case 2:
        return 1024;
    case 5:
        return 1536;
    case 14:
    case 24:
        return 2048;
    case 15:
        return 3072;
    case 16:
        return 4096;
    case 19:
        return 256;
    case 20:
        return 384;
    case 21:
        return 521;
    }
    return 0;
}

std::string
IosIsakmpGroupText(uint8_t group)
{
    // The parenthesis as IOS 15's `group ?` help prints it: "(256 bit ecp)" for the curves and
    // "(2048 bit, 256 bit subgroup)" for group 24; no transcript of `show crypto isakmp policy`
    // with these groups was found, so the show line is assumed to match the help text as it does
    // for groups 1 to 14.
    std::string detail = std::to_string(IosIsakmpGroupBits(group)) + " bit";
    if (group == 19 || group == 20 || group == 21)
    {
        detail += " ecp";
    }
    else if (group == 24)
    {
        detail += ", 256 bit subgroup";
    }
    return "#" + std::to_string(group) + " (" + detail + ")";
}

std::string
IosIsakmpEncryptionKeyword(IosIsakmpEncryption e)
{
    switch (e)
    {
    case IosIsakmpEncryption::DES:
        return "des";
    case IosIsakmpEncryption::TRIPLE_DES:
        return "3des";
    case IosIsakmpEncryption::AES_128:
        return "aes";
    case IosIsakmpEncryption::AES_192:
        return "aes 192";
    case IosIsakmpEncryption::AES_256:
        return "aes 256";
    }
    return "?";
}

std::string
IosIsakmpHashKeyword(IosIsakmpHash h)
{
    switch (h)
    {
    case IosIsakmpHash::MD5:
        return "md5";
    case IosIsakmpHash::SHA:
        return "sha";
    case IosIsakmpHash::SHA256:
        return "sha256";
    case IosIsakmpHash::SHA384:
        return "sha384";
    case IosIsakmpHash::SHA512:
        return "sha512";
    }
    return "?";
}

std::string
IosIsakmpAuthenticationKeyword(IosIsakmpAuthentication a)
{
    switch (a)
    {
    case IosIsakmpAuthentication::PRE_SHARE:
        return "pre-share";
    case IosIsakmpAuthentication::RSA_SIG:
        return "rsa-sig";
    case IosIsakmpAuthentication::RSA_ENCR:
        return "rsa-encr";
    }
    return "?";
}

std::string
ShowIsakmpProtectionSuite(const std::string& title, const IosIsakmpPolicy& p)
{
    // Eight spaces (the tab), then each label padded to 24 columns.
    std::ostringstream os;
    os << title << "\n";
    os << "        encryption algorithm:   " << IosIsakmpEncryptionText(p.encryption) << "\n";
    os << "        hash algorithm:         " << IosIsakmpHashText(p.hash) << "\n";
    os << "        authentication method:  " << IosIsakmpAuthenticationText(p.authentication)
       << "\n";
    os << "        Diffie-Hellman group:   " << IosIsakmpGroupText(p.group) << "\n";
    os << "        lifetime:               " << p.lifetimeSeconds << " seconds, no volume limit\n";
    return os.str();
}


std::string
ShowCryptoIsakmpPolicy(const IosRouterConfig& config)
{
    std::string out;
    if (config.release == IosRelease::IOS_12_4)
    {
        // 12.4: the configured suites, then the one default suite IOS always tries last.
        for (const auto& [priority, policy] : config.isakmpPolicies) // by priority
        {
            out += ShowIsakmpProtectionSuite(
                "Protection suite of priority " + std::to_string(priority), policy);
        }
        return out + ShowIsakmpProtectionSuite("Default protection suite", IosIsakmpPolicy{});
    }
    // 15.x: a blank line, then the configured suites under `Global IKE policy`, or, when there
    // are none, the default suites under `Default IKE policy`.
    if (!config.isakmpPolicies.empty())
    {
        out = "\nGlobal IKE policy\n";
        for (const auto& [priority, policy] : config.isakmpPolicies)
        {
            out += ShowIsakmpProtectionSuite(
                "Protection suite of priority " + std::to_string(priority), policy);
        }
        return out;
    }
    out = "\nDefault IKE policy\n";
    for (const auto& [priority, policy] : IosDefaultIsakmpPolicies())
    {
        out += ShowIsakmpProtectionSuite(
            "Default protection suite of priority " + std::to_string(priority), policy);
    }
    return out;
}

// show crypto isakmp sa [detail], in the form of the router's release (from captured output of
// real routers, parser test fixtures and lab transcripts):
// - IOS 15: an "IPv4 Crypto ISAKMP SA" table "dst src state conn-id status", then an empty
//   "IPv6 Crypto ISAKMP SA" one. The status is ACTIVE while the SA negotiates too, and "ACTIVE
//   (deleted)" for an SA deleted a moment ago (its state then MM_NO_STATE). conn-ids count from
//   1001; an SA shows conn-id 0 until its Diffie-Hellman exchange is done.
// - IOS 12.4: one table "dst src state conn-id slot status" without the address-family
//   heading, conn-ids from 1, slot 0.
// - detail, IOS 15: the Codes legend, then per SA "C-id Local Remote I-VRF Status Encr Hash Auth
//   DH Lifetime Cap." with the agreed suite, the phase-1 lifetime left and the capabilities (D:
//   dead peer detection runs, N: NAT traversal), and "Engine-id:Conn-id = SW:N" (the SA's
//   connection on the crypto engine). IOS 12.4: the legend, then "f_vrf/i_vrf Conn-id Local
//   Remote Encr Hash Auth DH Lifetime Capabilities". The detail lists live SAs only.

namespace
{
/** How long a deleted SA is still listed, "ACTIVE (deleted)". IOS frees it after a short
 *  timer whose length no transcript states; the simulator keeps it ten seconds. */
const Time kDeletedListed = Seconds(10);

std::string
Text(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/** The conn-id a release shows for @p sa (IOS 15: 0 before the keys exist). */
uint32_t
ShownConnId(const IkeSa& sa, IosRelease release)
{
    return release == IosRelease::IOS_15 && !sa.IsKeyed() ? 0 : sa.connId;
}

std::string
SaRow(const IkeSa& sa, IosRelease release, bool deleted)
{
    // IOS lists dst as the responder's address and src as the initiator's.
    const Ipv4Address dst = sa.initiator ? sa.peer : sa.local;
    const Ipv4Address src = sa.initiator ? sa.local : sa.peer;
    const char* state = deleted ? "MM_NO_STATE" : ToString(sa.state);
    const char* status = deleted ? "ACTIVE (deleted)" : "ACTIVE";
    char line[160];
    if (release == IosRelease::IOS_15)
    {
        std::snprintf(line, sizeof(line), "%-15s %-15s %-14s %7u %s\n", Text(dst).c_str(),
                      Text(src).c_str(), state, ShownConnId(sa, release), status);
    }
    else
    {
        std::snprintf(line, sizeof(line), "%-15s %-15s %-14s %7u %4u %s\n", Text(dst).c_str(),
                      Text(src).c_str(), state, sa.connId, 0u, status);
    }
    return line;
}

std::string
EncrName(const IkePolicy& p)
{
    switch (p.encryption)
    {
    case IKE_ENCR_DES_CBC:
        return "des";
    case IKE_ENCR_3DES_CBC:
        return "3des";
    case IKE_ENCR_AES_CBC:
        return "aes";
    }
    return "?";
}

std::string
HashName(const IkePolicy& p)
{
    switch (p.hash)
    {
    case IKE_HASH_MD5:
        return "md5";
    case IKE_HASH_SHA:
        return "sha";
    case IKE_HASH_SHA2_256:
        return "sha256";
    case IKE_HASH_SHA2_384:
        return "sha384";
    case IKE_HASH_SHA2_512:
        return "sha512";
    }
    return "?";
}

std::string
AuthName(const IkePolicy& p)
{
    switch (p.authentication)
    {
    case IKE_AUTH_PRE_SHARED_KEY:
        return "psk";
    case IKE_AUTH_RSA_SIGNATURES:
        return "rsig";
    case IKE_AUTH_RSA_ENCRYPTION:
        return "renc";
    }
    return "?";
}

std::string
Hms(Time t)
{
    const long long s = std::max<long long>(0, static_cast<long long>(t.GetSeconds()));
    char buf[24];
    std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

/** One SA of the detail table; the suite's columns are blank until a suite is agreed. */
std::string
DetailRow(const IkeSa& sa, IosRelease release)
{
    const bool agreed = sa.state != IkeSaState::MM_NO_STATE;
    const std::string encr = agreed ? EncrName(sa.policy) : "";
    const std::string hash = agreed ? HashName(sa.policy) : "";
    const std::string auth = agreed ? AuthName(sa.policy) : "";
    const std::string dh = agreed ? std::to_string(sa.policy.group) : "";
    const std::string caps = std::string(sa.dpdActive ? "D" : "") + (sa.NatDetected() ? "N" : "");
    const std::string life = Hms(sa.RemainingLifetime());
    char line[200];
    if (release == IosRelease::IOS_15)
    {
        std::snprintf(
            line, sizeof(line), "%-5u %-15s %-15s %-6s %-6s %-4s %-6s %-4s %-2s %-8s %s\n",
            ShownConnId(sa, release), Text(sa.local).c_str(), Text(sa.peer).c_str(), "", "ACTIVE",
            encr.c_str(), hash.c_str(), auth.c_str(), dh.c_str(), life.c_str(), caps.c_str());
        std::string out = line;
        out += "       Engine-id:Conn-id =  SW:" +
               std::to_string(sa.engineConnId ? sa.engineConnId : sa.connId) + "\n\n";
        return out;
    }
    std::snprintf(line, sizeof(line), "%5s/%-5s %7u %-15s %-15s %-4s %-4s %-4s %-2s %-8s %s\n", "",
                  "", sa.connId, Text(sa.local).c_str(), Text(sa.peer).c_str(), encr.c_str(),
                  hash.c_str(), auth.c_str(), dh.c_str(), life.c_str(), caps.c_str());
    return line;
}

void
ShowIsakmpSaDetail(std::ostream& os, const std::vector<Ptr<IkeSa>>& live, IosRelease release)
{
    const bool v15 = release == IosRelease::IOS_15;
    os << "Codes: C - IKE configuration mode, D - Dead Peer Detection\n"
          "       K - Keepalives, N - NAT-traversal\n"
       << (v15 ? "       T - cTCP encapsulation, X - IKE Extended Authentication\n"
               : "       X - IKE Extended Authentication\n")
       << "       psk - Preshared key, rsig - RSA signature\n"
          "       renc - RSA encryption\n";
    if (v15)
    {
        os << "IPv4 Crypto ISAKMP SA\n\n"
              "C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime "
              "Cap.\n\n";
    }
    else
    {
        os << "\nf_vrf/i_vrf Conn-id Local           Remote          Encr Hash Auth DH Lifetime "
              "Capabilities\n";
    }
    for (const auto& sa : live)
    {
        os << DetailRow(*sa, release);
    }
    if (v15)
    {
        os << "IPv6 Crypto ISAKMP SA\n\n";
    }
}
} // namespace

void
ShowCryptoIsakmpSa(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router)
{
    const IosRelease release = router.GetConfig().release;
    Ptr<IkeDaemon> ike = router.GetIke();
    std::vector<Ptr<IkeSa>> live = ike ? ike->GetSas() : std::vector<Ptr<IkeSa>>{};
    if (cmd.detail)
    {
        ShowIsakmpSaDetail(os, live, release);
        return;
    }
    std::vector<std::pair<Ptr<IkeSa>, bool>> rows; // (SA, deleted)
    for (const auto& sa : live)
    {
        rows.emplace_back(sa, false);
    }
    for (const auto& sa : ike ? ike->GetDeletedSas(kDeletedListed) : std::vector<Ptr<IkeSa>>{})
    {
        rows.emplace_back(sa, true);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b)
                     { return a.first->connId < b.first->connId; });
    const bool v15 = release == IosRelease::IOS_15;
    os << (v15 ? "IPv4 Crypto ISAKMP SA\ndst             src             state          conn-id "
                 "status\n"
               : "dst             src             state          conn-id slot status\n");
    for (const auto& [sa, deleted] : rows)
    {
        os << SaRow(*sa, release, deleted);
    }
    if (v15)
    {
        os << "\nIPv6 Crypto ISAKMP SA\n\n";
    }
}

} // namespace ns3
