# The Go toolchains the example programs (minipouchd, dumpgen) are built with: Debian's
# default `go` (GO_EXECUTABLE: golang-go, Go 1.19 on bookworm) and every extra one that
# scripts/setup extracted under LEAKPROBE_GO_TOOLCHAINS_DIR, e.g.
# build/toolchains/go1.27/usr/lib/go-1.27/bin/go (see docs/dependencies.md). The folder is
# globbed with CONFIGURE_DEPENDS: a toolchain fetched, or removed, after the first configure
# is seen by the next build, which configures again.
#
# Sets:
#   LEAKPROBE_GO_VERSION               "go1.19.8": the default toolchain's
#   LEAKPROBE_GO_TOOLCHAINS            the extra ones found, by id: "go123;go127"
#   LEAKPROBE_GO_<id>_NAME             "go1.27" (its folder)
#   LEAKPROBE_GO_<id>_EXECUTABLE       its go binary
#   LEAKPROBE_GO_<id>_VERSION          "go1.27.4"
#   LEAKPROBE_GO_<id>_MINOR            27
# A folder whose go binary does not run is left out, with a warning.

set(LEAKPROBE_GO_TOOLCHAINS_DIR "${CMAKE_SOURCE_DIR}/build/toolchains" CACHE PATH
    "where scripts/setup puts the extra Go toolchains (go1.XX/usr/lib/go-1.XX/bin/go)")

execute_process(COMMAND ${GO_EXECUTABLE} env GOVERSION OUTPUT_VARIABLE LEAKPROBE_GO_VERSION
                OUTPUT_STRIP_TRAILING_WHITESPACE)

file(GLOB _lp_go_bins CONFIGURE_DEPENDS "${LEAKPROBE_GO_TOOLCHAINS_DIR}/go1.*/usr/lib/go-1.*/bin/go")
set(LEAKPROBE_GO_TOOLCHAINS "")
foreach(_lp_go IN LISTS _lp_go_bins)
  string(REGEX MATCH "/(go1\\.([0-9]+))/usr/lib/go-1\\.[0-9]+/bin/go$" _lp_match "${_lp_go}")
  if(NOT _lp_match)
    continue()
  endif()
  set(_lp_name "${CMAKE_MATCH_1}")
  set(_lp_minor "${CMAKE_MATCH_2}")
  string(REPLACE "." "" _lp_id "${_lp_name}")
  # GOROOT from the caller would point this go at another toolchain's library.
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=GOROOT GOTOOLCHAIN=local
                          "${_lp_go}" env GOVERSION
                  OUTPUT_VARIABLE _lp_version OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _lp_result ERROR_QUIET)
  if(NOT _lp_result EQUAL 0 OR NOT _lp_version MATCHES "^${_lp_name}([.]|$)")
    message(WARNING "${_lp_go} does not run as ${_lp_name} (\"${_lp_version}\"); "
                    "not building the examples with it. scripts/setup extracts it again "
                    "once its folder is removed.")
    continue()
  endif()
  list(APPEND LEAKPROBE_GO_TOOLCHAINS ${_lp_id})
  set(LEAKPROBE_GO_${_lp_id}_NAME "${_lp_name}")
  set(LEAKPROBE_GO_${_lp_id}_EXECUTABLE "${_lp_go}")
  set(LEAKPROBE_GO_${_lp_id}_VERSION "${_lp_version}")
  set(LEAKPROBE_GO_${_lp_id}_MINOR "${_lp_minor}")
endforeach()
if(LEAKPROBE_GO_TOOLCHAINS)
  message(STATUS "Go toolchains: ${LEAKPROBE_GO_VERSION} (default) and ${LEAKPROBE_GO_TOOLCHAINS}")
else()
  message(STATUS "Go toolchains: ${LEAKPROBE_GO_VERSION} (default) only; scripts/setup fetches more")
endif()
