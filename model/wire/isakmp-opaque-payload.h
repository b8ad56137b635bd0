// The payloads that carry one opaque field: their common base.
#ifndef IPSEC_ISAKMP_OPAQUE_PAYLOAD_H
#define IPSEC_ISAKMP_OPAQUE_PAYLOAD_H

#include "ns3/isakmp-payload.h"

namespace ns3
{

/**
 * @brief A payload whose body is one opaque field: the base of KE, HASH, SIG, NONCE, VID and of
 * IsakmpRawPayload.
 */
class IsakmpOpaquePayload : public IsakmpPayload
{
public:
    IsakmpOpaquePayload();
    ~IsakmpOpaquePayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    void Print(std::ostream& os) const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param data the payload's data field */
    void SetData(const std::vector<uint8_t>& data);
    /** @return the data field */
    const std::vector<uint8_t>& GetData() const;

protected:
    /**
     * @return OK if @p len is an acceptable data length for this payload; the default accepts
     *         at least one byte
     * @param len the data length received
     */
    virtual IsakmpParseStatus CheckDataLength(size_t len) const;

    std::vector<uint8_t> m_data; //!< the data field
};

} // namespace ns3

#endif
