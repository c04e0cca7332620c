# Shared by scripts/bench-interp.sh and scripts/bench-jit.sh (sourced, not run): installing
# the comparison runtimes, building, the checksum check and the hyperfine loop, so the two
# scripts only differ in which runtimes they put side by side.

ALL_KERNELS="fib loops intarith float array dict sieve string"
KERNELS=${KERNELS:-$ALL_KERNELS}
# hyperfine settings: a few runs each is enough to see factors; raise RUNS for precise numbers.
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KDIR=$ROOT/scripts/kernels
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RUFF=$TARGET/release/ruff
KERNELS_TARGET=${KERNELS_TARGET:-$TARGET/kernels}
RUST_KERNELS=$KERNELS_TARGET/release/kernels

# Installs the Debian packages providing the given commands when any is missing.
# Arguments are command:package pairs.
ensure_packages() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The real CPython binary: `python3` on PATH may be a pyenv shim that adds ~0.2 s per start.
find_python() {
    if command -v pyenv >/dev/null 2>&1 && pyenv which python3 >/dev/null 2>&1; then
        pyenv which python3
    else
        command -v python3
    fi
}

build_ruff() {
    echo "building ruff (release)..." >&2
    (cd "$ROOT" && cargo build --release -q -p ruff-jit --bin ruff)
}

build_rust_kernels() {
    echo "building native Rust kernels (release)..." >&2
    CARGO_TARGET_DIR=$KERNELS_TARGET cargo build --release -q \
        --manifest-path "$KDIR/rust/Cargo.toml"
}

# The command line that runs kernel $2 under runtime $1 (a name used in tables and JSON).
kernel_command() {
    local runtime=$1 k=$2
    case $runtime in
        "ruff "*) echo "$RUFF run $KDIR/ruff/$k.ruff --config ${runtime#ruff }" ;;
        python3) echo "$PYTHON $KDIR/python/$k.py" ;;
        lua5.4) echo "lua5.4 $KDIR/lua/$k.lua" ;;
        luajit) echo "luajit $KDIR/lua/$k.lua" ;;
        rust) echo "$RUST_KERNELS $k" ;;
        *) echo "unknown runtime '$runtime'" >&2; return 1 ;;
    esac
}

# Runs every kernel once under every runtime given and fails unless all print the same
# checksum: a timing of a wrong program is worthless.
check_checksums() {
    local k rt out first bad=0
    for k in $KERNELS; do
        first=""
        for rt in "$@"; do
            # Word splitting of the command line is intended (paths have no spaces).
            # shellcheck disable=SC2046
            out=$($(kernel_command "$rt" "$k") 2>&1) || out="FAILED: $out"
            if [ -z "$first" ]; then
                first=$out
            elif [ "$out" != "$first" ]; then
                echo "checksum mismatch in kernel $k: '$rt' printed '$out', '$1' printed '$first'" >&2
                bad=1
            fi
        done
        echo "  $k: $first" >&2
    done
    return $bad
}

# Times every kernel under the given runtimes with hyperfine; one JSON file per kernel in $1.
run_hyperfine() {
    local out=$1 k rt
    shift
    mkdir -p "$out"
    for k in $KERNELS; do
        local args=()
        for rt in "$@"; do
            args+=(-n "$rt" "$(kernel_command "$rt" "$k")")
        done
        echo "timing $k..." >&2
        hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
            --export-json "$out/$k.json" "${args[@]}" >/dev/null
    done
}
