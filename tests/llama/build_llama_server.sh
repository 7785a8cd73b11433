#!/usr/bin/env bash
# Build llama.cpp's `llama-server` from the source that llama-cpp-python's sdist bundles,
# CPU only and without the web UI, and cache it beside the tokenizer the tests use:
#
#   ${XDG_CACHE_HOME:-~/.cache}/inkstream/llama-server-<version>-<arch>/
#       llama-server                  the binary (static: no libllama.so beside it)
#       ggml-vocab-llama-spm.gguf     the SentencePiece vocabulary the source ships
#
# A second run finds the cache and only prints the binary's path. About 9-10 minutes on
# 2 cores the first time. Needs cmake, a C++ compiler and pip (from $PYTHON, default
# python3). Prints the path of the binary on its last line.
set -euo pipefail

VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
PYTHON="${PYTHON:-python3}"
JOBS="${JOBS:-2}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/inkstream/llama-server-$VERSION-$(uname -m)"
VOCAB=ggml-vocab-llama-spm.gguf

if [[ -x "$CACHE/llama-server" && -f "$CACHE/$VOCAB" ]]; then
    echo "$CACHE/llama-server"
    exit 0
fi
for tool in cmake c++; do
    command -v "$tool" >/dev/null || { echo "build_llama_server: needs $tool" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/llama-server-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
started=$SECONDS
echo "building llama-server from llama-cpp-python $VERSION's source into $CACHE" >&2

"$PYTHON" -m pip download --quiet --no-binary :all: --no-deps --dest "$WORK" \
    "llama-cpp-python==$VERSION"
tar -xzf "$WORK/llama_cpp_python-$VERSION.tar.gz" -C "$WORK"
SOURCE="$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp"

cmake -S "$SOURCE" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release \
    -DGGML_NATIVE=OFF -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_SERVER=ON -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
    -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >&2
cmake --build "$WORK/build" --config Release --target llama-server -j "$JOBS" >&2

# Fill a folder beside the cache, then rename it: a build cut short never looks cached.
mkdir -p "$(dirname "$CACHE")"
PARTIAL="$CACHE.partial.$$"
mkdir -p "$PARTIAL"
cp "$(find "$WORK/build" -name llama-server -type f -perm -u+x | head -n 1)" "$PARTIAL/"
cp "$SOURCE/models/$VOCAB" "$PARTIAL/"
rm -rf "$CACHE"
mv "$PARTIAL" "$CACHE"
echo "built in $((SECONDS - started)) s" >&2
echo "$CACHE/llama-server"
