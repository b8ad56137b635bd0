// Shared by the IOS configuration reader's tests: parse a configuration text, or get the error it
// raises, and expect an error at a line and column.
#ifndef IPSEC_TEST_IOS_CONFIG_PARSE_H
#define IPSEC_TEST_IOS_CONFIG_PARSE_H

#include "ns3/ios-config.h"

#include <gtest/gtest.h>

#include <string>

namespace ns3
{
namespace test
{

/** The test data folder of configuration files. */
inline const std::string kIosData = std::string(IPSEC_SOURCE_DIR) + "/test/data/ios/";

inline IosRouterConfig
P(const std::string& text)
{
    return IosConfigReader::Parse(text, "t.cfg");
}

/** The error @p text raises (the test fails if it parses). */
inline IosConfigError
E(const std::string& text)
{
    try
    {
        IosConfigReader::Parse(text, "t.cfg");
    }
    catch (const IosConfigError& e)
    {
        return e;
    }
    ADD_FAILURE() << "parsed without error:\n" << text;
    return IosConfigError(IosLocation{}, 0, "");
}

} // namespace test
} // namespace ns3

/** Expect an error at @p line (1-based), @p column (0-based) whose detail contains @p detail. */
#define EXPECT_IOS_ERROR(text, lineNo, col, detail)                                                \
    do                                                                                             \
    {                                                                                              \
        const IosConfigError err_ = ::ns3::test::E(text);                                          \
        EXPECT_EQ(err_.Where().line, lineNo) << err_.what();                                       \
        EXPECT_EQ(err_.Column(), size_t(col)) << err_.what();                                      \
        EXPECT_NE(err_.Detail().find(detail), std::string::npos) << err_.what();                   \
    } while (false)

#endif
