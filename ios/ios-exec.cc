#include "ns3/ios-exec.h"

#include "ns3/ios-keywords.h"

#include <sstream>

namespace ns3
{

namespace
{
using Words = std::vector<std::string>;
using Kind = IosExecCommand::Kind;

/** `show crypto ipsec sa [map M | address | identity | peer A | interface I] [detail]` */
void
ShowIpsecSa(IosCursor& c, IosExecCommand& cmd)
{
    cmd.kind = Kind::SHOW_CRYPTO_IPSEC_SA;
    static const Words filters = {"address", "detail", "identity", "interface", "map", "peer"};
    auto k = c.OptionalKeyword(filters);
    if (!k)
    {
        c.End("expected map, address, identity, peer, interface or detail");
        return;
    }
    const std::string f = filters[*k];
    if (f == "detail")
    {
        cmd.detail = true;
        c.End();
        return;
    }
    cmd.filter = f;
    if (f == "map")
    {
        cmd.args.push_back(c.Word("expected the crypto map's name"));
    }
    else if (f == "peer")
    {
        std::ostringstream os;
        os << c.Address("expected the peer's address A.B.C.D");
        cmd.args.push_back(os.str());
    }
    else if (f == "interface")
    {
        cmd.args.push_back(c.InterfaceName());
    }
    if (c.OptionalKeyword({"detail"}))
    {
        cmd.detail = true;
    }
    c.End("expected detail");
}

void ShowPki(IosCursor& c, IosExecCommand& cmd, bool key);

/** After `show crypto ikev2 sa` / `clear crypto ikev2 sa`: `local A`, `remote A` or `fvrf
 *  VRF` (filter and args), or with @p tunnelId a Tunnel-id (filter "tunnel"). */
void
Ikev2SaFilter(IosCursor& c, IosExecCommand& cmd, bool tunnelId)
{
    static const Words filters = {"fvrf", "local", "remote"};
    if (auto k = c.OptionalKeyword(filters))
    {
        cmd.filter = filters[*k];
        if (cmd.filter == "fvrf")
        {
            cmd.args.push_back(c.Word("expected the front-door VRF's name"));
            return;
        }
        std::ostringstream os;
        os << c.Address(cmd.filter == "local" ? "expected the local address A.B.C.D"
                                              : "expected the peer's address A.B.C.D");
        cmd.args.push_back(os.str());
    }
    else if (tunnelId && !c.AtEnd())
    {
        cmd.filter = "tunnel";
        cmd.args.push_back(std::to_string(c.Number(1, 4294967295u,
                                                   "expected local, remote, "
                                                   "fvrf or a Tunnel-id")));
    }
}

/** `show crypto ikev2 proposal|policy|profile [NAME]`, `show crypto ikev2 sa [local A | remote
 *  A | fvrf V] [detail]`, `show crypto ikev2 session [detail]` (after `ikev2`). The 15.x
 *  commands: a 12.4 router refuses `ikev2` when it runs them (IosRouter::Exec). */
void
ShowIkev2(IosCursor& c, IosExecCommand& cmd)
{
    static const Words words = {"policy", "profile", "proposal", "sa", "session"};
    const size_t w = c.Keyword(words, "expected proposal, policy, profile, sa or session");
    if (w >= 3)
    {
        cmd.kind = w == 3 ? Kind::SHOW_CRYPTO_IKEV2_SA : Kind::SHOW_CRYPTO_IKEV2_SESSION;
        if (w == 3)
        {
            Ikev2SaFilter(c, cmd, false);
        }
        cmd.detail = c.OptionalKeyword({"detail"}).has_value();
        c.End("expected detail");
        return;
    }
    cmd.kind = w == 0   ? Kind::SHOW_CRYPTO_IKEV2_POLICY
               : w == 1 ? Kind::SHOW_CRYPTO_IKEV2_PROFILE
                        : Kind::SHOW_CRYPTO_IKEV2_PROPOSAL;
    if (!c.AtEnd())
    {
        cmd.args.push_back(c.Word(""));
    }
    c.End();
}

void
Show(IosCursor& c, IosExecCommand& cmd)
{
    static const Words words = {"access-lists", "crypto",         "hosts",     "ip",
                                "processes",    "running-config", "simulation"};
    const std::string w = words[c.Keyword(words)];
    if (w == "simulation")
    {
        // The simulator's own: what its engine model does that no IOS output shows.
        c.Keyword({"crypto"});
        c.Keyword({"engine"});
        cmd.kind = Kind::SHOW_SIMULATION_CRYPTO_ENGINE;
        c.End();
        return;
    }
    if (w == "hosts")
    {
        cmd.kind = Kind::SHOW_HOSTS;
        c.End();
        return;
    }
    if (w == "processes")
    {
        c.Keyword({"cpu"});
        cmd.kind = Kind::SHOW_PROCESSES_CPU;
        c.End();
        return;
    }
    if (w == "running-config")
    {
        cmd.kind = Kind::SHOW_RUNNING_CONFIG;
        c.End();
        return;
    }
    if (w == "ip" && c.Keyword({"access-lists", "route"}) == 1)
    {
        cmd.kind = Kind::SHOW_IP_ROUTE;
        c.End();
        return;
    }
    if (w == "ip" || w == "access-lists")
    {
        cmd.kind = Kind::SHOW_ACCESS_LISTS;
        if (!c.AtEnd())
        {
            cmd.args.push_back(c.Word(""));
        }
        c.End();
        return;
    }
    static const Words crypto = {"ca",     "dynamic-map", "engine", "ikev2", "ipsec",
                                 "isakmp", "key",         "map",    "pki",   "session"};
    const std::string cw = crypto[c.Keyword(crypto)];
    if (cw == "ikev2")
    {
        ShowIkev2(c, cmd);
        return;
    }
    if (cw == "ca" || cw == "pki" || cw == "key")
    {
        ShowPki(c, cmd, cw == "key");
        return;
    }
    if (cw == "engine")
    {
        // `show crypto engine configuration`, `show crypto engine connections active`
        if (c.Keyword({"configuration", "connections"}) == 0)
        {
            cmd.kind = Kind::SHOW_CRYPTO_ENGINE_CONFIGURATION;
        }
        else
        {
            cmd.kind = Kind::SHOW_CRYPTO_ENGINE_CONNECTIONS;
            c.Keyword({"active"});
        }
        c.End();
        return;
    }
    if (cw == "isakmp")
    {
        // `show crypto isakmp policy|profile`, `show crypto isakmp sa [detail]`
        const size_t which = c.Keyword({"policy", "profile", "sa"});
        if (which == 1)
        {
            cmd.kind = Kind::SHOW_CRYPTO_ISAKMP_PROFILE;
            c.End();
            return;
        }
        const bool policy = which == 0;
        cmd.kind = policy ? Kind::SHOW_CRYPTO_ISAKMP_POLICY : Kind::SHOW_CRYPTO_ISAKMP_SA;
        if (!policy && c.OptionalKeyword({"detail"}))
        {
            cmd.detail = true;
        }
        c.End(policy ? "" : "expected detail");
        return;
    }
    if (cw == "session")
    {
        cmd.kind = Kind::SHOW_CRYPTO_SESSION;
        if (auto k = c.OptionalKeyword({"brief", "detail"}))
        {
            cmd.detail = *k == 1;
            cmd.filter = *k == 0 ? "brief" : "";
        }
        c.End("expected brief or detail");
        return;
    }
    if (cw == "map")
    {
        cmd.kind = Kind::SHOW_CRYPTO_MAP;
        if (auto k = c.OptionalKeyword({"interface", "tag"}))
        {
            cmd.filter = *k == 0 ? "interface" : "tag";
            cmd.args.push_back(*k == 0 ? c.InterfaceName()
                                       : c.Word("expected the crypto map's name"));
        }
        c.End("expected interface or tag");
        return;
    }
    if (cw == "dynamic-map")
    {
        cmd.kind = Kind::SHOW_CRYPTO_DYNAMIC_MAP;
        if (c.OptionalKeyword({"tag"}))
        {
            cmd.filter = "tag";
            cmd.args.push_back(c.Word("expected the dynamic map's name"));
        }
        c.End("expected tag");
        return;
    }
    static const Words ipsec = {"sa", "security-association", "transform-set"};
    const std::string iw = ipsec[c.Keyword(ipsec)];
    if (iw == "sa")
    {
        ShowIpsecSa(c, cmd);
    }
    else if (iw == "security-association")
    {
        cmd.kind = Kind::SHOW_CRYPTO_SA_LIFETIME;
        c.Keyword({"lifetime"});
        c.End();
    }
    else
    {
        cmd.kind = Kind::SHOW_CRYPTO_TRANSFORM_SET;
        if (c.OptionalKeyword({"tag"}))
        {
            cmd.filter = "tag";
            cmd.args.push_back(c.Word("expected the transform set's name"));
        }
        c.End("expected tag");
    }
}

/** `show crypto key pubkey-chain rsa [address A | name N]` (after `rsa`) */
void
ShowPubkeyChain(IosCursor& c, IosExecCommand& cmd)
{
    cmd.kind = Kind::SHOW_CRYPTO_KEY_PUBKEY_CHAIN_RSA;
    if (c.AtEnd())
    {
        return;
    }
    if (c.Keyword({"address", "name"}, "expected address or name") == 0)
    {
        cmd.filter = "address";
        std::ostringstream os;
        os << c.Address("expected the key's address A.B.C.D");
        cmd.args.push_back(os.str());
    }
    else
    {
        cmd.filter = "name";
        cmd.args.push_back(c.Word("expected the key's name"));
    }
    c.End();
}

/** `show crypto pki|ca certificates|trustpoints [NAME]`, `show crypto key mypubkey rsa [L]`,
 *  `show crypto key pubkey-chain rsa [...]` */
void
ShowPki(IosCursor& c, IosExecCommand& cmd, bool key)
{
    if (key)
    {
        const bool chain =
            c.Keyword({"mypubkey", "pubkey-chain"}, "expected mypubkey or pubkey-chain") == 1;
        c.Keyword({"rsa"}, "expected rsa");
        if (chain)
        {
            ShowPubkeyChain(c, cmd);
            return;
        }
        cmd.kind = Kind::SHOW_CRYPTO_KEY_MYPUBKEY_RSA;
    }
    else
    {
        cmd.kind = c.Keyword({"certificates", "trustpoints"}, "expected certificates or "
                                                              "trustpoints") == 0
                       ? Kind::SHOW_CRYPTO_PKI_CERTIFICATES
                       : Kind::SHOW_CRYPTO_PKI_TRUSTPOINTS;
        // `verbose`: every field of each certificate (cmd.detail); `status` reads as the list.
        if (auto k = c.OptionalKeyword({"status", "verbose"}))
        {
            cmd.detail = *k == 1;
        }
    }
    if (!c.AtEnd())
    {
        cmd.args.push_back(c.Word(""));
    }
    c.End();
}

/** `crypto key generate|zeroize rsa ...`, `crypto pki|ca authenticate|enroll NAME` */
void
Crypto(IosCursor& c, IosExecCommand& cmd)
{
    static const Words words = {"ca", "key", "pki"};
    if (c.Keyword(words, "expected key, pki or ca") != 1)
    {
        cmd.kind = c.Keyword({"authenticate", "enroll"}, "expected authenticate or enroll") == 0
                       ? Kind::CRYPTO_PKI_AUTHENTICATE
                       : Kind::CRYPTO_PKI_ENROLL;
        cmd.args.push_back(c.Word("expected the trustpoint's name"));
        c.End();
        return;
    }
    const bool generate = c.Keyword({"generate", "zeroize"}, "expected generate or zeroize") == 0;
    c.Keyword({"rsa"}, "expected rsa");
    if (!generate)
    {
        cmd.kind = Kind::CRYPTO_KEY_ZEROIZE_RSA;
        if (!c.AtEnd())
        {
            cmd.args.push_back(c.Word(""));
        }
        c.End();
        return;
    }
    cmd.kind = Kind::CRYPTO_KEY_GENERATE_RSA;
    std::string label, modulus;
    static const Words options = {"exportable", "general-keys", "label", "modulus", "usage-keys"};
    while (!c.AtEnd())
    {
        const std::string o = options[c.Keyword(options, "expected general-keys, usage-keys, "
                                                         "label, modulus or exportable")];
        if (o == "label")
        {
            label = c.Word("expected the key pair's label");
        }
        else if (o == "modulus")
        {
            const uint64_t n = c.Number(360, 4096,
                                        "expected the modulus size in bits, 360 to "
                                        "4096");
            if (n % 2 != 0)
            {
                c.FailAt(c.Position() - 1, "expected an even modulus size");
            }
            modulus = std::to_string(n);
        }
        else if (o == "usage-keys")
        {
            cmd.filter = "usage-keys";
        }
    }
    cmd.args = {label, modulus};
}

/** `clear crypto sa [peer A | map M | entry DEST PROTO SPI]`, `clear crypto isakmp [CONN-ID]`,
 *  `clear crypto session [remote A]`, `clear crypto ikev2 sa [...]` */
void
Clear(IosCursor& c, IosExecCommand& cmd)
{
    c.Keyword({"crypto"});
    const size_t what = c.Keyword({"ikev2", "isakmp", "sa", "session"});
    if (what == 0)
    {
        // clear crypto ikev2 sa [local A | remote A | fvrf V | TUNNEL-ID]
        cmd.kind = Kind::CLEAR_CRYPTO_IKEV2_SA;
        c.Keyword({"sa"}, "expected sa");
        Ikev2SaFilter(c, cmd, true);
        c.End();
        return;
    }
    if (what == 3)
    {
        cmd.kind = Kind::CLEAR_CRYPTO_SESSION;
        if (c.OptionalKeyword({"remote"}))
        {
            cmd.filter = "remote";
            std::ostringstream os;
            os << c.Address("expected the peer's address A.B.C.D");
            cmd.args.push_back(os.str());
        }
        c.End("expected remote");
        return;
    }
    if (what == 1)
    {
        cmd.kind = Kind::CLEAR_CRYPTO_ISAKMP;
        if (!c.AtEnd())
        {
            cmd.args.push_back(std::to_string(
                c.Number(1, 4294967295u, "expected the connection id of an IKE SA")));
        }
        c.End();
        return;
    }
    cmd.kind = Kind::CLEAR_CRYPTO_SA;
    static const Words filters = {"entry", "map", "peer"};
    if (auto k = c.OptionalKeyword(filters))
    {
        cmd.filter = filters[*k];
        if (cmd.filter == "map")
        {
            cmd.args.push_back(c.Word("expected the crypto map's name"));
        }
        else
        {
            std::ostringstream os;
            os << c.Address(cmd.filter == "peer" ? "expected the peer's address A.B.C.D"
                                                 : "expected the destination address A.B.C.D");
            cmd.args.push_back(os.str());
        }
        if (cmd.filter == "entry")
        {
            static const Words protocols = {"ah", "esp"};
            cmd.args.push_back(protocols[c.Keyword(protocols)]);
            cmd.args.push_back(std::to_string(
                c.Number(256, 4294967295u, "expected the SPI, 256 to 4294967295", true)));
        }
    }
    c.End(cmd.filter.empty() ? "expected peer, map or entry" : "");
}
} // namespace

IosExecCommand
IosExecParser::Parse(const std::string& line)
{
    IosLocation where{"<exec>", 1, line};
    if (!where.text.empty() && where.text.back() == '\r')
    {
        where.text.pop_back();
    }
    IosCursor c(where);
    IosExecCommand cmd;
    cmd.text = where.text;
    static const Words words = {"clear", "crypto", "show"};
    const size_t w = c.Keyword(words, "expected show or clear, or a crypto key or pki command");
    if (w == 0)
    {
        Clear(c, cmd);
    }
    else if (w == 1)
    {
        Crypto(c, cmd);
    }
    else
    {
        Show(c, cmd);
    }
    return cmd;
}

} // namespace ns3
