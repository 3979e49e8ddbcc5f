# `cmake --install` and `cpack -G DEB`: the binary, the man page and the JSON Schemas in the
# usual places (bin/, share/man/man1/, share/leakprobe/), and a Debian package of them.
include(GNUInstallDirs)

install(TARGETS leakprobe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Debian policy: man pages gzipped, reproducibly (-n: no name or time stamp inside).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(LEAKPROBE_MAN_GZ "${CMAKE_BINARY_DIR}/leakprobe.1.gz")
add_custom_command(
  OUTPUT "${LEAKPROBE_MAN_GZ}"
  COMMAND ${GZIP_EXECUTABLE} -9nc "${CMAKE_SOURCE_DIR}/docs/leakprobe.1" > "${LEAKPROBE_MAN_GZ}"
  DEPENDS "${CMAKE_SOURCE_DIR}/docs/leakprobe.1"
  COMMENT "gzip leakprobe.1"
  VERBATIM)
add_custom_target(leakprobe_man ALL DEPENDS "${LEAKPROBE_MAN_GZ}")
install(FILES "${LEAKPROBE_MAN_GZ}" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The report's JSON Schema (--json) is a source file. The scenario format's schema is the
# output of `leakprobe schema` when the binary has that subcommand, else a checked-in
# schema/leakprobe.schema.json when there is one.
set(LEAKPROBE_SCHEMA_DIR ${CMAKE_INSTALL_DATADIR}/leakprobe)
install(FILES "${CMAKE_SOURCE_DIR}/schema/leakprobe-report.schema.json"
        DESTINATION ${LEAKPROBE_SCHEMA_DIR})
file(READ "${CMAKE_SOURCE_DIR}/cli/cli.cc" LEAKPROBE_CLI_SOURCE)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/cli/cli.cc")
if(LEAKPROBE_CLI_SOURCE MATCHES "add_subcommand\\(\"schema\"")
  set(LEAKPROBE_SCENARIO_SCHEMA "${CMAKE_BINARY_DIR}/leakprobe.schema.json")
  add_custom_command(
    OUTPUT "${LEAKPROBE_SCENARIO_SCHEMA}"
    COMMAND leakprobe schema > "${LEAKPROBE_SCENARIO_SCHEMA}"
    DEPENDS leakprobe
    COMMENT "leakprobe schema > leakprobe.schema.json"
    VERBATIM)
  add_custom_target(leakprobe_scenario_schema ALL DEPENDS "${LEAKPROBE_SCENARIO_SCHEMA}")
  install(FILES "${LEAKPROBE_SCENARIO_SCHEMA}" DESTINATION ${LEAKPROBE_SCHEMA_DIR})
elseif(EXISTS "${CMAKE_SOURCE_DIR}/schema/leakprobe.schema.json")
  install(FILES "${CMAKE_SOURCE_DIR}/schema/leakprobe.schema.json" DESTINATION ${LEAKPROBE_SCHEMA_DIR})
endif()

install(FILES "${CMAKE_SOURCE_DIR}/README.md" "${CMAKE_SOURCE_DIR}/docs/scenario-format.md"
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack -G DEB (in the build folder) -> leakprobe_0.1.0_amd64.deb
set(CPACK_PACKAGE_NAME leakprobe)
set(CPACK_PACKAGE_VENDOR "leakprobe")
set(CPACK_PACKAGE_CONTACT "leakprobe maintainers <leakprobe@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "finds goroutine leaks in Go servers from the outside, in CI")
set(CPACK_PACKAGE_DESCRIPTION
    "leakprobe starts a Go server, runs YAML scenarios against it, reads its goroutine dump\n\
and reports goroutines that outlived the requests that started them as JUnit, JSON and\n\
Markdown.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/leakprobe/leakprobe")
set(CPACK_STRIP_FILES ON)
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from the libraries the binary links
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6, libstdc++6, libgcc-s1, libcpp-httplib0.11, libre2-9, libyaml-cpp0.7, libpugixml1v5")
endif()
include(CPack)
