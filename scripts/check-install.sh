#!/usr/bin/env bash
# Installs sharpipc into a scratch prefix and builds a consumer that knows it only as a package:
# with find_package(sharpipc) and with pkg-config, natively and (when mingw-w64 and wine are
# here) for Windows, running each consumer.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
WORK="$REPO/build/install-check"
rm -rf "$WORK"; mkdir -p "$WORK"
JOBS=${JOBS:-2}

step() { printf 'check-install: %s\n' "$*"; }

# The library alone needs only a C compiler: configure with BUILD_TESTING=OFF while cmocka cannot
# be found (its directories ignored), then make sure nothing looked for cmocka, dotnet or C++.
library_only_flags() { # dirs that hold cmocka
  local ignore
  ignore=$(IFS=';'; echo "$*")
  echo "-DBUILD_TESTING=OFF -DSHARPIPC_BUILD_SAMPLES=OFF -DCMAKE_IGNORE_PATH=$ignore"
}
assert_library_only() { # build dir
  if grep -Eq '^(CMOCKA_[A-Z_]*|SHARPIPC_DOTNET|CMAKE_CXX_COMPILER):' "$1/CMakeCache.txt"; then
    echo "check-install: the library-only configure in $1 looked for test tools:" >&2
    grep -E '^(CMOCKA_[A-Z_]*|SHARPIPC_DOTNET|CMAKE_CXX_COMPILER):' "$1/CMakeCache.txt" >&2
    exit 1
  fi
  if find "$1" -name 'test_*' -type f | grep -q .; then
    echo "check-install: BUILD_TESTING=OFF still built tests in $1" >&2; exit 1
  fi
}
native_cmocka_dirs=()
for f in /usr/include/cmocka.h /usr/local/include/cmocka.h; do [ -e "$f" ] && native_cmocka_dirs+=("$(dirname "$f")"); done
for f in /usr/lib/*/libcmocka.so* /usr/lib/libcmocka.so* /usr/local/lib/libcmocka*; do [ -e "$f" ] && native_cmocka_dirs+=("$(dirname "$f")"); done

# ---- native
step "native: build and install"
# shellcheck disable=SC2046
cmake -S "$REPO" -B "$WORK/native-build" -DCMAKE_BUILD_TYPE=Release $(library_only_flags "${native_cmocka_dirs[@]}") \
      -DCMAKE_INSTALL_PREFIX="$WORK/native-prefix" >/dev/null
cmake --build "$WORK/native-build" -j "$JOBS" >/dev/null
assert_library_only "$WORK/native-build"
step "native: add_subdirectory from another project (tests, samples, benchmarks off by default)"
mkdir -p "$WORK/subdir-parent"
cat > "$WORK/subdir-parent/CMakeLists.txt" <<EOF2
cmake_minimum_required(VERSION 3.20)
project(parent C)
include(CTest)
add_subdirectory("$REPO" sharpipc)
add_executable(parent "$REPO/tests/consumer/main.c")
target_link_libraries(parent PRIVATE sharpipc::sharpipc_static)
EOF2
# shellcheck disable=SC2046
cmake -S "$WORK/subdir-parent" -B "$WORK/subdir-build" $(library_only_flags "${native_cmocka_dirs[@]}" | sed 's/-DBUILD_TESTING=OFF -DSHARPIPC_BUILD_SAMPLES=OFF//') -DBUILD_TESTING=ON >/dev/null
cmake --build "$WORK/subdir-build" -j "$JOBS" >/dev/null
assert_library_only "$WORK/subdir-build"
[ ! -e "$WORK/subdir-build/sharpipc/samples" ] || { echo "check-install: samples built as a subproject" >&2; exit 1; }
"$WORK/subdir-build/parent"
cmake --install "$WORK/native-build" >/dev/null
step "native: find_package consumer"
cmake -S "$REPO/tests/consumer" -B "$WORK/native-consumer" -DCMAKE_PREFIX_PATH="$WORK/native-prefix" >/dev/null
cmake --build "$WORK/native-consumer" >/dev/null
LD_LIBRARY_PATH="$WORK/native-prefix/lib" "$WORK/native-consumer/consumer"
"$WORK/native-consumer/consumer_static"
step "native: pkg-config consumer"
export PKG_CONFIG_PATH="$WORK/native-prefix/lib/pkgconfig"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror -o "$WORK/pc-consumer" "$REPO/tests/consumer/main.c" $(pkg-config --cflags --libs sharpipc)
LD_LIBRARY_PATH="$WORK/native-prefix/lib" "$WORK/pc-consumer"
step "native: the headers compile as C++ too"
if command -v g++ >/dev/null; then
  printf '#include <sharpipc.h>\nint main() { MemoryStream *m = MemoryStream_new(); Dispose((Object *)m); return 0; }\n' > "$WORK/cxx.cpp"
  g++ -Wall -Werror -o "$WORK/cxx" "$WORK/cxx.cpp" $(pkg-config --cflags --libs sharpipc)
  LD_LIBRARY_PATH="$WORK/native-prefix/lib" "$WORK/cxx"
fi
unset PKG_CONFIG_PATH

# ---- mingw
if command -v x86_64-w64-mingw32-gcc >/dev/null && { command -v wine >/dev/null || command -v wine64 >/dev/null; }; then
  # shellcheck source=wine-env.sh
  . "$REPO/scripts/wine-env.sh"
  step "mingw: build and install"
  # shellcheck disable=SC2046
  cmake -S "$REPO" -B "$WORK/mingw-build" -DCMAKE_TOOLCHAIN_FILE="$REPO/cmake/mingw-w64-x86_64.cmake" \
        -DCMAKE_BUILD_TYPE=Release $(library_only_flags "$REPO/.deps/mingw/include" "$REPO/.deps/mingw/lib") \
        -DCMAKE_INSTALL_PREFIX="$WORK/mingw-prefix" >/dev/null
  cmake --build "$WORK/mingw-build" -j "$JOBS" >/dev/null
  assert_library_only "$WORK/mingw-build"
  cmake --install "$WORK/mingw-build" >/dev/null
  step "mingw: find_package consumer (under wine)"
  cmake -S "$REPO/tests/consumer" -B "$WORK/mingw-consumer" -DCMAKE_TOOLCHAIN_FILE="$REPO/cmake/mingw-w64-x86_64.cmake" \
        -DCMAKE_FIND_ROOT_PATH="$WORK/mingw-prefix" >/dev/null
  cmake --build "$WORK/mingw-consumer" >/dev/null
  cp "$WORK/mingw-prefix/bin/"*.dll "$WORK/mingw-consumer/"
  (cd "$WORK/mingw-consumer" && wine ./consumer.exe && wine ./consumer_static.exe)
  step "mingw: pkg-config consumer (under wine)"
  PKG_CONFIG_LIBDIR="$WORK/mingw-prefix/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR= \
    x86_64-w64-mingw32-gcc -std=c99 -Wall -Werror -o "$WORK/mingw-consumer/pc-consumer.exe" "$REPO/tests/consumer/main.c" \
    $(PKG_CONFIG_LIBDIR="$WORK/mingw-prefix/lib/pkgconfig" pkg-config --cflags --libs sharpipc)
  (cd "$WORK/mingw-consumer" && wine ./pc-consumer.exe)
else
  if [ "${CI:-false}" = true ]; then echo "check-install: mingw-w64 or wine missing" >&2; exit 1; fi
  step "mingw-w64 or wine missing: Windows consumer not checked"
fi
step "all consumers built and ran"
