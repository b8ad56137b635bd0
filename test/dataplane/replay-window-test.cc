// IpsecReplayWindow: RFC 4303 3.4.3 anti-replay, checked against hand-worked cases and a
// naive reference model.
#include "ns3/ipsec-replay-window.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

using namespace ns3;
using RC = IpsecReplayWindow::ReplayCheck;

namespace
{

/** Check, then Accept if Ok: what the receive path does when every ICV verifies. */
RC
Receive(IpsecReplayWindow& w, uint32_t seq)
{
    RC r = w.Check(seq);
    if (r == RC::Ok)
    {
        w.Accept(seq);
    }
    return r;
}

/** Obviously-correct model: the set of every sequence number accepted. */
class NaiveWindow
{
public:
    explicit NaiveWindow(uint32_t size) : m_size(size)
    {
    }

    RC Check(uint32_t seq) const
    {
        if (seq == 0)
        {
            return RC::Zero;
        }
        if (seq > m_highest)
        {
            return RC::Ok;
        }
        if (uint64_t{m_highest} - seq >= m_size)
        {
            return RC::TooOld;
        }
        return m_seen.count(seq) ? RC::Duplicate : RC::Ok;
    }

    void Accept(uint32_t seq)
    {
        if (seq == 0 || (seq <= m_highest && uint64_t{m_highest} - seq >= m_size))
        {
            return;
        }
        m_seen.insert(seq);
        if (seq > m_highest)
        {
            m_highest = seq;
        }
    }

    uint32_t GetHighest() const
    {
        return m_highest;
    }

private:
    uint32_t m_size;
    uint32_t m_highest{0};
    std::set<uint32_t> m_seen;
};

} // namespace

TEST(ReplayWindowTest, SizesAreValidated)
{
    EXPECT_EQ(IpsecReplayWindow().GetWindowSize(), 64u);
    for (uint32_t size : {32u, 64u, 96u, 128u, 256u, 512u, 992u, 1024u})
    {
        EXPECT_EQ(IpsecReplayWindow(size).GetWindowSize(), size);
    }
    for (uint32_t size : {0u, 1u, 16u, 31u, 33u, 48u, 100u, 1000u, 1056u, 2048u, 0xffffffffu})
    {
        EXPECT_THROW(IpsecReplayWindow{size}, std::invalid_argument) << size;
    }
}

TEST(ReplayWindowTest, StartsEmpty)
{
    IpsecReplayWindow w;
    EXPECT_EQ(w.GetHighest(), 0u);
    EXPECT_EQ(w.Check(1), RC::Ok);
    EXPECT_EQ(w.Check(64), RC::Ok);
    EXPECT_EQ(w.Check(0xffffffffu), RC::Ok);
}

TEST(ReplayWindowTest, ZeroIsNeverValid)
{
    IpsecReplayWindow w;
    EXPECT_EQ(w.Check(0), RC::Zero);
    w.Accept(0);
    EXPECT_EQ(w.GetHighest(), 0u);
    EXPECT_EQ(w.Check(1), RC::Ok);
    for (uint32_t s = 1; s <= 10; ++s)
    {
        Receive(w, s);
    }
    EXPECT_EQ(w.Check(0), RC::Zero); // Zero, not TooOld or Duplicate
}

TEST(ReplayWindowTest, InOrderSequenceIsAccepted)
{
    IpsecReplayWindow w;
    for (uint32_t s = 1; s <= 100000; ++s)
    {
        ASSERT_EQ(Receive(w, s), RC::Ok) << s;
        ASSERT_EQ(w.GetHighest(), s);
    }
}

TEST(ReplayWindowTest, DuplicatesAreRejected)
{
    IpsecReplayWindow w;
    for (uint32_t s = 1; s <= 10; ++s)
    {
        Receive(w, s);
    }
    for (uint32_t s = 1; s <= 10; ++s)
    {
        EXPECT_EQ(w.Check(s), RC::Duplicate) << s;
    }
    EXPECT_EQ(w.Check(11), RC::Ok);
}

