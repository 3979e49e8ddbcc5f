// An XML document as the text of a JUnit file: indented by two spaces, UTF-8. The one
// place both the JUnit writer and `leakprobe merge` turn a pugixml document into bytes.
// Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_XML_DOCUMENT_H_
#define LEAKPROBE_REPORTS_XML_DOCUMENT_H_

#include <string>

#include <pugixml.hpp>

namespace leakprobe {

std::string XmlDocumentText(const pugi::xml_document& doc);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_XML_DOCUMENT_H_
