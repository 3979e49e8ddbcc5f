// gRPC message framing: encode, and cut a stream arriving in any pieces.
#include "wire/grpc_frame.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(GrpcFrame, EncodesFlagAndBigEndianLength) {
  EXPECT_EQ(EncodeGrpcMessage(""), std::string("\0\0\0\0\0", 5));
  std::string big(300, 'x');
  std::string framed = EncodeGrpcMessage(big);
  ASSERT_EQ(framed.size(), 305u);
  EXPECT_EQ(framed.substr(0, 5), std::string("\0\0\0\x01\x2c", 5));
  EXPECT_EQ(framed.substr(5), big);
}

TEST(GrpcFrame, CutsMessagesAcrossAnyPieces) {
  const std::vector<std::string> messages = {"", "a", std::string(70000, 'b'), "hello"};
  std::string stream;
  for (const auto& m : messages) stream += EncodeGrpcMessage(m);
  for (size_t piece : {size_t(1), size_t(3), size_t(5), size_t(4096), stream.size()}) {
    GrpcFrameReader reader;
    std::vector<std::string> got;
    for (size_t i = 0; i < stream.size(); i += piece) {
      ASSERT_TRUE(reader.Feed(std::string_view(stream).substr(i, piece), &got).ok());
    }
    EXPECT_EQ(got, messages) << "pieces of " << piece;
    EXPECT_EQ(reader.pending(), 0u);
  }
}

TEST(GrpcFrame, KeepsAPartialMessagePending) {
  GrpcFrameReader reader;
  std::vector<std::string> got;
  ASSERT_TRUE(reader.Feed(EncodeGrpcMessage("abcdef").substr(0, 8), &got).ok());
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(reader.pending(), 8u);
}

TEST(GrpcFrame, RefusesCompressedAndOversizedMessages) {
  struct Case {
    std::string bytes;
    std::string error;
  };
  const std::vector<Case> cases = {
      {std::string("\x01\0\0\0\x01x", 6), "compressed message (flag 1): leakprobe asks for none"},
      {std::string("\0\0\0\x04\x01", 5), "message of 1025 bytes is over the limit of 1024"},
  };
  for (const Case& c : cases) {
    GrpcFrameReader reader(1024);
    std::vector<std::string> got;
    Status st = reader.Feed(c.bytes, &got);
    EXPECT_EQ(st.message(), c.error);
  }
}

}  // namespace
}  // namespace leakprobe
