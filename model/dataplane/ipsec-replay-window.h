// Anti-replay window for inbound ESP and AH SAs (RFC 4303 3.4.3, RFC 4302 3.4.3).
#ifndef IPSEC_REPLAY_WINDOW_H
#define IPSEC_REPLAY_WINDOW_H

#include <cstdint>
#include <memory>
#include <ostream>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief Sliding receive window over 32-bit sequence numbers (no ESN).
 *
 * Use it in two steps, as RFC 4303 3.4.3 and strongSwan's esp_context do:
 * 1. Check() before the ICV check: "If the received packet falls within the window and is
 *    new, or if the packet is to the right of the window, then the receiver proceeds to ICV
 *    verification." Check() never changes the window.
 * 2. Accept() after the ICV check passed: "The receive window is updated only if the ICV
 *    verification succeeds." So a forged packet with a high sequence number cannot slide
 *    the window and make genuine packets look old.
 *
 * The window covers the sequence numbers GetHighest() - size + 1 .. GetHighest(). A number to
 * its right is new; one inside is new unless already accepted; one to its left is too old.
 * Sequence number 0 is never valid: a sender starts at 1 (RFC 4303 2.2) and must not let the
 * counter cycle (RFC 4303 3.3.3).
 *
 * The bitmap is a ring of 64-bit words indexed by sequence number (the layout of RFC 6479),
 * with one spare word so that sliding never shifts bits: moving the right edge forward clears
 * the words it enters, which is O(1) for in-order traffic and at most one pass over the
 * bitmap for a jump. Check() is O(1).
 *
 * Memory: every inbound SA has one, so the two words a window of up to 64 packets needs (the
 * default) live in the object itself; only larger windows take a heap block.
 */
class IpsecReplayWindow
{
public:
    /** Result of Check(), in the order strongSwan's verify_seqno tests them. */
    enum class ReplayCheck
    {
        Ok,        //!< new: right of the window, or inside it and not yet accepted
        Zero,      //!< sequence number 0, never sent
        Duplicate, //!< inside the window and already accepted
        TooOld,    //!< left of the window
    };

    /** RFC 4303 3.4.3: "a window size of 64 is preferred and SHOULD be employed as the default" */
    static constexpr uint32_t DEFAULT_SIZE = 64;
    /** RFC 4303 3.4.3: "A MINIMUM window size of 32 packets MUST be supported" */
    static constexpr uint32_t MIN_SIZE = 32;
    /** Largest window accepted (IOS allows up to 1024). */
    static constexpr uint32_t MAX_SIZE = 1024;

    /**
     * @param windowSize number of sequence numbers tracked: MIN_SIZE..MAX_SIZE, a multiple of 32
     * @throws std::invalid_argument for any other size
     */
    explicit IpsecReplayWindow(uint32_t windowSize = DEFAULT_SIZE);
    IpsecReplayWindow(const IpsecReplayWindow& other);
    IpsecReplayWindow& operator=(const IpsecReplayWindow& other);

    /**
     * @brief Classify a received sequence number, without changing the window.
     * @param seq the Sequence Number field of the received packet
     * @return Ok if the packet may proceed to the ICV check
     */
    ReplayCheck Check(uint32_t seq) const;

    /**
     * @brief Record @p seq as received, sliding the window if it is right of it.
     *
     * Call after the ICV check passed for a packet whose Check() was Ok. Accepting 0, a
     * number left of the window or a duplicate changes nothing.
     * @param seq the authenticated sequence number
     */
    void Accept(uint32_t seq);

    /** @return the highest sequence number accepted so far (0 before the first) */
    uint32_t GetHighest() const;
    /** @return the window size given to the constructor */
    uint32_t GetWindowSize() const;

private:
    /** @param seq sequence number @return its bit is set */
    bool TestBit(uint32_t seq) const;
    /** @param seq sequence number whose bit to set */
    void SetBit(uint32_t seq);
    /** @return the ring of m_wordMask + 1 words; bit (seq % 64) of word (seq / 64) */
    uint64_t* Words()
    {
        return m_heapWords ? m_heapWords.get() : m_inlineWords;
    }
    const uint64_t* Words() const
    {
        return m_heapWords ? m_heapWords.get() : m_inlineWords;
    }

    static constexpr uint32_t kInlineWords = 2; //!< enough for DEFAULT_SIZE

    uint32_t m_windowSize;                     //!< sequence numbers covered by the window
    uint32_t m_highest;                        //!< right edge; 0 before the first Accept
    uint32_t m_wordMask;                       //!< words - 1 (the count is a power of two)
    std::unique_ptr<uint64_t[]> m_heapWords;   //!< the ring when it needs more words
    uint64_t m_inlineWords[kInlineWords] = {}; //!< the ring otherwise
};

/**
 * @brief Short name of a replay check result, e.g. "too-old".
 * @param check the result
 * @return a static string
 */
const char* ToString(IpsecReplayWindow::ReplayCheck check);

/**
 * @brief Print ToString(check).
 * @param os the stream
 * @param check the result
 * @return os
 */
std::ostream& operator<<(std::ostream& os, IpsecReplayWindow::ReplayCheck check);

} // namespace ns3

#endif /* IPSEC_REPLAY_WINDOW_H */
