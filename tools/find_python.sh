#!/bin/sh
# Print the Python interpreter to use: the first candidate that imports
# Odoo 19.0, else the first Python 3.11 found (setup installs Odoo into it).
candidates="python3 python3.11"
if [ -n "${HOME:-}" ]; then
    candidates="$candidates $HOME/.pyenv/shims/python3 $HOME/.local/bin/python3"
fi
first=""
for candidate in $candidates; do
    path=$(command -v "$candidate" 2>/dev/null) || continue
    [ -n "$first" ] || first=$path
    if (cd / && "$path" -c 'import odoo.release as r, sys; sys.exit(r.version != "19.0")') >/dev/null 2>&1; then
        echo "$path"
        exit 0
    fi
done
echo "${first:-python3}"
