#!/usr/bin/env bash
# The include rule of doc/design.md: the layers of sources.cmake are ordered lowest first, and a
# file may include headers of its own layer and of layers listed before it, never after. The
# programs in utils/ may include every layer; a private header only the files of its own folder.
# Also: every header and source of a layer folder is
# listed in sources.cmake (the lists are explicit, so a file left out would not be built or
# installed), and includes of our own headers take the "ns3/NAME.h" form.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

python3 - "$src" <<'EOF'
import os, re, sys
src = sys.argv[1]
text = open(os.path.join(src, 'sources.cmake')).read()
lists = re.findall(r'set\(IPSEC_([A-Z]+)_(SOURCES|HEADERS|PRIVATE_HEADERS)\s+([^)]*)\)', text)
layers, files, private = [], {}, {}
for layer, kind, body in lists:
    if layer not in layers:
        layers.append(layer)
    files.setdefault(layer, []).extend(body.split())
    if kind == 'PRIVATE_HEADERS':
        private.update({f: layer for f in body.split()})
rank = {layer: i for i, layer in enumerate(layers)}
header_layer = {}
for layer in layers:
    for f in files[layer]:
        if f.endswith('.h') and f not in private:
            header_layer[os.path.basename(f)] = layer

errors = []
# Every file in a layer's folders is listed.
folders = {}
for layer in layers:
    for f in files[layer]:
        folders[os.path.dirname(f)] = layer
for folder, layer in folders.items():
    for name in sorted(os.listdir(os.path.join(src, folder))):
        rel = f'{folder}/{name}'
        if name.endswith(('.h', '.cc')) and rel not in files[layer]:
            errors.append(f'{rel}: not listed in sources.cmake (IPSEC_{layer}_*)')

include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
checked = 0
def check(path, layer):
    global checked
    checked += 1
    for lineno, line in enumerate(open(os.path.join(src, path)), 1):
        m = include.match(line)
        if not m:
            continue
        target = m.group(1)
        for f, owner in private.items():
            if os.path.basename(f) == os.path.basename(target) and \
                    os.path.dirname(f) != os.path.dirname(path):
                errors.append(f'{path}:{lineno}: {target} is private to {os.path.dirname(f)}/')
        base = os.path.basename(target)
        if base not in header_layer:
            continue
        if target != f'ns3/{base}':
            errors.append(f'{path}:{lineno}: include our header as "ns3/{base}", not "{target}"')
        theirs = header_layer[base]
        if layer is not None and rank[theirs] > rank[layer]:
            errors.append(f'{path}:{lineno}: layer {layer.lower()} includes {base} '
                          f'of layer {theirs.lower()}, which is above it')

for layer in layers:
    for f in files[layer]:
        check(f, layer)
for d in ('utils', 'examples', 'bench', 'fuzz'):
    for root, _, names in os.walk(os.path.join(src, d)):
        for name in names:
            if name.endswith(('.h', '.cc')):
                check(os.path.relpath(os.path.join(root, name), src), None)

if errors:
    print('\n'.join(errors))
    print(f'{len(errors)} violations of the include rule')
    sys.exit(1)
print(f'layers {" < ".join(l.lower() for l in layers)}: {checked} files follow the include rule')
EOF
