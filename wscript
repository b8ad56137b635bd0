## -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
# ns3-ipsec as a module of a waf-based ns-3 (ns-3.35 and earlier): this repository in the ns-3
# tree as contrib/ipsec (doc/building.md). The sources and headers come from sources.cmake, the
# lists the CMake builds (CMakeLists.txt) read too, so that all three builds build the same.
#
#   ./waf configure --enable-examples --enable-modules=ipsec   # and the usual options
#   ./waf build
#   ./waf --run "ipsec-two-routers --out=out"
import os
import re

from waflib import Context

# The ns-3 modules the library uses (the same as CMakeLists.txt names).
NS3_DEPENDENCIES = ['core', 'network', 'internet', 'point-to-point', 'csma', 'traffic-control',
                    'applications', 'internet-apps', 'flow-monitor', 'fd-net-device', 'stats',
                    'virtual-net-device']

# Selects the ns-3.35 forms in ipsec-ns3-compat.h (only this build defines it).
LEGACY_API = 'IPSEC_NS3_LEGACY_API'


def read_sources(ctx):
    """The lists of sources.cmake: {NAME: [item, ...]} for every set(NAME item ...)."""
    with open(os.path.join(ctx.path.abspath(), 'sources.cmake')) as f:
        text = re.sub(r'#[^\n]*', '', f.read())
    return dict((m.group(1), m.group(2).split())
                for m in re.finditer(r'\bset\(\s*(\w+)\s+([^()]*)\)', text))


def module_files(lists, kind):
    """SOURCES or HEADERS of the module ipsec: the crypto core and IPSEC_MODULE_LAYERS."""
    files = list(lists['IPSEC_CRYPTO_' + kind])
    for layer in lists['IPSEC_MODULE_LAYERS']:
        files += lists['IPSEC_%s_%s' % (layer, kind)]
    return files


def configure(conf):
    missing = []
    for package, store, args in [('libcrypto >= 3.0', 'IPSEC_OPENSSL', ['--cflags', '--libs']),
                                 ('zlib', 'IPSEC_ZLIB', ['--cflags', '--libs']),
                                 ('nlohmann_json >= 3', 'IPSEC_JSON', ['--cflags'])]:
        if not conf.check_cfg(package=package, uselib_store=store, args=args, mandatory=False):
            missing.append(package)
    conf.env['IPSEC_SIM'] = not missing and conf.require_boost_incs('ipsec', 'ipsec-sim',
                                                                    required=False)
    if missing:
        conf.report_optional_feature('ipsec', 'ns3-ipsec (contrib/ipsec)', False,
                                     'missing ' + ', '.join(missing) +
                                     ' (Debian: libssl-dev zlib1g-dev nlohmann-json3-dev)')
        conf.env['MODULES_NOT_BUILT'].append('ipsec')
        return
    conf.report_optional_feature('ipsec-sim', 'ns3-ipsec ipsec-sim, ipsec-report',
                                 conf.env['IPSEC_SIM'], 'Boost headers not found')


def build(bld):
    if 'ipsec' in bld.env['MODULES_NOT_BUILT']:
        return
    lists = read_sources(bld)

    module = bld.create_ns3_module('ipsec', NS3_DEPENDENCIES)
    module.source = module_files(lists, 'SOURCES')
    module.use += ['IPSEC_OPENSSL', 'IPSEC_ZLIB', 'IPSEC_JSON']
    # ns-3.35 and earlier lack interfaces of ns-3.36 the code uses; model/stack/ipsec-ns3-compat.h
    # gives their ns-3.35 forms under this define: for the module, and (export_defines) for
    # everything that uses it: the scenario layer, the examples, a user's programs.
    module.env.append_value('DEFINES', LEGACY_API)
    module.export_defines = [LEGACY_API]
    headers = bld(features='ns3header')
    headers.module = 'ipsec'
    headers.source = module_files(lists, 'HEADERS')

    if bld.env['ENABLE_EXAMPLES']:
        bld.recurse('examples')

    # The scenario layer (a static library here) and its programs ipsec-sim and ipsec-report,
    # when Boost's headers were found and the module is enabled. They write netanim.xml only if
    # ns-3's netanim module is enabled too.
    enabled = bld.env['NS3_ENABLED_CONTRIBUTED_MODULES']
    if not bld.env['IPSEC_SIM'] or (enabled and 'ns3-ipsec' not in enabled):
        return
    netanim = ('ns3-netanim' in bld.env['NS3_ENABLED_MODULES'] and
               'netanim' not in bld.env['MODULES_NOT_BUILT'])
    deps = ['ipsec'] + (['netanim'] if netanim else [])
    # Its headers, reached as "ns3/NAME.h", are copied to include/ns3 in the module's build
    # folder (not to the tree's ns3/ folder: they are no part of ns3/ipsec-module.h).
    for header in lists['IPSEC_SCENARIO_HEADERS']:
        bld(features='subst', is_copy=True, source=header,
            target='include/ns3/' + os.path.basename(header))
    includes = [Context.out_dir, 'include']
    bld(features='cxx cxxstlib', name='ipsec-scenario', target='ipsec-scenario',
        source=lists['IPSEC_SCENARIO_SOURCES'], includes=includes,
        use=['ns3-' + d for d in deps] + ['BOOST', 'IPSEC_JSON'],
        defines=['IPSEC_HAVE_NETANIM'] if netanim else [])
    for name in ['ipsec-sim', 'ipsec-report']:
        program = bld.create_ns3_program(name, deps)
        program.source = ['utils/%s.cc' % name]
        program.includes = includes
        program.use += ['ipsec-scenario', 'BOOST', 'IPSEC_JSON']
