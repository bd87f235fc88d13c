#!/usr/bin/env bash
# fetch.sh: downloads Debian packages for several architectures and unpacks them into
# sysroots in the build tree, without changing the machine's state.
#
#   tests/realworld/fetch.sh [-d DIR] [-a ARCH]... [-r] [PKG[:ARCH]...]
#
#   -d DIR   where everything goes (default: $XL_REALWORLD_DIR, else <repo>/build/realworld)
#   -a ARCH  an architecture for the PKGs named without one (repeatable; default: armhf and
#            amd64)
#   -r       also every package they depend on (Depends, Pre-Depends, recursively, of the
#            same architecture): the libraries of dynamically linked programs
#   PKG      Debian binary package names (default: busybox-static); PKG:ARCH fetches only
#            that architecture. Example: fetch.sh busybox-static bash-static sqlite3:armhf
#
# Layout under DIR:
#   ARCH/                the sysroot of ARCH: every package of ARCH unpacked with `dpkg -x`
#   ARCH/.fetched/PKG    stamp: the .deb that was unpacked there; when every stamp is present
#                        the script does nothing (no network access)
#   debs/                the downloaded .deb files
#   apt/                 apt's private configuration, package lists and cache
#
# apt-get runs with a private state, cache, status file and source list (built from the
# machine's own Debian entries in /etc/apt/sources.list and /etc/apt/sources.list.d: those of
# this release, VERSION_CODENAME in /etc/os-release, and its -updates/-security suites), and
# with the machine's update and dpkg hooks cleared. Nothing is installed, nothing under /etc or
# /var is written, dpkg's architecture list is not touched. $XL_REALWORLD_SOURCES, if set, names
# a one-line-style sources list to use instead; $XL_REALWORLD_ETC reads another /etc (to test
# this script).
#
# Exit status: 0 done, 1 error, 77 the download failed (no network, no Debian source found).
set -u

usage() {
    sed -n '5,13s/^# \{0,1\}//p' "$0" >&2
    exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
dir=${XL_REALWORLD_DIR:-$here/../../build/realworld}
arches=()
recurse=0
while getopts d:a:rh opt; do
    case $opt in
    d) dir=$OPTARG ;;
    a) arches+=("$OPTARG") ;;
    r) recurse=1 ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ ${#arches[@]} -gt 0 ] || arches=(armhf amd64)
[ $# -gt 0 ] || set -- busybox-static

# Every PKG:ARCH wanted.
wanted=()
for p in "$@"; do
    case $p in
    *:*) wanted+=("$p") ;;
    *) for a in "${arches[@]}"; do wanted+=("$p:$a"); done ;;
    esac
done

