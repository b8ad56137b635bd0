#include "ns3/ipsec-replay-window.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace ns3
{

IpsecReplayWindow::IpsecReplayWindow(uint32_t windowSize)
    : m_windowSize(windowSize), m_highest(0), m_wordMask(0)
{
    if (windowSize < MIN_SIZE || windowSize > MAX_SIZE || windowSize % 32 != 0)
    {
        throw std::invalid_argument("replay window size " + std::to_string(windowSize) +
                                    " is not a multiple of 32 in " + std::to_string(MIN_SIZE) +
                                    ".." + std::to_string(MAX_SIZE));
    }
    // The window spans at most ceil(size / 64) + 1 words; one more than the words it fills
    // keeps the word being entered on a slide apart from the oldest word still in use.
    // Rounded up to a power of two so that a sequence number maps to its word with a mask.
    uint32_t needed = (windowSize + 63) / 64 + 1;
    uint32_t words = 1;
    while (words < needed)
    {
        words <<= 1;
    }
    if (words > kInlineWords)
    {
        m_heapWords = std::make_unique<uint64_t[]>(words); // zeroed
    }
    m_wordMask = words - 1;
}

IpsecReplayWindow::IpsecReplayWindow(const IpsecReplayWindow& other)
    : m_windowSize(other.m_windowSize), m_highest(other.m_highest), m_wordMask(other.m_wordMask)
{
    if (other.m_heapWords)
    {
        m_heapWords = std::make_unique<uint64_t[]>(m_wordMask + 1);
    }
    std::copy(other.Words(), other.Words() + m_wordMask + 1, Words());
}

IpsecReplayWindow&
IpsecReplayWindow::operator=(const IpsecReplayWindow& other)
{
    if (this != &other)
    {
        IpsecReplayWindow copy(other);
        m_windowSize = copy.m_windowSize;
        m_highest = copy.m_highest;
        m_wordMask = copy.m_wordMask;
        m_heapWords = std::move(copy.m_heapWords);
        std::copy(copy.m_inlineWords, copy.m_inlineWords + kInlineWords, m_inlineWords);
    }
    return *this;
}

IpsecReplayWindow::ReplayCheck
IpsecReplayWindow::Check(uint32_t seq) const
{
    // RFC 4303 3.3.3: the sender's counter starts at 1 and never cycles, so 0 is never sent.
    if (seq == 0)
    {
        return ReplayCheck::Zero;
    }
    // RFC 4303 3.4.3: "if the packet is to the right of the window, then the receiver proceeds
    // to ICV verification".
    if (seq > m_highest)
    {
        return ReplayCheck::Ok;
    }
    // RFC 4303 3.4.3: "Packets that contain sequence numbers lower than the "left" edge of the
    // window are rejected."
    if (m_highest - seq >= m_windowSize)
    {
        return ReplayCheck::TooOld;
    }
    // RFC 4303 3.4.3: "If the received packet falls within the window and is new, ... the
    // receiver proceeds to ICV verification"; a packet already received is a duplicate.
    return TestBit(seq) ? ReplayCheck::Duplicate : ReplayCheck::Ok;
}

void
IpsecReplayWindow::Accept(uint32_t seq)
{
    if (seq == 0)
    {
        return;
    }
    if (seq > m_highest)
    {
        // Slide the right edge to seq: clear every word between the old edge's word
        // (exclusive) and the new one's (inclusive); a jump past the whole ring clears it all.
        uint32_t oldWord = m_highest >> 6;
        uint32_t newWord = seq >> 6;
        uint32_t entered = newWord - oldWord;
        uint64_t* words = Words();
        if (entered > m_wordMask)
        {
            std::fill(words, words + m_wordMask + 1, 0);
        }
        else
        {
            for (uint32_t k = 1; k <= entered; ++k)
            {
                words[(oldWord + k) & m_wordMask] = 0;
            }
        }
        m_highest = seq;
    }
    else if (m_highest - seq >= m_windowSize)
    {
        return; // left of the window: nothing to remember
    }
    SetBit(seq);
}

uint32_t
IpsecReplayWindow::GetHighest() const
{
    return m_highest;
}

uint32_t
IpsecReplayWindow::GetWindowSize() const
{
    return m_windowSize;
}

bool
IpsecReplayWindow::TestBit(uint32_t seq) const
{
    return (Words()[(seq >> 6) & m_wordMask] >> (seq & 63)) & 1U;
}

void
IpsecReplayWindow::SetBit(uint32_t seq)
{
    Words()[(seq >> 6) & m_wordMask] |= uint64_t{1} << (seq & 63);
}

const char*
ToString(IpsecReplayWindow::ReplayCheck check)
{
    switch (check)
    {
    case IpsecReplayWindow::ReplayCheck::Ok:
        return "ok";
    case IpsecReplayWindow::ReplayCheck::Zero:
        return "zero";
    case IpsecReplayWindow::ReplayCheck::Duplicate:
        return "duplicate";
    case IpsecReplayWindow::ReplayCheck::TooOld:
        return "too-old";
    }
    return "?";
}

std::ostream&
operator<<(std::ostream& os, IpsecReplayWindow::ReplayCheck check)
{
    return os << ToString(check);
}

} // namespace ns3
