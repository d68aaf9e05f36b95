#!/bin/sh
# Copy the front-end libraries the pages use from node_modules (installed by `npm ci` from
# package-lock.json) into src/mcfkg/web/static/vendor/, so the server serves them itself:
# no CDN, works offline. Run from the repository root; `make ui` runs `npm ci` then this.
set -eu
src=node_modules
dest=src/mcfkg/web/static/vendor
[ -d "$src" ] || { echo "vendor.sh: $src/ is missing; run 'npm ci' first" >&2; exit 1; }
mkdir -p "$dest"
copy() { cp "$src/$1" "$dest/$2"; }
copy @zazuko/yasgui/build/yasgui.min.js yasgui.min.js
copy @zazuko/yasgui/build/yasgui.min.css yasgui.min.css
copy @zazuko/yasgui/package.json YASGUI-package.json  # MIT; the package ships no LICENSE file
copy cytoscape/dist/cytoscape.min.js cytoscape.min.js
copy cytoscape/LICENSE CYTOSCAPE-LICENSE.txt
copy chart.js/dist/chart.umd.min.js chart.umd.min.js
copy chart.js/LICENSE.md CHARTJS-LICENSE.md
echo "vendor.sh: copied $(ls "$dest" | wc -l) files into $dest"
