// show crypto ikev2 proposal|policy|profile [NAME]: the IKEv2 configuration as IOS 15 prints it,
// the default proposal and policy included. A 12.4 router has no IKEv2 and refuses the word.
#include "ios-router-state.h"

#include "ns3/ios-keywords.h"

#include <sstream>

namespace ns3
{

namespace
{
std::string
EncryptionName(IosIkev2Encryption e)
{
    switch (e)
    {
    case IosIkev2Encryption::TRIPLE_DES:
        return "3DES";
    case IosIkev2Encryption::AES_CBC_128:
        return "AES-CBC-128";
    case IosIkev2Encryption::AES_CBC_192:
        return "AES-CBC-192";
    case IosIkev2Encryption::AES_CBC_256:
        return "AES-CBC-256";
    case IosIkev2Encryption::AES_GCM_128:
        return "AES-GCM-128";
    case IosIkev2Encryption::AES_GCM_256:
        return "AES-GCM-256";
    }
    return "";
}

/** IOS names an integrity algorithm by its truncated HMAC: SHA96 is HMAC-SHA1-96, MD596
 *  HMAC-MD5-96; the SHA-2 ones by the hash. */
std::string
IntegrityName(IosIkev2Hash h)
{
    switch (h)
    {
    case IosIkev2Hash::MD5:
        return "MD596";
    case IosIkev2Hash::SHA1:
        return "SHA96";
    case IosIkev2Hash::SHA256:
        return "SHA256";
    case IosIkev2Hash::SHA384:
        return "SHA384";
    case IosIkev2Hash::SHA512:
        return "SHA512";
    }
    return "";
}

std::string
PrfName(IosIkev2Hash h)
{
    return h == IosIkev2Hash::MD5 ? "MD5" : h == IosIkev2Hash::SHA1 ? "SHA1" : IntegrityName(h);
}

/** "DH_GROUP_1536_MODP/Group 5": the group's size and kind, then its number. */
std::string
GroupName(uint8_t g)
{
    std::string kind;
    switch (g)
    {
    case 1:
        kind = "768_MODP";
        break;
    case 2:
        kind = "1024_MODP";
        break;
    case 5:
        kind = "1536_MODP";
        break;
    case 14:
        kind = "2048_MODP";
        break;
    case 15:
        kind = "3072_MODP";
        break;
    case 16:
        kind = "4096_MODP";
        break;
    case 19:
        kind = "256_ECP";
        break;
    case 20:
        kind = "384_ECP";
        break;
    case 21:
        kind = "521_ECP";
        break;
    case 24:
        kind = "2048_256_MODP";
        break;
    default:
        kind = "UNKNOWN";
    }
    return "DH_GROUP_" + kind + "/Group " + std::to_string(g);
}

template <typename T, typename F>
std::string
Joined(const std::vector<T>& values, F name, const std::string& separator = " ")
{
    std::string out;
    for (const T& v : values)
    {
        out += (out.empty() ? "" : separator) + name(v);
    }
    return out;
}

void
ShowProposal(std::ostream& os, const IosIkev2Proposal& p)
{
    os << " IKEv2 proposal: " << p.name << "\n";
    os << "     Encryption : " << Joined(p.encryption, EncryptionName) << "\n";
    os << "     Integrity  : " << Joined(p.integrity, IntegrityName) << "\n";
    os << "     PRF        : " << Joined(p.Prfs(), PrfName) << "\n";
    os << "     DH Group   : " << Joined(p.groups, GroupName) << "\n";
}

/** The default policy's lines are laid out a little differently from a configured one's (one
 *  blank fewer after "Match fvrf"), as IOS prints them. */
void
ShowPolicy(std::ostream& os, const IosIkev2Policy& p, bool builtIn)
{
    os << " IKEv2 policy : " << p.name << "\n";
    os << (builtIn ? "      Match fvrf : " : "      Match fvrf  : ")
       << (p.matchFvrf.empty() ? "global" : p.matchFvrf) << "\n";
    if (p.matchLocal.empty())
    {
        os << "      Match address local : any\n";
    }
    for (const auto& a : p.matchLocal)
    {
        os << "      Match address local : " << a << "\n";
    }
    for (const auto& name : p.proposals)
    {
        os << "      Proposal    : " << name << "\n";
    }
    os << "\n";
}

std::string
IdentityText(const IosIkev2Identity& id)
{
    switch (id.type)
    {
    case IosIkev2IdType::ADDRESS:
        return "address " + id.value;
    case IosIkev2IdType::FQDN:
        return "fqdn " + id.value;
    case IosIkev2IdType::EMAIL:
        return "email " + id.value;
    case IosIkev2IdType::KEY_ID:
        return "key-id " + id.value;
    case IosIkev2IdType::DN:
        return "dn";
    }
    return "";
}

std::string
RemoteMatchText(const IosIkev2Profile::RemoteMatch& m)
{
    std::ostringstream os;
    switch (m.type)
    {
    case IosIkev2IdType::ADDRESS:
        os << "address " << m.address << " " << m.mask;
        break;
    case IosIkev2IdType::FQDN:
        os << "fqdn " << (m.domain ? "domain " : "") << m.value;
        break;
    case IosIkev2IdType::EMAIL:
        os << "email " << (m.domain ? "domain " : "") << m.value;
        break;
    default:
        os << "key-id " << m.value;
    }
    return os.str();
}

std::string
MethodName(IosIkev2AuthMethod m)
{
    switch (m)
    {
    case IosIkev2AuthMethod::PRE_SHARE:
        return "pre-share";
    case IosIkev2AuthMethod::RSA_SIG:
        return "rsa-sig";
    case IosIkev2AuthMethod::ECDSA_SIG:
        return "ecdsa-sig";
    case IosIkev2AuthMethod::EAP:
        return "eap";
    }
    return "";
}

/** The crypto map entries and IPsec profiles that name profile @p name. */
size_t
References(const IosRouterConfig& config, const std::string& name)
{
    size_t n = 0;
    for (const auto* maps : {&config.cryptoMaps, &config.dynamicMaps})
    {
        for (const auto& e : *maps)
        {
            n += e.ikev2Profile == name ? 1 : 0;
        }
    }
    for (const auto& [profileName, p] : config.ipsecProfiles)
    {
        n += p.ikev2Profile == name ? 1 : 0;
    }
    return n;
}

/** What the profile matches: front-door VRF, local addresses, identities, certificate maps. */
void
ShowProfileMatch(std::ostream& os, const IosIkev2Profile& p)
{
    os << " Match criteria: \n";
    os << "  Fvrf: " << (p.matchFvrf.empty() ? "global" : p.matchFvrf) << "\n";
    os << "  Local address/interface:";
    for (const auto& a : p.matchLocal)
    {
        os << " " << a;
    }
    if (!p.matchLocalInterface.empty())
    {
        os << " " << p.matchLocalInterface;
    }
    os << (p.matchLocal.empty() && p.matchLocalInterface.empty() ? " none" : "") << "\n";
    os << "  Identities:" << (p.matchRemote.empty() && !p.matchRemoteAny ? " none" : " ") << "\n";
    if (p.matchRemoteAny)
    {
        os << "   any\n";
    }
    for (const auto& m : p.matchRemote)
    {
        os << "   " << RemoteMatchText(m) << "\n";
    }
    os << "  Certificate maps: " << (p.matchCertificate ? "configured" : "none") << "\n";
}

void
ShowProfile(std::ostream& os, const IosIkev2Profile& p, const IosRouterConfig& config)
{
    const IosIkev2Config& v2 = config.ikev2;
    os << "IKEv2 profile: " << p.name << "\n";
    if (!p.description.empty())
    {
        os << " Description: " << p.description << "\n";
    }
    os << " Ref Count: " << References(config, p.name) << "\n";
    ShowProfileMatch(os, p);
    os << " Local identity: " << (p.localIdentity ? IdentityText(*p.localIdentity) : "none")
       << "\n";
    os << " Remote identity: none\n";
    os << " Local authentication method: " << (p.localAuth ? MethodName(*p.localAuth) : "none")
       << "\n";
    os << " Remote authentication method(s): "
       << (p.remoteAuth.empty() ? "none" : Joined(p.remoteAuth, MethodName, ", ")) << "\n";
    os << " EAP options: none\n";
    os << " Keyring: " << (p.keyring.empty() ? "none" : p.keyring) << "\n";
    os << " Trustpoint(s): "
       << (p.trustpoints.empty() ? "none"
                                 : Joined(
                                       p.trustpoints, [](const std::string& s) { return s; }, ", "))
       << "\n";
    os << " Lifetime: " << p.lifetimeSeconds << " seconds\n";
    // The profile's DPD and NAT keepalive, else the global ones (`crypto ikev2 dpd|nat`).
    const std::optional<IosIkev2Dpd> dpd = p.dpd ? p.dpd : v2.dpd;
    os << " DPD: ";
    if (dpd)
    {
        os << "interval " << dpd->interval << ", retry " << dpd->retry << ", "
           << (dpd->periodic ? "periodic" : "on-demand") << "\n";
    }
    else
    {
        os << "disabled\n";
    }
    const std::optional<uint32_t> nat =
        p.natKeepaliveSeconds ? p.natKeepaliveSeconds : v2.natKeepaliveSeconds;
    os << " NAT-keepalive: "
       << (nat ? "interval " + std::to_string(*nat) + " seconds" : std::string("disabled")) << "\n";
    os << " Ivrf: none\n";
    os << " Virtual-template: "
       << (p.virtualTemplate ? std::to_string(*p.virtualTemplate) : std::string("none")) << "\n";
    os << " AAA EAP authentication mlist: none\n";
    os << " AAA Accounting: none\n";
    os << " AAA group authorization: none\n";
    os << " AAA user authorization: none\n";
}

} // namespace

void
IosRefuseIkev2On124(const IosExecCommand& cmd)
{
    const IosLocation where{"<exec>", 1, cmd.text};
    for (const IosToken& t : IosTokenize(cmd.text))
    {
        if (IosWordMatches(t.text, "ikev2", 2))
        {
            throw IosConfigError(where, t.column, ios::InvalidDetail(""));
        }
    }
    throw IosConfigError(where, 0, ios::InvalidDetail(""));
}

void
ShowCryptoIkev2(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config)
{
    if (config.release == IosRelease::IOS_12_4)
    {
        IosRefuseIkev2On124(cmd);
    }
    const IosIkev2Config& v2 = config.ikev2;
    const std::string only = cmd.args.empty() ? "" : cmd.args.front();
    auto wanted = [&only](const std::string& name) { return only.empty() || name == only; };
    using K = IosExecCommand::Kind;
    if (cmd.kind == K::SHOW_CRYPTO_IKEV2_PROPOSAL)
    {
        // The default first (as configured if it was changed), then the others by name.
        std::optional<IosIkev2Proposal> def = v2.FindProposal("default");
        if (def && wanted("default"))
        {
            ShowProposal(os, *def);
        }
        for (const auto& [name, p] : v2.proposals)
        {
            if (name != "default" && wanted(name))
            {
                ShowProposal(os, p);
            }
        }
        return;
    }
    if (cmd.kind == K::SHOW_CRYPTO_IKEV2_POLICY)
    {
        auto configured = v2.policies.find("default");
        if (configured != v2.policies.end() && wanted("default"))
        {
            ShowPolicy(os, configured->second, false);
        }
        else if (v2.defaultPolicy && wanted("default"))
        {
            ShowPolicy(os, IosIkev2Config::DefaultPolicy(), true);
        }
        for (const auto& [name, p] : v2.policies)
        {
            if (name != "default" && wanted(name))
            {
                ShowPolicy(os, p, false);
            }
        }
        return;
    }
    for (const auto& [name, p] : v2.profiles)
    {
        if (wanted(name))
        {
            ShowProfile(os, p, config);
            os << "\n";
        }
    }
}

} // namespace ns3