TEST(ReplayWindowTest, ReorderedWithinWindowIsAcceptedOnce)
{
    IpsecReplayWindow w;
    EXPECT_EQ(Receive(w, 10), RC::Ok);
    EXPECT_EQ(Receive(w, 5), RC::Ok);
    EXPECT_EQ(w.GetHighest(), 10u); // a left-side packet does not move the window
    EXPECT_EQ(Receive(w, 5), RC::Duplicate);
    EXPECT_EQ(Receive(w, 7), RC::Ok);
    EXPECT_EQ(Receive(w, 6), RC::Ok);
    EXPECT_EQ(Receive(w, 7), RC::Duplicate);
    EXPECT_EQ(Receive(w, 10), RC::Duplicate);
    EXPECT_EQ(w.Check(1), RC::Ok);
    EXPECT_EQ(w.Check(9), RC::Ok);

    // A whole window delivered backwards: every packet accepted exactly once.
    IpsecReplayWindow b(64);
    for (uint32_t s = 200; s >= 137; --s)
    {
        EXPECT_EQ(Receive(b, s), RC::Ok) << s;
    }
    for (uint32_t s = 137; s <= 200; ++s)
    {
        EXPECT_EQ(b.Check(s), RC::Duplicate) << s;
    }
    EXPECT_EQ(b.Check(136), RC::TooOld);
}

TEST(ReplayWindowTest, LeftOfWindowIsTooOld)
{
    IpsecReplayWindow w(64);
    Receive(w, 100);
    EXPECT_EQ(w.Check(37), RC::Ok);     // 100 - 64 + 1: left edge, not seen
    EXPECT_EQ(w.Check(36), RC::TooOld); // 100 - 64
    EXPECT_EQ(w.Check(1), RC::TooOld);
    w.Accept(36); // ignored
    EXPECT_EQ(w.Check(36), RC::TooOld);
    EXPECT_EQ(w.GetHighest(), 100u);
}

class ReplayWindowSizeTest : public ::testing::TestWithParam<uint32_t>
{
};

TEST_P(ReplayWindowSizeTest, EdgesOfTheWindow)
{
    const uint32_t size = GetParam();
    IpsecReplayWindow w(size);
    const uint32_t high = 5000;
    ASSERT_EQ(Receive(w, high), RC::Ok);

    EXPECT_EQ(w.Check(high - size + 1), RC::Ok);
    EXPECT_EQ(w.Check(high - size), RC::TooOld);
    EXPECT_EQ(w.Check(high), RC::Duplicate);
    EXPECT_EQ(Receive(w, high - size + 1), RC::Ok);
    EXPECT_EQ(w.Check(high - size + 1), RC::Duplicate);

    // Fill the whole window: every number in it is then a duplicate, the next one left of it
    // is too old, and the next one right of it is new.
    for (uint32_t s = high - size + 1; s <= high; ++s)
    {
        Receive(w, s);
    }
    for (uint32_t s = high - size + 1; s <= high; ++s)
    {
        ASSERT_EQ(w.Check(s), RC::Duplicate) << s;
    }
    EXPECT_EQ(w.Check(high - size), RC::TooOld);
    EXPECT_EQ(w.Check(high + 1), RC::Ok);

    // Slide by one: the old left edge drops out, the new right edge is recorded.
    EXPECT_EQ(Receive(w, high + 1), RC::Ok);
    EXPECT_EQ(w.Check(high - size + 1), RC::TooOld);
    EXPECT_EQ(w.Check(high - size + 2), RC::Duplicate);
}

