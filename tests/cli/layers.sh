#!/bin/bash
# The layers of src/ (README, "Design"): every #include "DIR/..." of a file in src/LAYER/ must
# name LAYER itself or a folder LAYER may depend on. A lower layer never includes a higher one.
. "$(dirname "$0")/../lib.sh"
cd "$GFNTOP_ROOT" || exit 1

# LAYER: the folders it may include (besides itself and include/gfntop)
declare -A allowed=(
	[base]=""
	[probes]="base"
	[trace]="base"
	[sources]="base trace"
	[model]="base trace"
	[views]="base model"
	[record]="base trace sources model"
	[outputs]="base model probes"
	[cli]="*"
)

bad=""
unknown=""
for f in $(find src -name '*.[ch]' | sort); do
	layer=$(echo "$f" | cut -d/ -f2)
	case $layer in *.c | *.h) unknown="$unknown $f"; continue ;; esac
	[ -n "${allowed[$layer]+set}" ] || { unknown="$unknown $f"; continue; }
	while read -r inc; do
		dir=${inc%%/*}
		[ "$dir" = "$inc" ] && { bad="$bad $f:$inc(no-folder)"; continue; }
		[ "$dir" = gfntop ] || [ "$dir" = "$layer" ] && continue
		[ "${allowed[$layer]}" = "*" ] && continue
		case " ${allowed[$layer]} " in *" $dir "*) ;; *) bad="$bad $f:$inc" ;; esac
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | grep -v '\.skel\.h$')
done
check "layers: every source file of src/ is in a known layer folder${unknown:+ (not:$unknown)}" test -z "$unknown"
check "layers: no include crosses to a higher layer or names a file without its folder${bad:+ ($bad)}" test -z "$bad"
exit 0
