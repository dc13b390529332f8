# The start every population benchmark shares (sourced by compare.sh and regions.sh):
#   bench_setup NAME HELP_LAST_LINE TAKES_N "$@"
# reads the arguments (--keep, -h, a build folder, and with TAKES_N=1 a number of cases into N),
# checks that the build holds pol and pol_gen_cases and that /usr/bin/time exists, and sets
# ROOT, BUILD_DIR, KEEP, POL, GEN and TMP (removed at exit unless --keep); the working folder is ROOT.
bench_setup() {
  local name=$1 help=$2 takes_n=$3 arg
  shift 3
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  BUILD_DIR=""
  KEEP=0
  for arg in "$@"; do
    case "$arg" in
      --keep) KEEP=1 ;;
      -h|--help) sed -n "2,${help}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      -*) echo "$name: unknown option $arg" >&2; exit 2 ;;
      *) if [ "$takes_n" = 1 ] && [[ $arg != *[!0-9]* ]]; then N=$arg; else BUILD_DIR=$arg; fi ;;
    esac
  done
  BUILD_DIR=${BUILD_DIR:-build}
  case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
  cd "$ROOT"
  POL="$BUILD_DIR/pol"
  GEN=$(find "$BUILD_DIR" -name pol_gen_cases -type f -perm -u+x | head -1)
  if [ ! -x "$POL" ] || [ -z "$GEN" ]; then
    echo "$name: $BUILD_DIR must hold pol and pol_gen_cases (cmake --build $BUILD_DIR --target pol pol_gen_cases)" >&2
    exit 1
  fi
  if [ ! -x /usr/bin/time ]; then
    echo "$name: /usr/bin/time not found (Debian package time)" >&2
    exit 1
  fi
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/pol_${name%.sh}.XXXXXX")
  if [ "$KEEP" = 1 ]; then echo "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi
}