TEST_P(ReplayWindowSizeTest, JumpLessThanWindowKeepsOverlap)
{
    const uint32_t size = GetParam();
    IpsecReplayWindow w(size);
    for (uint32_t s = 1; s <= size; ++s)
    {
        Receive(w, s);
    }
    const uint32_t jump = size + size / 2; // new left edge at size / 2 + 1
    EXPECT_EQ(Receive(w, jump), RC::Ok);
    EXPECT_EQ(w.Check(size / 2), RC::TooOld);
    for (uint32_t s = size / 2 + 1; s <= size; ++s)
    {
        ASSERT_EQ(w.Check(s), RC::Duplicate) << s; // still remembered
    }
    for (uint32_t s = size + 1; s < jump; ++s)
    {
        ASSERT_EQ(w.Check(s), RC::Ok) << s; // skipped over, may still arrive
    }
}

TEST_P(ReplayWindowSizeTest, BigJumpClearsTheBitmap)
{
    const uint32_t size = GetParam();
    IpsecReplayWindow w(size);
    for (uint32_t s = 1; s <= 4 * size; ++s)
    {
        Receive(w, s);
    }
    // Jumps of exactly one window, of a multiple of the internal ring and of an odd amount:
    // nothing of the old bits may survive into the new window.
    uint32_t high = 4 * size;
    for (uint32_t jump : {size, 2 * size, 4 * size, 8 * size + 63, 100000u})
    {
        high += jump;
        ASSERT_EQ(Receive(w, high), RC::Ok);
        EXPECT_EQ(w.GetHighest(), high);
        for (uint32_t s = high - size + 1; s < high; ++s)
        {
            ASSERT_EQ(w.Check(s), RC::Ok) << "jump " << jump << " seq " << s;
        }
        EXPECT_EQ(w.Check(high), RC::Duplicate);
        EXPECT_EQ(w.Check(high - size), RC::TooOld);
    }
}

TEST_P(ReplayWindowSizeTest, TopOfTheSequenceSpace)
{
    const uint32_t size = GetParam();
    IpsecReplayWindow w(size);
    const uint32_t top = 0xffffffffu;
    Receive(w, top - 3 * size);
    EXPECT_EQ(Receive(w, top), RC::Ok);
    EXPECT_EQ(w.Check(top), RC::Duplicate);
    EXPECT_EQ(w.Check(top - size + 1), RC::Ok);
    EXPECT_EQ(w.Check(top - size), RC::TooOld);
    EXPECT_EQ(Receive(w, top - 1), RC::Ok);
    EXPECT_EQ(w.Check(top - 1), RC::Duplicate);
}

TEST_P(ReplayWindowSizeTest, AgreesWithNaiveModel)
{
    const uint32_t size = GetParam();
    IpsecReplayWindow w(size);
    NaiveWindow ref(size);
    std::mt19937 rng(12345 + size);
    std::map<RC, int> seen;
    uint32_t next = 1;              // the genuine sender's next sequence number
    std::vector<uint32_t> accepted; // the last few sequence numbers accepted
    for (int k = 0; k < 50000; ++k)
    {
        uint32_t seq;
        bool icvOk = true;
        uint32_t pick = rng() % 100;
        if (pick < 60)
        {
            seq = next++; // in order
        }
        else if (pick < 72 && !accepted.empty())
        {
            seq = accepted[rng() % accepted.size()]; // replay of a recent packet
        }
        else if (pick < 85)
        {
            seq = next - std::min<uint32_t>(next - 1, rng() % (size + size / 2)); // late or dup
        }
        else if (pick < 94)
        {
            next += rng() % (3 * size); // a burst was lost (or reordered far)
            seq = next++;
        }
        else if (pick < 99)
        {
            // Forged: any value near or far right of the window; its ICV never verifies.
            seq = next + rng() % (pick < 97 ? 4 * size : 1u << 30);
            icvOk = false;
        }
        else
        {
            seq = 0;
        }
        RC expected = ref.Check(seq);
        ++seen[expected];
        ASSERT_EQ(w.Check(seq), expected) << "step " << k << " seq " << seq;
        if (expected == RC::Ok && icvOk)
        {
            w.Accept(seq);
            ref.Accept(seq);
            accepted.push_back(seq);
            if (accepted.size() > 32)
            {
                accepted.erase(accepted.begin());
            }
        }
        ASSERT_EQ(w.GetHighest(), ref.GetHighest()) << "step " << k;
    }
    // The stream exercised every outcome.
    EXPECT_GT(seen[RC::Ok], 30000);
    EXPECT_GT(seen[RC::Duplicate], 1000);
    EXPECT_GT(seen[RC::TooOld], 100);
    EXPECT_GT(seen[RC::Zero], 100);
}

