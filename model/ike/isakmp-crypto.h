// Phase-1-protected ISAKMP messages (RFC 2409 Appendix B): CBC encryption of everything after the
// 28-byte header, and the IV chains of phase 1 and of each phase-2 / informational exchange.
#ifndef ISAKMP_CRYPTO_H
#define ISAKMP_CRYPTO_H

#include "ns3/cipher.h"
#include "ns3/ike-prf.h"
#include "ns3/isakmp-payloads.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/** @brief Outcome of IsakmpCipherState::Encrypt / Decrypt: the message bytes, or why not. */
struct IsakmpCryptoResult
{
    bool ok = false;            //!< true on success
    std::string error;          //!< reason on failure
    std::vector<uint8_t> bytes; //!< the whole message (header included) on success

    /** @return ok */
    explicit operator bool() const
    {
        return ok;
    }
};

/**
 * @return the CBC cipher for a phase-1 Encryption Algorithm attribute (RFC 2409 Appendix A) and
 *         Key Length attribute in bits (0 if absent): DES-CBC, 3DES-CBC, AES-CBC 128/192/256
 *         (RFC 3602: AES needs the Key Length); nullopt for anything else
 */
std::optional<ipsec::CipherAlgorithm> IkeCipherFromAttributes(uint16_t encryptionAlgorithm,
                                                              uint16_t keyLengthBits);
/** @return the hash for a phase-1 Hash Algorithm attribute (MD5, SHA, SHA2-256/384/512) */
std::optional<ipsec::IkeHash> IkeHashFromAttribute(uint16_t hashAlgorithm);

/**
 * @ingroup ipsec
 * @brief The encryption state of one ISAKMP SA: its CBC cipher and key, and the current IV of
 * phase 1 and of every phase-2 (quick mode, informational) exchange, keyed by Message ID.
 *
 * RFC 2409 Appendix B:
 * - "the IV for encryption of the first message of a Phase 1 exchange is derived from a hash of
 *   the concatenation of the initiator's public Diffie-Hellman value and the responder's public
 *   Diffie-Hellman value using the negotiated hash algorithm" (InitPhase1; the hash is truncated
 *   to the cipher block);
 * - "Subsequent messages MUST use the last CBC encryption block from the previous message as
 *   their initialization vector";
 * - "The IV for the phase 2 exchange is a hash of the final CBC output block from phase 1
 *   concatenated with the M-ID" (RFC 2409 5.5 and Appendix B; informational exchanges likewise,
 *   RFC 2409 5.7), the M-ID in network byte order.
 *
 * Message ID 0 selects the phase-1 chain; any other Message ID its own chain, started on first
 * use from the current phase-1 IV (which, once phase 1 has sent an encrypted message, is its
 * last CBC output block).
 *
 * Padding: RFC 2409 Appendix B: "Each message should be padded up to the nearest block size
 * using bytes containing 0x00. The message length in the header MUST include the length of the
 * pad since this reflects the size of the ciphertext." We append blockSize - (body % blockSize)
 * zero bytes (1 to blockSize), exactly as strongSwan's encrypted_payload.c encrypt_v1 does;
 * racoon (ipsec-tools oakley.c, oakley_do_encrypt) computes the same count but by default also
 * writes count - 1 in the last pad byte. Neither reads the padding back: a receiver parses the
 * payload chain and ignores what follows (IsakmpMessage::GetPaddingLength).
 *
 * Both directions share one chain per exchange: encrypting or decrypting a message advances it.
 * A decrypt that fails (bad length) leaves the IV alone; a caller that rejects a decrypted
 * message later (bad HASH) can put the previous IV back with GetIv / SetIv, as RFC 2409 peers
 * only advance the IV on messages they accept.
 */
class IsakmpCipherState
{
public:
    /**
     * @param alg a CBC cipher: DES, 3DES or AES-CBC (NULL and GCM are not IKEv1 phase-1 ciphers)
     * @param key the phase-1 encryption key (IkeEncryptionKey), of the cipher's key length
     * @param hash the negotiated hash (for the IVs)
     * @throws std::invalid_argument for another algorithm or a wrong key length
     */
    IsakmpCipherState(ipsec::CipherAlgorithm alg, const std::vector<uint8_t>& key,
                      ipsec::IkeHash hash);
    ~IsakmpCipherState();
    IsakmpCipherState(const IsakmpCipherState&) = delete;
    IsakmpCipherState& operator=(const IsakmpCipherState&) = delete;