mkdir -p "$dir" || exit 1
dir=$(cd "$dir" && pwd)
case $dir in
*[\"\\]*) echo "fetch.sh: $dir: a directory name with quotes or backslashes" >&2; exit 1 ;;
esac

# One fetch at a time per DIR (ctest -j, or a user and ctest).
exec 9>"$dir/.fetch.lock"
flock 9

missing=()
for pa in "${wanted[@]}"; do
    [ -f "$dir/${pa#*:}/.fetched/${pa%:*}" ] || missing+=("$pa")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "fetch.sh: up to date: ${wanted[*]} in $dir"
    exit 0
fi

apt=$dir/apt
mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" \
    "$apt/preferences.d" "$apt/keys" "$apt/log" "$dir/debs" || exit 1
: >"$apt/state/status"

# The private source list: one-line entries for the machine's Debian sources.
etc=${XL_REALWORLD_ETC:-/etc}
# shellcheck disable=SC1091
codename=$( (. "$etc/os-release" && printf '%s' "${VERSION_CODENAME:-}") 2>/dev/null)
list=$apt/sources.list
if [ -n "${XL_REALWORLD_SOURCES:-}" ]; then
    cp "$XL_REALWORLD_SOURCES" "$list" || exit 1
else
    if [ -z "$codename" ]; then
        echo "fetch.sh: no VERSION_CODENAME in /etc/os-release; set XL_REALWORLD_SOURCES" >&2
        exit 77
    fi
    : >"$list"
    n=0
    for f in "$etc/apt/sources.list" "$etc/apt/sources.list.d"/*.list \
             "$etc/apt/sources.list.d"/*.sources; do
        [ -r "$f" ] || continue
        n=$((n + 1))
        case $f in
        *.sources) fmt=deb822 ;;
        *) fmt=oneline ;;
        esac
        awk -v fmt="$fmt" -v codename="$codename" -v keys="$apt/keys/key$n" '
            function suite_ok(s) { return s == codename || index(s, codename "-") == 1 }
            # One-line style: deb [opts] URI SUITE COMPONENT...; arch options are dropped.
            fmt == "oneline" {
                sub(/#.*/, "")
                if ($1 != "deb") next
                opts = ""; i = 2
                if ($2 ~ /^\[/) {
                    line = $0
                    sub(/^[ \t]*deb[ \t]+\[/, "", line)
                    o = line; sub(/\].*/, "", o)
                    rest = line; sub(/^[^\]]*\][ \t]*/, "", rest)
                    no = split(o, ov, /[ \t]+/)
                    for (j = 1; j <= no; j++)
                        if (ov[j] != "" && ov[j] !~ /^arch(itectures)?[-+]?=/)
                            opts = opts (opts == "" ? "" : " ") ov[j]
                    nf = split(rest, f, /[ \t]+/)
                    uri = f[1]; suite = f[2]; comps = ""
                    for (j = 3; j <= nf; j++) if (f[j] != "") comps = comps " " f[j]
                } else {
                    uri = $2; suite = $3; comps = ""
                    for (j = 4; j <= NF; j++) comps = comps " " $j
                }
                if (!suite_ok(suite)) next
                print "deb " (opts == "" ? "" : "[" opts "] ") uri " " suite comps
                next
            }
            # deb822: stanzas of "Field: value" with indented continuation lines.
            function reset() {
                types = uris = suites = comps = signed = trusted = ""
                enabled = 1; field = ""; nkeyl = 0
            }
            function flush(   nu, ns, u, s, k, opts, file) {
                if (enabled && (" " types " ") ~ /[ \t]deb[ \t]/ && uris != "" && suites != "") {
                    opts = ""
                    if (nkeyl > 0) {
                        file = keys "-" NR ".asc"
                        printf "" > file
                        for (k = 1; k <= nkeyl; k++) print keyl[k] > file
                        close(file)
                        opts = "signed-by=" file
                    } else if (signed != "") {
                        gsub(/[ \t,]+/, ",", signed); sub(/^,/, "", signed); sub(/,$/, "", signed)
                        opts = "signed-by=" signed
                    }
                    if (tolower(trusted) == "yes") opts = opts (opts == "" ? "" : " ") "trusted=yes"
                    nu = split(uris, U, /[ \t]+/); ns = split(suites, S, /[ \t]+/)
                    for (u = 1; u <= nu; u++) for (s = 1; s <= ns; s++)
                        if (U[u] != "" && S[s] != "" && suite_ok(S[s]))
                            print "deb " (opts == "" ? "" : "[" opts "] ") U[u] " " S[s] " " comps
                }
                reset()
            }
            BEGIN { reset() }
            fmt == "deb822" && /^#/ { next }
            fmt == "deb822" && /^[ \t]*$/ { flush(); next }
            fmt == "deb822" && /^[ \t]/ {
                if (field == "signed-by") {
                    l = $0; sub(/^[ \t]/, "", l); if (l == ".") l = ""
                    keyl[++nkeyl] = l
                }
                next
            }
            fmt == "deb822" {
                field = tolower($0); sub(/:.*/, "", field)
                v = $0; sub(/^[^:]*:[ \t]*/, "", v); sub(/[ \t]+$/, "", v)
                if (field == "types") types = v
                else if (field == "uris") uris = v
                else if (field == "suites") suites = v
                else if (field == "components") comps = v
                else if (field == "signed-by") signed = v
                else if (field == "trusted") trusted = v
                else if (field == "enabled") enabled = (tolower(v) != "no")
            }
            END { if (fmt == "deb822") flush() }
        ' "$f" >>"$list" || exit 1
    done
    if [ ! -s "$list" ]; then
        echo "fetch.sh: no Debian '$codename' source in /etc/apt/sources.list{,.d}; set XL_REALWORLD_SOURCES" >&2
        exit 77
    fi
fi

