// The Transform payload (RFC 2408 3.6).
#ifndef IPSEC_ISAKMP_TRANSFORM_PAYLOAD_H
#define IPSEC_ISAKMP_TRANSFORM_PAYLOAD_H

#include "ns3/isakmp-attribute.h"

namespace ns3
{

/**
 * @brief Transform payload (RFC 2408 3.6): a transform of a proposal and its SA attributes.
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !  Transform #  !  Transform-Id !           RESERVED2           !
 ~                        SA Attributes                          ~
 @endverbatim
 */
class IsakmpTransform : public IsakmpPayload
{
public:
    IsakmpTransform();
    /** @param number Transform # @param id Transform-Id (IsakmpTransformId) */
    IsakmpTransform(uint8_t number, uint8_t id);
    ~IsakmpTransform() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param number the Transform # */
    void SetTransformNumber(uint8_t number);
    /** @return the Transform # */
    uint8_t GetTransformNumber() const;
    /** @param id the Transform-Id */
    void SetTransformId(uint8_t id);
    /** @return the Transform-Id */
    uint8_t GetTransformId() const;
    /** @brief Append @p attr to the SA attributes. @return *this */
    IsakmpTransform& AddAttribute(const IsakmpAttribute& attr);
    /** @return the SA attributes in wire order */
    const std::vector<IsakmpAttribute>& GetAttributes() const;
    /** @return the first attribute of @p type, or nullptr */
    const IsakmpAttribute* FindAttribute(uint16_t type) const;
    /** @return the integer value of the first attribute of @p type, if present and numeric */
    std::optional<uint64_t> GetAttributeValue(uint16_t type) const;

private:
    uint8_t m_number;                          //!< Transform #
    uint8_t m_id;                              //!< Transform-Id
    std::vector<IsakmpAttribute> m_attributes; //!< SA Attributes
};

} // namespace ns3

#endif