    /** @return the cipher block size (8 for DES and 3DES, 16 for AES) */
    size_t GetBlockSize() const;

    /** @return hash(g^xi | g^xr) truncated to @p blockSize bytes */
    static std::vector<uint8_t> Phase1Iv(ipsec::IkeHash hash, const std::vector<uint8_t>& gxi,
                                         const std::vector<uint8_t>& gxr, size_t blockSize);
    /** @return hash(@p lastPhase1Block | M-ID) truncated to @p blockSize bytes */
    static std::vector<uint8_t> Phase2Iv(ipsec::IkeHash hash,
                                         const std::vector<uint8_t>& lastPhase1Block,
                                         uint32_t messageId, size_t blockSize);
    /** @return the number of zero bytes appended to a body of @p bodyLen bytes (1..blockSize) */
    static size_t PaddingLength(size_t bodyLen, size_t blockSize);

    /**
     * @brief Start the phase-1 chain from the two KE payloads' data.
     * @param gxi the initiator's public value g^xi
     * @param gxr the responder's public value g^xr
     */
    void InitPhase1(const std::vector<uint8_t>& gxi, const std::vector<uint8_t>& gxr);
    /** @return true once InitPhase1 has been called */
    bool HasPhase1Iv() const;
    /**
     * @return the IV the next message of exchange @p messageId uses (0 = phase 1): for a
     *         phase-2 exchange not seen yet, the IV it would start with; nullopt before
     *         InitPhase1
     */
    std::optional<std::vector<uint8_t>> GetIv(uint32_t messageId) const;
    /** @brief Set the IV of exchange @p messageId (0 = phase 1); must be one block. */
    void SetIv(uint32_t messageId, const std::vector<uint8_t>& iv);
    /** @brief Drop the IV chain of a finished phase-2 exchange. */
    void ForgetExchange(uint32_t messageId);
    /** @return the number of phase-2 exchanges with an IV chain */
    size_t GetNExchanges() const;

    /**
     * @brief Encrypt a whole message given in the clear (header, then payloads).
     *
     * The body is padded and encrypted with the exchange's IV (by the header's Message ID); the
     * E flag is set and Length updated to cover the padding; the IV chain advances to the last
     * ciphertext block.
     * @param message the cleartext message; its Length must equal its size
     */
    IsakmpCryptoResult Encrypt(const std::vector<uint8_t>& message);
    /**
     * @brief Decrypt a whole message with the E flag set.
     * @return the header unchanged (E flag, Length with padding) and the plaintext body,
     *         padding included; fails if the message is short, its Length disagrees, the E flag
     *         is clear, the body is not whole blocks, or there is no IV yet
     */
    IsakmpCryptoResult Decrypt(const std::vector<uint8_t>& message);
    /** @brief Encrypt @p message (serialized with ToBytes). */
    IsakmpCryptoResult EncryptMessage(const IsakmpMessage& message);
    /**
     * @brief Decrypt and parse.
     * @param message the received bytes
     * @param[out] status why it failed (code ENCRYPTED for a decryption failure)
     * @return the message with its payloads and GetPaddingLength(), or nullopt
     */
    std::optional<IsakmpMessage> DecryptMessage(const std::vector<uint8_t>& message,
                                                IsakmpParseStatus* status = nullptr);

private:
    /** @return the IV for @p messageId, deriving a phase-2 one, or nullopt */
    std::optional<std::vector<uint8_t>> CurrentIv(uint32_t messageId) const;
    /** @brief Record @p lastBlock as the IV after a message of @p messageId. */
    void Advance(uint32_t messageId, const uint8_t* lastBlock);

    std::unique_ptr<ipsec::Cipher> m_cipher;                //!< CBC cipher, keyed
    ipsec::IkeHash m_hash;                                  //!< negotiated hash
    size_t m_blockSize;                                     //!< cipher block size
    std::vector<uint8_t> m_phase1Iv;                        //!< current phase-1 IV
    std::map<uint32_t, std::vector<uint8_t>> m_exchangeIvs; //!< phase-2 IVs by M-ID
};

} // namespace ns3

#endif /* ISAKMP_CRYPTO_H */