INSTANTIATE_TEST_SUITE_P(Sizes, ReplayWindowSizeTest,
                         ::testing::Values(32u, 64u, 96u, 128u, 160u, 1024u));

TEST(ReplayWindowTest, CheckDoesNotChangeTheWindow)
{
    // The ICV-failure case: a forged packet with a huge sequence number passes Check() but
    // fails the ICV check, so Accept() is never called and the window must not have moved.
    IpsecReplayWindow w(64);
    for (uint32_t s = 1; s <= 10; ++s)
    {
        Receive(w, s);
    }
    const IpsecReplayWindow& cw = w; // Check is const
    EXPECT_EQ(cw.Check(0x7fffffffu), RC::Ok);
    EXPECT_EQ(cw.Check(0xffffffffu), RC::Ok);
    EXPECT_EQ(cw.Check(5), RC::Duplicate);
    EXPECT_EQ(cw.Check(0), RC::Zero);
    EXPECT_EQ(w.GetHighest(), 10u);
    // Genuine traffic continues as if the forgery never came.
    EXPECT_EQ(w.Check(11), RC::Ok);
    EXPECT_EQ(w.Check(3), RC::Duplicate);
    for (uint32_t s = 11; s <= 20; ++s)
    {
        EXPECT_EQ(Receive(w, s), RC::Ok);
    }
    EXPECT_EQ(w.GetHighest(), 20u);

    // Whereas an accepted high number does move it.
    w.Accept(0x7fffffffu);
    EXPECT_EQ(w.Check(21), RC::TooOld);
}

TEST(ReplayWindowTest, ResultNames)
{
    EXPECT_STREQ(ToString(RC::Ok), "ok");
    EXPECT_STREQ(ToString(RC::Zero), "zero");
    EXPECT_STREQ(ToString(RC::Duplicate), "duplicate");
    EXPECT_STREQ(ToString(RC::TooOld), "too-old");
}

TEST(ReplayWindowTest, CopiesAreIndependentForInlineAndHeapBitmaps)
{
    // Windows up to 64 keep their bitmap in the object, larger ones on the heap; a copy must
    // carry the state and then go its own way in both cases.
    for (uint32_t size : {32u, 64u, 96u, 1024u})
    {
        SCOPED_TRACE(size);
        IpsecReplayWindow a(size);
        for (uint32_t seq : {1u, 2u, 5u, 20u})
        {
            a.Accept(seq);
        }
        IpsecReplayWindow b(a);
        EXPECT_EQ(b.GetWindowSize(), size);
        EXPECT_EQ(b.GetHighest(), 20u);
        EXPECT_EQ(b.Check(5), IpsecReplayWindow::ReplayCheck::Duplicate);
        EXPECT_EQ(b.Check(6), IpsecReplayWindow::ReplayCheck::Ok);
        b.Accept(6);
        EXPECT_EQ(a.Check(6), IpsecReplayWindow::ReplayCheck::Ok) << "the copy shares nothing";
        IpsecReplayWindow c(32);
        c = b;
        EXPECT_EQ(c.GetWindowSize(), size);
        EXPECT_EQ(c.Check(6), IpsecReplayWindow::ReplayCheck::Duplicate);
        c.Accept(7);
        EXPECT_EQ(b.Check(7), IpsecReplayWindow::ReplayCheck::Ok);
    }
}
