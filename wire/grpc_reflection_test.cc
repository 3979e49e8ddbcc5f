// Server reflection's two messages, encoded and decoded by hand.
#include "wire/grpc_reflection.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(GrpcReflection, EncodesFileContainingSymbol) {
  EXPECT_EQ(EncodeReflectionRequest("a.B"), std::string("\x22\x03" "a.B"));
}

TEST(GrpcReflection, DecodesFilesAndErrors) {
  // original_request (2) skipped; file_descriptor_response (4) with two files.
  const std::string files = std::string("\x12\x02\x22\x00", 4) + "\x22\x08" "\x0a\x02" "f1" "\x0a\x02" "f2";
  auto got = DecodeReflectionResponse(files);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got.value(), (std::vector<std::string>{"f1", "f2"}));

  // error_response (7): error_code 5, error_message "gone".
  const std::string error = std::string("\x3a\x08\x08\x05\x12\x04" "gone", 10);
  EXPECT_EQ(DecodeReflectionResponse(error).status().message(), "NOT_FOUND: gone");
  EXPECT_EQ(DecodeReflectionResponse("\x22").status().message(), "a reflection response does not parse");
  EXPECT_EQ(DecodeReflectionResponse("").status().message(), "a reflection response without files");
}

}  // namespace
}  // namespace leakprobe