# The private configuration, read after the machine's (apt-get -c): the machine's proxy and
# validity settings still apply; its hooks, architectures and preferences do not.
native=$(dpkg --print-architecture)
conf=$apt/apt.conf
{
    for h in APT::Update::Pre-Invoke APT::Update::Post-Invoke APT::Update::Post-Invoke-Success \
             DPkg::Pre-Invoke DPkg::Post-Invoke DPkg::Pre-Install-Pkgs APT::Architectures; do
        echo "#clear $h;"
    done
    echo "APT::Architecture \"$native\";"
    declare -A seen=(["$native"]=1)
    printf 'APT::Architectures { "%s"; ' "$native"
    for pa in "${wanted[@]}"; do
        [ -n "${seen[${pa#*:}]:-}" ] || printf '"%s"; ' "${pa#*:}"
        seen[${pa#*:}]=1
    done
    echo '};'
    echo "APT::Sandbox::User \"$(id -un)\";"
    echo "Dir::State \"$apt/state\";"
    echo "Dir::State::status \"$apt/state/status\";"
    echo "Dir::Cache \"$apt/cache\";"
    echo "Dir::Etc::SourceList \"$list\";"
    echo "Dir::Etc::SourceParts \"$apt/sources.list.d\";"
    echo "Dir::Etc::Preferences \"$apt/preferences\";"
    echo "Dir::Etc::PreferencesParts \"$apt/preferences.d\";"
    echo "Dir::Log \"$apt/log\";"
} >"$conf"
aptget() { timeout -k 10 900 apt-get -q -c "$conf" "$@"; }

echo "fetch.sh: apt-get update (private lists in $apt)"
# apt-get update fails (status 100) when any one index could not be downloaded, e.g. a mirror
# or proxy serving a -security Packages file that does not match its InRelease ("File has
# unexpected size"); it then keeps the suites it could read. Those usually hold the packages,
# so only no index at all is fatal here; a package missing later is put down to the failure.
offline=0
if ! aptget update >"$apt/update.log" 2>&1; then
    if ! compgen -G "$apt/state/lists/*_Packages*" >/dev/null; then
        echo "fetch.sh: apt-get update failed:" >&2
        tail -n 20 "$apt/update.log" >&2
        exit 77
    fi
    echo "fetch.sh: apt-get update could not read every index (going on without them):" >&2
    grep '^E: Failed' "$apt/update.log" | head -n 5 >&2
    offline=1
fi
grep -q '^[WE]: .*[Ff]ailed' "$apt/update.log" && offline=1

# -r: the dependency closure of each wanted PKG:ARCH, the same architecture only (apt-cache
# prints each package of it on a line of its own; <virtual> ones have no .deb).
if [ $recurse = 1 ]; then
    declare -A have=()
    for pa in "${missing[@]}"; do have[$pa]=1; done
    for pa in "${wanted[@]}"; do
        arch=${pa#*:}
        while IFS= read -r dep; do
            # package lines only: not the indented "  Depends: ..." ones, not <virtual>
            [[ $dep =~ ^[a-z0-9][a-z0-9.+-]*:$arch$ ]] || continue
            [ -n "${have[$dep]:-}" ] || [ -f "$dir/$arch/.fetched/${dep%:*}" ] && continue
            have[$dep]=1
            missing+=("$dep")
        done < <(timeout -k 10 300 apt-cache -c "$conf" depends --recurse --no-recommends \
                     --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
                     "$pa" 2>/dev/null)
    done
fi

status=0
for pa in "${missing[@]}"; do
    pkg=${pa%:*} arch=${pa#*:}
    # 'URI' FILE SIZE HASH
    if ! uris=$(cd "$dir/debs" && aptget download --print-uris "$pa" 2>&1); then
        echo "fetch.sh: $pa: $uris" >&2
        if [ $offline = 1 ]; then
            echo "fetch.sh: apt-get update could not download every index:" >&2
            grep '^[WE]: ' "$apt/update.log" | head -n 5 >&2
            status=77
        else
            status=1
        fi
        continue
    fi
    deb=$(printf '%s\n' "$uris" | awk '/^'"'"'/ { print $2; exit }')
    if [ -z "$deb" ]; then
        echo "fetch.sh: $pa: no download location: $uris" >&2
        status=1
        continue
    fi
    if [ ! -f "$dir/debs/$deb" ]; then
        echo "fetch.sh: downloading $pa"
        if ! (cd "$dir/debs" && aptget download "$pa") >"$apt/download.log" 2>&1; then
            echo "fetch.sh: $pa: apt-get download failed:" >&2
            tail -n 20 "$apt/download.log" >&2
            status=77
            continue
        fi
    fi
    mkdir -p "$dir/$arch/.fetched" || exit 1
    if ! dpkg -x "$dir/debs/$deb" "$dir/$arch"; then
        echo "fetch.sh: dpkg -x $deb failed" >&2
        status=1
        continue
    fi
    printf '%s\n' "$deb" >"$dir/$arch/.fetched/$pkg"
    echo "fetch.sh: $pa: $deb unpacked into $dir/$arch"
done
exit $status
